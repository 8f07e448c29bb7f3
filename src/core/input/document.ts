// Parses one YAML or JSON file into plain data, refusing the YAML features an attacker could use,
// and remembers where every field stood so errors can name the line. Most files are read by the fast reader
// (fast-yaml.ts), which gives exactly what the hardened reader below would; the rest by the hardened reader.

import type { Node as YamlNode } from 'yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit } from 'yaml';
import { readFastJson, readFastYaml } from './fast-yaml.ts';
import { type InputProblem, problem } from './problems.ts';

export type Path = readonly (string | number)[];

export interface ParsedDocument {
  value: unknown;
  /** 1-based line of the field at `path` (its key where it has one), or of the nearest ancestor that exists. */
  lineAt(path: Path): number | undefined;
  /** The source text of the scalar at `path` as written (e.g. "0.80" for a number), when there is one. */
  sourceAt?(path: Path): string | undefined;
}

export type ParseResult = { ok: true; doc: ParsedDocument } | { ok: false; problems: InputProblem[] };

/** Keys that would reach Object.prototype when data is copied around. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

export function parseDocument(text: string, file: string, format: 'yaml' | 'json'): ParseResult {
  const fast = format === 'json' ? readFastJson(text) : readFastYaml(text);
  return fast ? { ok: true, doc: fast } : parseHardened(text, file, format);
}

/** The `yaml` library, configured to refuse what a manifest never needs; every error and refusal comes from here. */
export function parseHardened(text: string, file: string, format: 'yaml' | 'json'): ParseResult {
  const lc = new LineCounter();
  const problems: InputProblem[] = [];
  const lineOf = (offset: number | undefined): number | undefined => (offset === undefined ? undefined : lc.linePos(offset).line);

  const directive = /^%/m.exec(text);
  if (directive) {
    // %YAML 1.1 changes how scalars resolve (yes/no, octal) and %TAG rebinds tags: neither belongs in a manifest.
    const line = text.slice(0, directive.index).split('\n').length;
    return {
      ok: false,
      problems: [
        problem(file, 'YAML directives (%YAML, %TAG) are not allowed', {
          line,
          hint: 'remove the directive line; files are read as YAML 1.2',
        }),
      ],
    };
  }

  const docs = parseAllDocuments(text, {
    lineCounter: lc,
    uniqueKeys: true,
    schema: format === 'json' ? 'json' : 'core',
    prettyErrors: false,
    merge: false,
    strict: true,
    stringKeys: true,
  });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > 1) {
    const line = lineOf(list[1]?.range[0]);
    return {
      ok: false,
      problems: [
        problem(file, 'a file holds exactly one document', { line, hint: 'split the file at the "---" line into one file per entity' }),
      ],
    };
  }
  const doc = list[0];
  if (!doc || doc.contents === null) {
    return { ok: false, problems: [problem(file, 'the file is empty', { hint: 'write a mapping with at least an "id" field' })] };
  }
  // Warnings include unresolved tags; those are refused below with a clearer message, so only errors here.
  for (const err of doc.errors) {
    const msg = err.message.split('\n')[0] ?? err.message;
    problems.push(
      problem(file, `${format === 'json' ? 'JSON' : 'YAML'} syntax: ${msg}`, {
        line: lineOf(err.pos[0]),
        hint: 'fix the syntax at that line',
      }),
    );
  }
  visit(doc, {
    Alias(_, node) {
      problems.push(
        problem(file, `aliases (*${node.source}) are not allowed`, {
          line: lineOf(node.range?.[0]),
          hint: 'write the value out in full; anchors and aliases are refused so that no file can expand into a huge one',
        }),
      );
      return visit.BREAK;
    },
    Node(_, node) {
      if (node.anchor) {
        problems.push(
          problem(file, `anchors (&${node.anchor}) are not allowed`, {
            line: lineOf(node.range?.[0]),
            hint: 'remove the anchor and write values out in full',
          }),
        );
      }
      if (node.tag) {
        problems.push(
          problem(file, `explicit tags (${node.tag}) are not allowed`, {
            line: lineOf(node.range?.[0]),
            hint: 'remove the tag; values are plain strings, numbers, booleans, lists and mappings',
          }),
        );
      }
      return undefined;
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && FORBIDDEN_KEYS.has(pair.key.value)) {
        problems.push(
          problem(file, `the key "${pair.key.value}" is not allowed`, { line: lineOf(pair.key.range?.[0]), hint: 'rename the key' }),
        );
      }
      return undefined;
    },
  });
  if (problems.length > 0) return { ok: false, problems: dedupe(problems) };

  const value: unknown = doc.toJS({ maxAliasCount: 0 });
  const walk = (path: Path): { node: unknown; line: number | undefined; found: boolean } => {
    let node: unknown = doc.contents;
    let line = lineOf((node as YamlNode | null)?.range?.[0]);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return { node, line, found: false };
        line = lineOf((pair.key as YamlNode).range?.[0]) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (!item) return { node, line, found: false };
        line = lineOf((item as YamlNode).range?.[0]) ?? line;
        node = item;
      } else {
        return { node, line, found: false };
      }
    }
    return { node, line, found: true };
  };
  const lineAt = (path: Path): number | undefined => walk(path).line;
  const sourceAt = (path: Path): string | undefined => {
    const w = walk(path);
    return w.found && isScalar(w.node) ? w.node.source : undefined;
  };
  return { ok: true, doc: { value, lineAt, sourceAt } };
}

function dedupe(list: InputProblem[]): InputProblem[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.line}|${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
