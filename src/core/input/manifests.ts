// Turns manifest files into typed entities, then checks what only the whole set can show:
// duplicate ids, unknown references, cycles, and weights.

import { PLACEHOLDER } from '../init/templates.ts';
import { cmp } from '../order.ts';
import type { Dataset, Manifests, Model, Workflow } from '../types.ts';
import { type Condition, parseCondition } from './condition.ts';
import { type Path, parseDocument } from './document.ts';
import { extensionFormat, resolveFrom } from './paths.ts';
import { type InputProblem, problem } from './problems.ts';
import { schemaProblems } from './schema.ts';
import { didYouMean } from './suggest.ts';

export type Kind = 'dataset' | 'model' | 'workflow';
export const KIND_DIRS: Record<Kind, string> = { dataset: 'datasets', model: 'models', workflow: 'workflows' };

export interface SourceFile {
  /** Repository-relative, '/'-separated. */
  path: string;
  text: string;
}

export type LineIndex = Map<string, (path: Path) => number | undefined>;

/** Where a manifest says DVC pins a dataset: a .dvc file (and which out), or a stage out in a dvc.lock. */
export type DatasetDvcRef = { kind: 'file'; file: string; out?: string } | { kind: 'lock'; lock: string; out: string };

/** A dataset whose version may still have to come from DVC. */
export type DatasetDraft = Omit<Dataset, 'version'> & { version?: string; dvcRef?: DatasetDvcRef };

/** A model whose version, datasets and metrics may still have to come from dvc.lock. */
export type ModelDraft = Omit<Model, 'version' | 'dvc'> & {
  version?: string;
  dvcRef?: { lock: string; stage: string; out?: string };
  /** Whether the manifest gave datasets itself (with dvc they must then agree with the lock). */
  datasetsGiven: boolean;
};

export interface ParsedManifests {
  datasets: DatasetDraft[];
  models: ModelDraft[];
  workflows: Workflow[];
  lines: LineIndex;
  problems: InputProblem[];
}

/** What parsing a run of files yields, as plain data that can cross to another thread: no line lookups yet. */
export type PlainParsed = Omit<ParsedManifests, 'lines'> & { /** Files that parsed, in order: they get line lookups. */ parsed: string[] };

export function parseManifestsPlain(files: readonly { kind: Kind; file: SourceFile }[]): PlainParsed {
  const out: PlainParsed = { datasets: [], models: [], workflows: [], problems: [], parsed: [] };
  for (const { kind, file } of files) {
    const format = extensionFormat(file.path);
    if (format !== 'yaml' && format !== 'json') continue;
    const parsed = parseDocument(file.text, file.path, format);
    if (!parsed.ok) {
      out.problems.push(...parsed.problems);
      continue;
    }
    const { value, lineAt } = parsed.doc;
    out.parsed.push(file.path);
    const found = schemaProblems(kind, value, file.path, parsed.doc);
    if (found.length > 0) {
      out.problems.push(...found);
      continue;
    }
    const at = (field: Path) => lineAt(field);
    if (kind === 'dataset') out.datasets.push(toDataset(value as RawDataset, file.path, at, out.problems));
    else if (kind === 'model') out.models.push(toModel(value as RawModel, file.path, at, out.problems));
    else out.workflows.push(toWorkflow(value as RawWorkflow, file.path));
  }
  return out;
}

/** Runs parsed separately (in this order, each in file order) as if parsed in one go. */
export function joinParsed(parts: readonly PlainParsed[]): PlainParsed {
  return {
    datasets: parts.flatMap((p) => p.datasets),
    models: parts.flatMap((p) => p.models),
    workflows: parts.flatMap((p) => p.workflows),
    problems: parts.flatMap((p) => p.problems),
    parsed: parts.flatMap((p) => p.parsed),
  };
}

/**
 * Adds line lookups for the files that parsed. `files` gives each file's text, or a way to get it when a line is
 * first asked for (a file whose parse came from the cache was not read).
 */
export function withLines(plain: PlainParsed, files: readonly { file: SourceFile }[] | ((path: string) => string)): ParsedManifests {
  const given = typeof files === 'function' ? null : new Map(files.map(({ file }) => [file.path, file.text]));
  const textOf = typeof files === 'function' ? files : (path: string) => given!.get(path) ?? '';
  const lines: LineIndex = new Map();
  for (const path of plain.parsed) {
    const format = extensionFormat(path);
    // Keep the text, not the parsed document: cross-file errors are rare, and 40,000 retained syntax trees are not.
    if (format === 'yaml' || format === 'json')
      lines.set(
        path,
        lazyLines(() => textOf(path), path, format),
      );
  }
  const { parsed: _, ...rest } = plain;
  return { ...rest, lines };
}

/** Line lookup that parses the text again only when a line is asked for. */
function lazyLines(text: () => string, file: string, format: 'yaml' | 'json'): (path: Path) => number | undefined {
  let lineAt: ((path: Path) => number | undefined) | undefined;
  return (path) => {
    if (!lineAt) {
      const again = parseDocument(text(), file, format);
      lineAt = again.ok ? again.doc.lineAt : () => undefined;
    }
    return lineAt(path);
  };
}

interface RawDataset {
  id: string;
  version?: string;
  dvc?: string | { file?: string; lock?: string; out?: string };
  description?: string;
  meta?: Record<string, unknown>;
}
interface RawModel {
  id: string;
  version?: string;
  dvc?: { lock: string; stage: string; out?: string };
  description: string;
  datasets?: Record<string, string>;
  metrics?: string;
  gate?: string[];
  on_missing_baseline?: 'skip' | 'fail';
}
interface RawWorkflow {
  id: string;
  version: string;
  description?: string;
  threshold: number;
  max_drop?: number;
  nodes: { id: string; model: string; dataset: string; weight: number; metric: string; needs?: string[] }[];
}

function toDataset(raw: RawDataset, file: string, at: (p: Path) => number | undefined, problems: InputProblem[]): DatasetDraft {
  const d: DatasetDraft = { id: raw.id, file, meta: raw.meta ?? {} };
  if (raw.version !== undefined) d.version = raw.version;
  if (raw.description !== undefined) d.description = raw.description;
  placeholder(raw.description, file, at, problems);
  if (raw.dvc !== undefined) {
    const spec = typeof raw.dvc === 'string' ? { file: raw.dvc } : raw.dvc;
    const path = (key: 'file' | 'lock' | 'out'): string | undefined => {
      const value = spec[key];
      if (value === undefined) return undefined;
      const field = typeof raw.dvc === 'string' ? 'dvc' : `dvc.${key}`;
      const r = resolveFrom(file, value);
      if (r.ok) return r.path;
      problems.push(
        problem(file, `${field}: ${r.message}`, { line: at(typeof raw.dvc === 'string' ? ['dvc'] : ['dvc', key]), field, hint: r.hint }),
      );
      return undefined;
    };
    const out = path('out');
    if (spec.lock !== undefined) {
      const lock = path('lock');
      if (lock !== undefined && out !== undefined) {
        d.dvcRef = { kind: 'lock', lock, out };
        d.dvc = lock;
      }
    } else {
      const dvcFile = path('file');
      if (dvcFile !== undefined) {
        d.dvcRef = out === undefined ? { kind: 'file', file: dvcFile } : { kind: 'file', file: dvcFile, out };
        d.dvc = dvcFile;
      }
    }
  }
  return d;
}

function toModel(raw: RawModel, file: string, at: (p: Path) => number | undefined, problems: InputProblem[]): ModelDraft {
  const gate: Condition[] = [];
  (raw.gate ?? []).forEach((text, i) => {
    const c = parseCondition(text);
    if (c.ok) gate.push(c.condition);
    else {
      problems.push(
        problem(file, `gate.${i}: the condition "${text}" ${c.message} (column ${c.column})`, {
          line: at(['gate', i]),
          field: `gate.${i}`,
          hint: 'write <metric> <op> <number | baseline [+|- number[%] | * number]>, e.g. "test.auc >= 0.85", "rmse <= baseline + 2%" or ""metrics/mAP50-95(B)" >= 0.45"',
        }),
      );
    }
  });
  const m: ModelDraft = {
    id: raw.id,
    description: raw.description,
    datasets: { ...(raw.datasets ?? {}) },
    datasetsGiven: raw.datasets !== undefined,
    gate,
    on_missing_baseline: raw.on_missing_baseline ?? 'skip',
    file,
  };
  if (raw.version !== undefined) m.version = raw.version;
  placeholder(raw.description, file, at, problems);
  if (raw.dvc !== undefined) {
    const lock = resolveFrom(file, raw.dvc.lock);
    const out = raw.dvc.out === undefined ? undefined : resolveFrom(file, raw.dvc.out);
    if (!lock.ok)
      problems.push(problem(file, `dvc.lock: ${lock.message}`, { line: at(['dvc', 'lock']), field: 'dvc.lock', hint: lock.hint }));
    else if (out && !out.ok)
      problems.push(problem(file, `dvc.out: ${out.message}`, { line: at(['dvc', 'out']), field: 'dvc.out', hint: out.hint }));
    else m.dvcRef = out ? { lock: lock.path, stage: raw.dvc.stage, out: out.path } : { lock: lock.path, stage: raw.dvc.stage };
  }
  if (raw.metrics !== undefined) {
    const r = resolveFrom(file, raw.metrics);
    if (r.ok) m.metrics = r.path;
    else problems.push(problem(file, `metrics: ${r.message}`, { line: at(['metrics']), field: 'metrics', hint: r.hint }));
  }
  return m;
}

/** `lineage-gate init` leaves descriptions for a person to write; a manifest that still holds one is not finished. */
function placeholder(text: string | undefined, file: string, at: (p: Path) => number | undefined, problems: InputProblem[]): void {
  if (text === undefined || !text.includes(PLACEHOLDER)) return;
  problems.push(
    problem(file, `description is still the placeholder lineage-gate init wrote`, {
      line: at(['description']),
      field: 'description',
      hint: 'replace it with what the entity holds or predicts and when to use it (Markdown)',
    }),
  );
}

function toWorkflow(raw: RawWorkflow, file: string): Workflow {
  const w: Workflow = {
    id: raw.id,
    version: raw.version,
    threshold: raw.threshold,
    nodes: raw.nodes.map((n) => ({
      id: n.id,
      model: n.model,
      dataset: n.dataset,
      weight: n.weight,
      metric: n.metric,
      needs: [...(n.needs ?? [])],
    })),
    file,
  };
  if (raw.description !== undefined) w.description = raw.description;
  if (raw.max_drop !== undefined) w.max_drop = raw.max_drop;
  return w;
}

/** Cross-file checks; returns problems, with lines where the index knows them. */
export function validateManifests(m: Manifests, lines: LineIndex): InputProblem[] {
  const problems: InputProblem[] = [];
  const lineOf = (file: string, path: Path) => lines.get(file)?.(path);

  // Ids are unique per kind even ignoring case: each becomes a page path, and macOS and Windows file systems would
  // give `M_A` and `m_a` the same one.
  const duplicates = <T extends { id: string; file: string }>(kind: Kind, list: readonly T[]) => {
    const byId = new Map<string, T[]>();
    for (const e of list) byId.set(e.id.toLowerCase(), [...(byId.get(e.id.toLowerCase()) ?? []), e]);
    for (const group of byId.values()) {
      if (group.length < 2) continue;
      const sorted = [...group].sort((a, b) => cmp(a.file, b.file));
      const first = sorted[0]!;
      for (const e of sorted.slice(1)) {
        const same = e.id === first.id;
        problems.push(
          problem(
            e.file,
            same
              ? `${kind} id "${e.id}" is already declared in ${first.file}`
              : `${kind} id "${e.id}" differs only in case from "${first.id}" in ${first.file}`,
            {
              line: lineOf(e.file, ['id']),
              field: 'id',
              hint: same
                ? `ids are unique per kind; rename one of the ${kind}s`
                : `ids are unique per kind ignoring case (each is a page of the site, and macOS and Windows do not tell case apart); rename one of the ${kind}s`,
            },
          ),
        );
      }
    }
  };
  duplicates('dataset', m.datasets);
  duplicates('model', m.models);
  duplicates('workflow', m.workflows);

  const datasetIds = new Set(m.datasets.map((d) => d.id));
  const modelIds = new Set(m.models.map((x) => x.id));
  // One suggestion per missing name, however many manifests name it, and none past the first hundred names: a
  // repository that broke that badly needs no guesses, and each costs a pass over the ids.
  const suggestions = new Map<string, string>();
  const suggest = (name: string, known: ReadonlySet<string>, kind: string) => {
    const key = `${kind}\u0000${name}`;
    if (!suggestions.has(key)) suggestions.set(key, suggestions.size < 100 ? didYouMean(name, known) : '');
    return suggestions.get(key)!;
  };
  for (const model of m.models) {
    for (const ds of Object.keys(model.datasets).sort()) {
      if (!datasetIds.has(ds)) {
        problems.push(
          problem(model.file, `datasets: unknown dataset "${ds}"${suggest(ds, datasetIds, 'dataset')}`, {
            line: lineOf(model.file, ['datasets', ds]),
            field: `datasets.${ds}`,
            hint: `declare it in ${KIND_DIRS.dataset}/ or correct the id`,
          }),
        );
      }
    }
  }
  for (const wf of m.workflows) {
    const nodeIds = new Map<string, number>();
    let duplicateNode = false;
    wf.nodes.forEach((n, i) => {
      const at = (f: string) => lineOf(wf.file, ['nodes', i, f]);
      if (nodeIds.has(n.id)) {
        duplicateNode = true;
        problems.push(
          problem(wf.file, `nodes.${i}.id: duplicate node id "${n.id}", already the id of nodes.${nodeIds.get(n.id)}`, {
            line: at('id'),
            field: `nodes.${i}.id`,
            hint: 'node ids are unique within a workflow; rename one of the two nodes',
          }),
        );
      } else nodeIds.set(n.id, i);
      if (!modelIds.has(n.model))
        problems.push(
          problem(wf.file, `nodes.${i}.model: unknown model "${n.model}"${suggest(n.model, modelIds, 'model')}`, {
            line: at('model'),
            field: `nodes.${i}.model`,
            hint: `declare it in ${KIND_DIRS.model}/ or correct the id`,
          }),
        );
      if (!datasetIds.has(n.dataset))
        problems.push(
          problem(wf.file, `nodes.${i}.dataset: unknown dataset "${n.dataset}"${suggest(n.dataset, datasetIds, 'dataset')}`, {
            line: at('dataset'),
            field: `nodes.${i}.dataset`,
            hint: `declare it in ${KIND_DIRS.dataset}/ or correct the id`,
          }),
        );
    });
    wf.nodes.forEach((n, i) => {
      n.needs.forEach((need, j) => {
        if (!nodeIds.has(need))
          problems.push(
            problem(wf.file, `nodes.${i}.needs: unknown node "${need}"${didYouMean(need, nodeIds.keys())}`, {
              line: lineOf(wf.file, ['nodes', i, 'needs', j]),
              field: `nodes.${i}.needs.${j}`,
              hint: 'name a node id of this workflow',
            }),
          );
      });
    });
    // With two nodes of one id, the needs graph is not the one the author drew: the duplicate is the error, and a
    // cycle found through it would be a false one.
    const cycle = duplicateNode ? null : findCycle(wf);
    if (cycle) {
      const first = nodeIds.get(cycle[0]!) ?? 0;
      problems.push(
        problem(wf.file, `nodes form a cycle: ${cycle.join(' → ')}`, {
          line: lineOf(wf.file, ['nodes', first, 'needs']),
          field: `nodes.${first}.needs`,
          hint: 'needs must form a DAG; remove one of these needs',
        }),
      );
    }
    if (wf.nodes.reduce((s, n) => s + n.weight, 0) <= 0) {
      problems.push(
        problem(wf.file, 'the node weights sum to zero', {
          line: lineOf(wf.file, ['nodes']),
          field: 'nodes',
          hint: 'give at least one node a positive weight',
        }),
      );
    }
  }
  return problems;
}

/** A cycle in the needs graph as a closed list of node ids, or null. Iterative so deep DAGs cannot overflow the stack. */
export function findCycle(wf: Workflow): string[] | null {
  const needs = new Map(wf.nodes.map((n) => [n.id, n.needs]));
  const state = new Map<string, 1 | 2>();
  for (const start of [...needs.keys()].sort()) {
    if (state.has(start)) continue;
    const stack: { id: string; i: number }[] = [{ id: start, i: 0 }];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = (needs.get(top.id) ?? [])[top.i++];
      if (next === undefined) {
        state.set(top.id, 2);
        stack.pop();
      } else if (!needs.has(next)) {
      } else if (state.get(next) === 1) {
        const from = stack.findIndex((f) => f.id === next);
        return [...stack.slice(from).map((f) => f.id), next];
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push({ id: next, i: 0 });
      }
    }
  }
  return null;
}
