// What the retrain jobs of a plan may change in the repository, and how: each job's folder may bring the metric file
// of its model, its manifest (a model without DVC records its new version and datasets there), or its pipeline's
// dvc.lock, from which only the entries of the model's stage and of the stage writing its metrics are taken.
// Anything else a job left is ignored and named: a job runs training code, and a folder is not a licence to edit.
import { type Document, parseDocument } from 'yaml';
import { cmp } from '../order.ts';
import type { PlanEntry } from './plan.ts';

/** One retrain job's folder: repository-relative path → text. */
export interface RetrainOutput {
  /** The folder's name, for messages (retrained-<model> as the example workflow uploads it). */
  name: string;
  model: string;
  files: ReadonlyMap<string, string>;
}

export interface RetrainChanges {
  /** Repository files to write, with their new text, in path order. */
  writes: { path: string; text: string }[];
  /** What was applied, one line each, for the log. */
  applied: string[];
  /** Files a folder held that its model may not change, and folders of models the plan does not retrain. */
  ignored: string[];
  problems: string[];
}

/**
 * `current` reads a repository file as it is now (null when absent): the dvc.lock entries are spliced into it, so two
 * models of one pipeline retrained in two jobs both land.
 */
export function retrainChanges(
  entries: readonly PlanEntry[],
  outputs: readonly RetrainOutput[],
  current: (path: string) => string | null,
): RetrainChanges {
  const byModel = new Map(entries.map((e) => [e.model, e]));
  const out: RetrainChanges = { writes: [], applied: [], ignored: [], problems: [] };
  const writes = new Map<string, string>();
  const locks = new Map<string, Document>();
  for (const o of [...outputs].sort((a, b) => cmp(a.name, b.name))) {
    const e = byModel.get(o.model);
    if (!e) {
      out.ignored.push(`${o.name}: the plan does not retrain a model "${o.model}"`);
      continue;
    }
    const lockPath = e.pipeline ? e.pipeline.replace(/[^/]*$/, 'dvc.lock') : null;
    const isMetrics = (p: string) => e.metrics !== null && (p === e.metrics || p.startsWith(`${e.metrics}/`));
    for (const [path, text] of [...o.files].sort(([a], [b]) => cmp(a, b))) {
      if (isMetrics(path)) {
        writes.set(path, text);
        out.applied.push(`${o.name}: ${path}`);
      } else if (path === e.file && e.stage === null) {
        writes.set(path, text);
        out.applied.push(`${o.name}: ${path}`);
      } else if (path === lockPath && e.stage !== null) {
        const spliced = splice(lockPath, text, e, locks, current, isMetrics);
        if (typeof spliced === 'string') out.problems.push(`${o.name}: ${spliced}`);
        else out.applied.push(...spliced.map((s) => `${o.name}: ${lockPath} stage ${s}`));
      } else out.ignored.push(`${o.name}: ${path} is not a file retraining ${e.model} may change`);
    }
  }
  for (const [path, doc] of locks) writes.set(path, doc.toString({ indentSeq: false, lineWidth: 0 }));
  out.writes = [...writes].sort(([a], [b]) => cmp(a, b)).map(([path, text]) => ({ path, text }));
  return out;
}

/** Takes the model's stage, and the stage whose outs or metrics include its metric file, from a job's dvc.lock. */
function splice(
  lockPath: string,
  text: string,
  e: PlanEntry,
  locks: Map<string, Document>,
  current: (path: string) => string | null,
  isMetrics: (p: string) => boolean,
): string[] | string {
  const job = parseDocument(text, { uniqueKeys: true, merge: false });
  if (job.errors.length > 0) return `${lockPath} is not YAML: ${job.errors[0]!.message.split('\n')[0]}`;
  const stages = job.toJS({ maxAliasCount: 0 })?.stages as Record<string, { outs?: { path?: unknown }[] }> | undefined;
  if (!stages || typeof stages !== 'object' || !Object.hasOwn(stages, e.stage!)) return `${lockPath} has no stage ${e.stage}`;
  let target = locks.get(lockPath);
  if (!target) {
    const now = current(lockPath);
    if (now === null) return `${lockPath} is not in the repository`;
    target = parseDocument(now, { uniqueKeys: true, merge: false });
    if (target.errors.length > 0) return `the repository's ${lockPath} is not YAML`;
    locks.set(lockPath, target);
  }
  const dir = lockPath.includes('/') ? lockPath.replace(/[^/]*$/, '') : '';
  const names = [e.stage!];
  for (const [name, s] of Object.entries(stages).sort(([a], [b]) => cmp(a, b))) {
    if (name === e.stage) continue;
    if ((s?.outs ?? []).some((x) => typeof x?.path === 'string' && isMetrics(`${dir}${x.path}`))) names.push(name);
  }
  for (const name of names) target.setIn(['stages', name], job.getIn(['stages', name], true));
  return names;
}
