// The difference between two evaluations, as the lock diff between them reads: every dataset, model and workflow
// whose accepted state moved, from what it was after the first to what it is after the second. Folded from the
// records in between, each of which says what its entities were before it. Pure: the diff page runs it in the browser.
import type { Before, DiffFile } from './site-contract.ts';

export interface Moved<T> {
  id: string;
  before: T | null;
  after: T;
}
export interface EvaluationDiff {
  datasets: Moved<string>[];
  models: Moved<NonNullable<Before['models'][string]>>[];
  workflows: Moved<NonNullable<Before['workflows'][string]>>[];
  /** What the later evaluation kept back (failed). */
  kept: { models: string[]; workflows: string[] };
}

/** `records` are the evaluations after the first one up to and including the second, in order. */
export function diffEvaluations(records: readonly DiffFile[]): EvaluationDiff {
  const fold = <T>(pick: (r: DiffFile) => [Record<string, T>, Record<string, T | null>]): Moved<T>[] => {
    const moved = new Map<string, Moved<T>>();
    for (const r of records) {
      const [accepted, before] = pick(r);
      for (const [id, after] of Object.entries(accepted)) {
        const seen = moved.get(id);
        if (seen) seen.after = after;
        else moved.set(id, { id, before: before[id] ?? null, after });
      }
    }
    return [...moved.values()]
      .filter((m) => JSON.stringify(m.before) !== JSON.stringify(m.after))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };
  const last = records.at(-1);
  return {
    datasets: fold((r) => [r.accepted.datasets, r.before.datasets]),
    models: fold((r) => [r.accepted.models, r.before.models]),
    workflows: fold((r) => [r.accepted.workflows, r.before.workflows]),
    kept: { models: [...(last?.rejected.models ?? [])], workflows: [...(last?.rejected.workflows ?? [])] },
  };
}
