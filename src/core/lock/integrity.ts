// What differs between a lock (or history record) a change carries and the one `accept` computes, in words a
// reviewer can act on: "mol_toxicity's accepted baseline test.auc differs from what accept computes: 0.86 vs 0.91".
import { cmp, sortDeep } from '../order.ts';
import type { Lock } from '../types.ts';

export interface Difference {
  /** Where in the file (for its line), as a path of keys. */
  path: (string | number)[];
  message: string;
}

/** At most this many differences are spelled out; the rest are counted. */
export const MAX_DIFFERENCES = 12;

const show = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '(none)' : JSON.stringify(v));
const keys = (a: object | undefined, b: object | undefined) => [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort(cmp);
const field = (o: object, k: string): unknown => (o as Record<string, unknown>)[k];
const same = (a: unknown, b: unknown) => JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(b));

/**
 * `actual` is the lock in the change, `expected` the one it should be (`against` says which: "what accept computes",
 * "the lock at origin/main"); values are given in that order.
 */
export function lockDifferences(actual: Lock, expected: Lock, against = 'what accept computes'): Difference[] {
  const out: Difference[] = [];
  const differs = (path: (string | number)[], what: string, a: unknown, e: unknown) => {
    const verb = what.endsWith('datasets') ? 'differ' : 'differs';
    if (!same(a, e)) out.push({ path, message: `${what} ${verb} from ${against}: ${show(a)} vs ${show(e)}` });
  };
  for (const k of ['lock_version', 'evaluations', 'fingerprint'] as const) differs([k], k, actual[k], expected[k]);

  const entries = <T extends object>(
    kind: 'dataset' | 'model' | 'workflow',
    field: 'datasets' | 'models' | 'workflows',
    each: (id: string, a: T, e: T) => void,
  ) => {
    const a = (actual[field] ?? {}) as Record<string, T>;
    const e = (expected[field] ?? {}) as Record<string, T>;
    for (const id of keys(a, e)) {
      if (!(id in a)) out.push({ path: [field], message: `${kind} ${id}'s accepted entry is missing, but ${against} has one` });
      else if (!(id in e)) out.push({ path: [field, id], message: `${kind} ${id} has an accepted entry that ${against} does not have` });
      else each(id, a[id]!, e[id]!);
    }
  };
  entries<Lock['datasets'][string]>('dataset', 'datasets', (id, a, e) =>
    differs(['datasets', id, 'version'], `dataset ${id}'s accepted version`, a.version, e.version),
  );
  entries<Lock['models'][string]>('model', 'models', (id, a, e) => {
    const at = (...p: string[]) => ['models', id, ...p];
    differs(at('version'), `${id}'s accepted version`, a.version, e.version);
    differs(at('datasets'), `${id}'s trained-on datasets`, a.datasets, e.datasets);
    differs(at('gate'), `${id}'s accepted gate`, a.gate, e.gate);
    differs(at('on_missing_baseline'), `${id}'s on_missing_baseline`, a.on_missing_baseline, e.on_missing_baseline);
    for (const m of keys(a.metrics, e.metrics)) differs(at('metrics', m), `${id}'s accepted baseline ${m}`, a.metrics?.[m], e.metrics?.[m]);
    const file = (f: typeof a.metric_file) => (f ? `${f.path}@${f.blob}` : undefined);
    differs(at('metric_file'), `${id}'s recorded metric file`, file(a.metric_file), file(e.metric_file));
    for (const k of keys(a, e))
      if (!['version', 'datasets', 'gate', 'on_missing_baseline', 'metrics', 'metric_file'].includes(k))
        differs(at(k), `${id}'s ${k}`, field(a, k), field(e, k));
  });
  entries<Lock['workflows'][string]>('workflow', 'workflows', (id, a, e) => {
    const at = (...p: string[]) => ['workflows', id, ...p];
    differs(at('version'), `${id}'s accepted version`, a.version, e.version);
    differs(at('threshold'), `${id}'s accepted threshold`, a.threshold, e.threshold);
    differs(at('max_drop'), `${id}'s accepted max_drop`, a.max_drop, e.max_drop);
    differs(at('score'), `${id}'s accepted score`, a.score, e.score);
    for (const n of keys(a.nodes, e.nodes)) {
      const an = a.nodes?.[n];
      const en = e.nodes?.[n];
      if (!an || !en) {
        out.push({
          path: at('nodes'),
          message: `${id}'s node ${n} ${an ? `is pinned, but not in ${against}` : `pin is missing, but ${against} has one`}`,
        });
        continue;
      }
      for (const k of keys(an, en)) differs(at('nodes', n, k), `${id}'s node ${n} ${k}`, field(an, k), field(en, k));
    }
  });
  return out;
}

/** Differences between two history records, everything but their time (`at`). */
export function historyDifferences(actual: unknown, expected: unknown): Difference[] {
  const out: Difference[] = [];
  const walk = (a: unknown, e: unknown, path: (string | number)[]) => {
    if (path.length === 1 && path[0] === 'at') return;
    const objects = a !== null && e !== null && typeof a === 'object' && typeof e === 'object' && Array.isArray(a) === Array.isArray(e);
    if (objects && !Array.isArray(a)) {
      for (const k of keys(a as object, e as object)) walk(field(a, k), field(e, k), [...path, k]);
      return;
    }
    if (!same(a, e)) {
      const where = path.length > 0 ? path.join('.') : 'the record';
      out.push({ path, message: `${where} differs from the record accept writes: ${shorten(show(a))} vs ${shorten(show(e))}` });
    }
  };
  walk(actual, expected, []);
  return out;
}

function shorten(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
