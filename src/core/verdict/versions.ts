// The versions each dataset is known to have had: now, accepted in the lock (its own entry and what accepted models
// were trained on) and in the history. A trained-on version outside them was most likely mistyped.
import type { HistoryRecord } from '../lock/history.ts';
import type { Lock, Manifests } from '../types.ts';

export function seenVersions(m: Manifests, lock: Lock, history: readonly HistoryRecord[]): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  const add = (id: string, version: string | undefined) => {
    if (version === undefined) return;
    const set = seen.get(id);
    if (set) set.add(version);
    else seen.set(id, new Set([version]));
  };
  for (const d of m.datasets) add(d.id, d.version);
  for (const [id, d] of Object.entries(lock.datasets)) add(id, d.version);
  for (const model of Object.values(lock.models)) for (const [id, v] of Object.entries(model.datasets)) add(id, v);
  for (const h of history) for (const [id, v] of Object.entries(h.accepted.datasets)) add(id, v);
  return seen;
}
