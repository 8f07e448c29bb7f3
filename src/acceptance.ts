// Writes what `accept` decided: the history record, then the lock, each atomically; on failure nothing is left half-done.

import { assertSchema } from './core/input/schema.ts';
import { accept } from './core/lock/accept.ts';
import { type HistoryRecord, serializeHistory } from './core/lock/history.ts';
import { LOCK_FILE, serializeLock } from './core/lock/lock-file.ts';
import type { Lock } from './core/types.ts';
import type { Evaluation } from './evaluate.ts';

export interface Written {
  files: string[];
  lock: Lock;
  history: HistoryRecord;
  lockText: string;
  historyText: string;
}

/** The files `accept` would write, without writing them (the Action commits them through the API instead). */
export function planAcceptance(ev: Evaluation, at: string): Written | null {
  if (!ev.manifests) return null;
  // The evaluation as a whole, not the verdict on one change: what passed is accepted whoever changed it.
  const result = accept(ev.lock, ev.manifests, ev.absolute ?? ev.report, ev.values, at, ev.metricFiles);
  if (!result) return null;
  assertSchema('lock', result.lock);
  assertSchema('history', result.history);
  const under = (p: string) => (ev.rootRel ? `${ev.rootRel}/${p}` : p);
  return {
    files: [under(LOCK_FILE), under(result.historyFile)],
    lock: result.lock,
    history: result.history,
    lockText: serializeLock(result.lock),
    historyText: serializeHistory(result.history),
  };
}

export async function acceptEvaluation(ev: Evaluation, at: string): Promise<Written | null> {
  const plan = planAcceptance(ev, at);
  if (!plan) return null;
  const [lockFile, historyFile] = plan.files as [string, string];
  await ev.repo.writeAtomic(historyFile, plan.historyText);
  try {
    await ev.repo.writeAtomic(lockFile, plan.lockText);
  } catch (e) {
    await ev.repo.remove(historyFile);
    throw e;
  }
  return plan;
}
