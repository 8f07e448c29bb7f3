// What decides a run's status: the gates of what the change touches, and its weakened gates unless someone with
// authority allowed them. With a base, what the change leaves as the base declares it was already pending there: it
// is shown, but it does not decide.
import type { Report } from '../types.ts';

/** Ids the change leaves exactly as the base declares them (with a base); removed entries as `kind:id`. */
export interface Pending {
  datasets: ReadonlySet<string>;
  models: ReadonlySet<string>;
  workflows: ReadonlySet<string>;
  removed: ReadonlySet<string>;
}

export interface DecideOptions {
  /** --allow-weakening, or the Action's label on the pull request. */
  allowWeakening: boolean;
  pending?: Pending | null;
  /** With a base: the change updates the lock exactly as accept computes (a lock pull request). */
  lock?: 'unchanged' | 'accepted';
}

/** `r` is the evaluation as buildReport made it; the result marks what is pending and decides status and summary. */
export function decide(r: Report, o: DecideOptions): Report {
  if (r.status === 'invalid') return r;
  const p = o.pending ?? null;
  const mark = <T extends { id: string }>(items: T[], set: ReadonlySet<string> | undefined, affected: (x: T) => boolean): T[] =>
    items.map((x) => (p && affected(x) && set?.has(x.id) ? { ...x, pending: true } : x));
  const datasets = mark(r.datasets, p?.datasets, (d) => d.changed);
  const models = mark(r.models, p?.models, (m) => m.status !== 'unchanged');
  const workflows = mark(r.workflows, p?.workflows, (w) => w.status !== 'unchanged');
  const weakened = r.weakened.map((w) => (p && (w.entity === 'model' ? p.models : p.workflows).has(w.id) ? { ...w, pending: true } : w));
  const removed = r.removed.map((x) => (p?.removed.has(`${x.kind}:${x.id}`) ? { ...x, pending: true } : x));
  const mine = <T extends { pending?: boolean }>(xs: readonly T[]) => xs.filter((x) => !x.pending);

  const summary = {
    ...r.summary,
    datasets_changed: mine(datasets).filter((d) => d.changed).length,
    models_affected: mine(models).filter((x) => x.status !== 'unchanged').length,
    models_failed: mine(models).filter((x) => x.status === 'fail').length,
    workflows_affected: mine(workflows).filter((w) => w.status !== 'unchanged').length,
    workflows_failed: mine(workflows).filter((w) => w.status === 'fail').length,
    weakened: mine(weakened).length,
    removed: mine(removed).length,
  };
  const gatesFailed = summary.models_failed + summary.workflows_failed > 0;
  const weakenedFails = summary.weakened > 0 && !o.allowWeakening;
  const something =
    summary.datasets_changed + summary.models_affected + summary.workflows_affected + summary.removed + summary.weakened > 0 ||
    o.lock === 'accepted';
  return {
    ...r,
    status: gatesFailed || weakenedFails ? 'fail' : something ? 'pass' : 'noop',
    allow_weakening: o.allowWeakening,
    summary,
    datasets,
    models,
    workflows,
    weakened,
    removed,
  };
}
