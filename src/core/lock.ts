// The accepted state: reading it, writing it byte-for-byte deterministically, and deciding what `accept` changes.
import { parseDocument } from './document.ts';
import { cmp, type InputProblem } from './errors.ts';
import { readLockYaml, writeLockYaml } from './lock-yaml.ts';
import { schemaProblems } from './schema.ts';
import { EMPTY_LOCK, type Lock, type LockModel, type LockNode, type LockWorkflow, type Manifests, type Report } from './types.ts';

export const LOCK_FILE = 'associations.lock.yaml';
export const HISTORY_DIR = 'history';

const HEADER = '# Accepted associations, written by lineage-gate (accept, or the Action\'s PR). Do not edit by hand.\n';

export function parseLock(text: string | null, file: string): { ok: true; lock: Lock } | { ok: false; problems: InputProblem[] } {
  if (text === null) return { ok: true, lock: structuredClone(EMPTY_LOCK) };
  const hint = (p: InputProblem): InputProblem => ({
    ...p,
    hint: `${p.hint ? `${p.hint}; ` : ''}the lock is written by lineage-gate: restore it from the default branch (git checkout origin/HEAD -- ${file})`,
  });
  // What lineage-gate wrote reads fast; anything else goes through the full parser for located errors.
  const fast = readLockYaml(text);
  if (fast !== null && schemaProblems('lock', fast, file).length === 0) return { ok: true, lock: fast as unknown as Lock };
  const parsed = parseDocument(text, file, 'yaml');
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(hint) };
  const problems = schemaProblems('lock', parsed.doc.value, file, parsed.doc).map(hint);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, lock: parsed.doc.value as Lock };
}

/** Sorted keys, fixed formatting: the same lock always gives the same bytes. */
export function serializeLock(lock: Lock): string {
  return HEADER + writeLockYaml(lock as unknown as Parameters<typeof writeLockYaml>[0]);
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort(cmp)) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortDeep(v);
    }
    return out;
  }
  return value;
}

export interface HistoryRecord {
  sequence: number;
  fingerprint: string;
  at: string;
  status: 'pass' | 'fail';
  accepted: {
    datasets: Record<string, string>;
    models: Record<string, { version: string; metrics: Record<string, number> }>;
    workflows: Record<string, { version: string; score: number; threshold: number }>;
  };
  rejected: { models: string[]; workflows: string[] };
  report: Partial<Report>;
}

export interface Acceptance {
  lock: Lock;
  history: HistoryRecord;
  historyFile: string;
}

/**
 * The new lock from one evaluation: what passed is accepted, everything else keeps its old entry.
 * `values` are the metric values read this run (model → metric → value). Returns null when nothing would change.
 */
export function accept(
  old: Lock,
  m: Manifests,
  report: Report,
  values: ReadonlyMap<string, ReadonlyMap<string, number>>,
  at: string,
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
      const pin: LockNode = { model: n.model, model_version: n.model_version, dataset: n.dataset, dataset_version: n.dataset_version, weight: n.weight, metric: n.metric, needs: [...n.needs].sort(cmp) };
      if (n.score !== null) pin.score = n.score;
      nodes[n.id] = pin;
    }
    const entry: LockWorkflow = { version: w.version, threshold: w.threshold, score: r.score, nodes };
    if (w.maxDrop !== undefined) entry.max_drop = w.maxDrop;
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

export function historyFileName(h: Pick<HistoryRecord, 'sequence' | 'fingerprint'>): string {
  return `${HISTORY_DIR}/${String(h.sequence).padStart(6, '0')}-${h.fingerprint.slice(0, 12)}.json`;
}

export function serializeHistory(h: HistoryRecord): string {
  return `${JSON.stringify(sortDeep(h), null, 2)}\n`;
}

/** The report without unchanged entities, so history stays small at scale. */
export function compactReport(r: Report): Partial<Report> {
  return {
    ...r,
    datasets: r.datasets.filter((d) => d.changed),
    models: r.models.filter((x) => x.status !== 'unchanged'),
    workflows: r.workflows.filter((w) => w.status !== 'unchanged'),
  };
}
