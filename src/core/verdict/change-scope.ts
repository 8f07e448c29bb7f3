// What a change leaves exactly as its base declares it. An entity whose declaration, metric file and inputs are the
// base's gets the same result on the base as here, so its result was already pending there: it does not decide
// the change. Everything it depends on is compared, so nothing the change touched can pass for pending.
import { cmp, sortDeep } from '../order.ts';
import type { Lock, Manifests, MetricFile } from '../types.ts';
import type { Pending } from './decide.ts';

export interface Declared {
  manifests: Manifests;
  /** Each model's metric file that exists, with its blob id. */
  metricFiles: ReadonlyMap<string, MetricFile>;
}

/** Fields that do not decide a verdict: where an entity is written and how it is described. */
const PROSE = new Set(['file', 'description', 'meta', 'notes']);

function signature(entity: object, extra: Record<string, unknown> = {}): string {
  const kept = Object.fromEntries(Object.entries(entity).filter(([k]) => !PROSE.has(k)));
  return JSON.stringify(sortDeep({ ...kept, ...extra }));
}

export function pendingOnBase(head: Declared, base: Declared, lock: Lock): Pending {
  const baseDatasets = new Map(base.manifests.datasets.map((d) => [d.id, d]));
  const datasets = new Set(head.manifests.datasets.filter((d) => baseDatasets.get(d.id)?.version === d.version).map((d) => d.id));

  const baseModels = new Map(base.manifests.models.map((x) => [x.id, x]));
  const models = new Set<string>();
  for (const x of head.manifests.models) {
    const b = baseModels.get(x.id);
    if (!b) continue;
    const same =
      signature(x, { metric_file: head.metricFiles.get(x.id) ?? null }) ===
      signature(b, { metric_file: base.metricFiles.get(b.id) ?? null });
    if (same && Object.keys(x.datasets).every((ds) => datasets.has(ds))) models.add(x.id);
  }

  const baseWorkflows = new Map(base.manifests.workflows.map((w) => [w.id, w]));
  const workflows = new Set<string>();
  for (const w of head.manifests.workflows) {
    const b = baseWorkflows.get(w.id);
    if (!b || signature(w) !== signature(b)) continue;
    if (w.nodes.every((n) => models.has(n.model) && datasets.has(n.dataset))) workflows.add(w.id);
  }

  // Accepted, gone now, and gone at the base already.
  const declared = (m: Manifests) =>
    new Set([
      ...m.datasets.map((d) => `dataset:${d.id}`),
      ...m.models.map((x) => `model:${x.id}`),
      ...m.workflows.map((w) => `workflow:${w.id}`),
    ]);
  const atBase = declared(base.manifests);
  const removed = new Set(
    [
      ...Object.keys(lock.datasets).map((id) => `dataset:${id}`),
      ...Object.keys(lock.models).map((id) => `model:${id}`),
      ...Object.keys(lock.workflows).map((id) => `workflow:${id}`),
    ]
      .filter((k) => !atBase.has(k))
      .sort(cmp),
  );
  return { datasets, models, workflows, removed };
}
