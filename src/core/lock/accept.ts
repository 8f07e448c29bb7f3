// Partial acceptance: the new lock from one evaluation. What passed is accepted, everything else keeps its old entry.
import { cmp, sortDeep } from '../order.ts';
import type { Lock, LockModel, LockNode, LockWorkflow, Manifests, MetricFile, Report } from '../types.ts';
import { compactReport, type HistoryRecord, historyFileName } from './history.ts';

export interface Acceptance {
  lock: Lock;
  history: HistoryRecord;
  historyFile: string;
}

/**
 * The new lock from one evaluation: what passed is accepted, everything else keeps its old entry.
 * `values` are the metric values read this run (model → metric → value); `metricFiles` each model's metric file with
 * its blob id, recorded with what is accepted so that a later change of its bytes at the same version is seen.
 * Returns null when nothing would change.
 */
export function accept(
  old: Lock,
  m: Manifests,
  report: Report,
  values: ReadonlyMap<string, ReadonlyMap<string, number>>,
  at: string,
  metricFiles: ReadonlyMap<string, MetricFile> = new Map(),
): Acceptance | null {
  if (report.status === 'invalid' || report.status === 'noop') return null;
  // Copy on write: the maps are copied, entries are replaced and never mutated, so `old` stays as it was without
  // cloning a lock of 30,000 models. `changed` records whether any entry really differs.
  const lock: Lock = { ...old, datasets: { ...old.datasets }, models: { ...old.models }, workflows: { ...old.workflows } };
  let changed = false;
  const same = (a: unknown, b: unknown) => JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(b));
  const history: HistoryRecord = {
    sequence: old.evaluations + 1,
    fingerprint: report.fingerprint,
    at,
    status: report.status,
    accepted: { datasets: {}, models: {}, workflows: {} },
    rejected: { models: [], workflows: [] },
    report: compactReport(report),
  };

  const declared = {
    datasets: new Set(m.datasets.map((d) => d.id)),
    models: new Set(m.models.map((x) => x.id)),
    workflows: new Set(m.workflows.map((w) => w.id)),
  };
  for (const map of [lock.datasets, lock.models, lock.workflows] as Record<string, unknown>[]) {
    const ids = map === lock.datasets ? declared.datasets : map === lock.models ? declared.models : declared.workflows;
    for (const id of Object.keys(map)) {
      if (ids.has(id)) continue;
      delete map[id];
      changed = true;
    }
  }

  const modelStatus = new Map(report.models.map((r) => [r.id, r.status]));
  const nodeMetrics = new Map<string, Set<string>>();
  for (const w of m.workflows) for (const n of w.nodes) nodeMetrics.set(n.model, (nodeMetrics.get(n.model) ?? new Set()).add(n.metric));

  for (const model of m.models) {
    const status = modelStatus.get(model.id);
    if (status === 'fail') history.rejected.models.push(model.id);
    if (status !== 'pass') continue;
    const read = values.get(model.id) ?? new Map<string, number>();
    const metrics: Record<string, number> = {};
    for (const name of [...model.gate.map((c) => c.metric), ...(nodeMetrics.get(model.id) ?? [])]) {
      const v = read.get(name);
      if (v !== undefined) metrics[name] = v;
    }
    const entry: LockModel = { version: model.version, datasets: { ...model.datasets }, gate: model.gate.map((c) => c.text), metrics };
    if (model.on_missing_baseline === 'fail') entry.on_missing_baseline = 'fail';
    const file = metricFiles.get(model.id);
    if (file) entry.metric_file = { path: file.path, blob: file.blob };
    if (!old.models[model.id] || !same(old.models[model.id], entry)) changed = true;
    lock.models[model.id] = entry;
    history.accepted.models[model.id] = { version: model.version, metrics };
  }

  const wfResults = new Map(report.workflows.map((w) => [w.id, w]));
  for (const w of m.workflows) {
    const r = wfResults.get(w.id);
    if (r?.status === 'fail') history.rejected.workflows.push(w.id);
    if (r?.status !== 'pass' || r.score === null) continue;
    const nodes: Record<string, LockNode> = {};
    for (const n of r.nodes) {
      const pin: LockNode = {
        model: n.model,
        model_version: n.model_version,
        dataset: n.dataset,
        dataset_version: n.dataset_version,
        weight: n.weight,
        metric: n.metric,
        needs: [...n.needs].sort(cmp),
      };
      if (n.score !== null) pin.score = n.score;
      nodes[n.id] = pin;
    }
    const entry: LockWorkflow = { version: w.version, threshold: w.threshold, score: r.score, nodes };
    if (w.max_drop !== undefined) entry.max_drop = w.max_drop;
    if (!old.workflows[w.id] || !same(old.workflows[w.id], entry)) changed = true;
    lock.workflows[w.id] = entry;
    history.accepted.workflows[w.id] = { version: w.version, score: r.score, threshold: w.threshold };
  }

  // A dataset's accepted version advances only when nothing that uses it failed.
  const failedModels = new Set(report.models.filter((x) => x.status === 'fail').map((x) => x.id));
  const failedWorkflows = new Set(report.workflows.filter((x) => x.status === 'fail').map((x) => x.id));
  const blocked = new Set<string>();
  for (const model of m.models) if (failedModels.has(model.id)) for (const ds of Object.keys(model.datasets)) blocked.add(ds);
  for (const w of m.workflows) if (failedWorkflows.has(w.id)) for (const n of w.nodes) blocked.add(n.dataset);
  for (const d of m.datasets) {
    if (blocked.has(d.id) || lock.datasets[d.id]?.version === d.version) continue;
    lock.datasets[d.id] = { version: d.version };
    changed = true;
    history.accepted.datasets[d.id] = d.version;
  }

  if (!changed) return null;
  lock.evaluations = history.sequence;
  lock.fingerprint = report.fingerprint;
  history.rejected.models.sort(cmp);
  history.rejected.workflows.sort(cmp);
  return { lock, history, historyFile: historyFileName(history) };
}
