// TOML metric files, read by smol-toml. The parser gives values without positions, so a light scan of the text finds
// each key's line and the number as written; the scan only ever names a line or keeps a spelling, the value itself
// is always the parser's.
import { parse, TomlError } from 'smol-toml';
import { type InputProblem, problem } from './problems.ts';

export type TomlParse =
  | { ok: true; value: Record<string, unknown>; lineOf(path: string[]): number | undefined; sourceOf(path: string[]): string | undefined }
  | { ok: false; problems: InputProblem[] };

const BARE_KEY = /^[A-Za-z0-9_-]+/;

export function parseTomlMetrics(text: string, file: string): TomlParse {
  let value: Record<string, unknown>;
  try {
    value = parse(text, { integersAsBigInt: 'asNeeded' }) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    return {
      ok: false,
      problems: [problem(file, `TOML syntax: ${e.message.split('\n')[0]}`, { line: e.line, hint: 'fix the syntax at that line' })],
    };
  }
  const found = scanKeys(text);
  return {
    ok: true,
    value,
    lineOf(path) {
      for (let n = path.length; n > 0; n--) {
        const hit = found.get(key(path.slice(0, n)));
        if (hit) return hit.line;
      }
      return undefined;
    },
    sourceOf: (path) => found.get(key(path))?.raw,
  };
}

const key = (path: readonly string[]) => JSON.stringify(path);

/** Table headers and `key = value` lines: full key path → line and the raw value token. */
function scanKeys(text: string): Map<string, { line: number; raw: string }> {
  const out = new Map<string, { line: number; raw: string }>();
  let table: string[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('[')) {
      const inner = line.startsWith('[[') ? line.slice(2) : line.slice(1);
      const parsed = readKey(inner);
      if (parsed) {
        table = parsed.path;
        if (!out.has(key(table))) out.set(key(table), { line: i + 1, raw: '' });
      }
      return;
    }
    const parsed = readKey(line);
    if (!parsed?.rest.startsWith('=')) return;
    const raw = /^[^\s#]*/.exec(parsed.rest.slice(1).trim())![0];
    const full = [...table, ...parsed.path];
    if (!out.has(key(full))) out.set(key(full), { line: i + 1, raw });
  });
  return out;
}

/** A dotted key of bare, "basic" and 'literal' parts, and the text after it. */
function readKey(s: string): { path: string[]; rest: string } | null {
  const path: string[] = [];
  let rest = s.trimStart();
  for (;;) {
    if (rest.startsWith('"')) {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(rest);
      if (!m) return null;
      try {
        path.push(JSON.parse(m[0]) as string);
      } catch {
        return null;
      }
      rest = rest.slice(m[0].length);
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) return null;
      path.push(rest.slice(1, end));
      rest = rest.slice(end + 1);
    } else {
      const m = BARE_KEY.exec(rest);
      if (!m) return null;
      path.push(m[0]);
      rest = rest.slice(m[0].length);
    }
    rest = rest.trimStart();
    if (!rest.startsWith('.')) return { path, rest: rest.replace(/^\]+/, '').trimStart() };
    rest = rest.slice(1).trimStart();
  }
}
