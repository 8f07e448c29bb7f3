// Assembles the report from what DuckDB decided, and explains each verdict in plain words.

import { formatDecimal, normalize } from '../input/decimal.ts';
import type { Metrics } from '../input/metrics.ts';
import { type InputProblem, sortProblems } from '../input/problems.ts';
import { didYouMean } from '../input/suggest.ts';
import { cmp } from '../order.ts';
import type {
  ConditionResult,
  DatasetResult,
  Lock,
  LockModel,
  Manifests,
  MetricFile,
  Model,
  ModelResult,
  NodeResult,
  Report,
  Status,
  Weakening,
  WorkflowResult,
} from '../types.ts';

/** What the gate queries return (see src/adapters/sql.ts). */
export interface GateRows {
  conditions: {
    model_id: string;
    idx: number;
    text: string;
    metric: string;
    op: string;
    /** The right-hand side as an integer string and its power of ten; null without a baseline. */
    expected_m: string | null;
    expected_e: number | null;
    actual: number | null;
    actual_text: string | null;
    no_baseline: boolean;
    bad_product: boolean;
    missing_baseline: 'skip' | 'fail';
    result: 'pass' | 'fail' | 'skipped';
  }[];
  models: { id: string; changed: boolean; metrics_changed: boolean; stale: boolean; metric_file: string; status: 'pass' | 'fail' }[];
  staleEdges: { model_id: string; dataset_id: string; trained_on: string; current: string }[];
  workflows: {
    id: string;
    score: number | null;
    accepted_score: number | null;
    floor_score: number;
    wsum: number;
    missing_scores: number;
    failed_models: string[] | null;
    below_threshold: boolean;
    dropped_too_far: boolean;
    status: 'pass' | 'fail';
  }[];
  nodes: {
    workflow_id: string;
    node_id: string;
    weight: number;
    score: number | null;
    contribution: number | null;
    headroom: number | null;
  }[];
}

export interface ReportInput {
  manifests: Manifests;
  lock: Lock;
  rows: GateRows;
  /** Parsed metric files of the models this run read, for explaining missing or non-finite values. */
  metrics: ReadonlyMap<string, Metrics>;
  /** Model id → why its metric file may be missing (it lies in an out DVC keeps out of git). */
  metricHints?: ReadonlyMap<string, string>;
  /** Every declared metric file that exists, by model, with its blob id. */
  metricFiles?: ReadonlyMap<string, MetricFile>;
  weakened: Weakening[];
  fingerprint: string;
  all: boolean;
  /** Ids re-evaluated on request. */
  only?: readonly string[];
  /** Dataset id → every version it is known to have had (core/verdict/versions.ts), to tell a typo from staleness. */
  seenVersions?: ReadonlyMap<string, ReadonlySet<string>>;
}

export function buildReport(input: ReportInput): Report {
  const { manifests: m, lock, rows } = input;
  const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => cmp(a.id, b.id));
  const modelRows = new Map(rows.models.map((r) => [r.id, r]));
  const modelsById = new Map(m.models.map((x) => [x.id, x]));
  const datasetVersion = new Map(m.datasets.map((d) => [d.id, d.version]));

  const datasets: DatasetResult[] = byId(m.datasets).map((d) => {
    const accepted = lock.datasets[d.id]?.version ?? null;
    return { id: d.id, version: d.version, accepted_version: accepted, changed: accepted !== d.version, dvc: d.dvc ?? null, file: d.file };
  });

  const condsByModel = groupBy(rows.conditions, (c) => c.model_id);
  const staleByModel = groupBy(rows.staleEdges, (e) => e.model_id);
  const models: ModelResult[] = byId(m.models).map((x) => {
    const row = modelRows.get(x.id);
    const base = {
      id: x.id,
      version: x.version,
      accepted_version: lock.models[x.id]?.version ?? null,
      datasets: Object.keys(x.datasets)
        .sort()
        .map((ds) => ({ id: ds, trained_on: x.datasets[ds]!, current: datasetVersion.get(ds) ?? null })),
      file: x.file,
    };
    if (!row)
      return { ...base, status: 'unchanged', changed: false, stale: false, reasons: [], metrics_changed: false, notes: [], conditions: [] };
    const reasons: string[] = [];
    const notes = row.metrics_changed ? [metricsChangedNote(x, lock.models[x.id]!, input.metricFiles?.get(x.id))] : [];
    for (const e of staleByModel.get(x.id) ?? []) {
      const seen = input.seenVersions?.get(e.dataset_id);
      if (seen && !seen.has(e.trained_on)) {
        const accepted = lock.datasets[e.dataset_id]?.version;
        reasons.push(
          `trained on ${e.dataset_id}@${e.trained_on}, a version ${e.dataset_id} never had (it is at ${e.current}${accepted !== undefined && accepted !== e.current ? `, accepted at ${accepted}` : ''}): probably mistyped${didYouMean(e.trained_on, seen)}`,
        );
      } else reasons.push(`retraining required: trained on ${e.dataset_id}@${e.trained_on}, which is now at ${e.current}`);
    }
    if (row.stale) for (const why of x.stale_reasons ?? []) reasons.push(why);
    if (row.metric_file === 'missing') {
      const hint = input.metricHints?.get(x.id);
      reasons.push(`metric file ${x.metrics} not found${hint ? `: ${hint}` : ''}`);
    }
    const parsed = input.metrics.get(x.id);
    const conditions: ConditionResult[] = (condsByModel.get(x.id) ?? []).map((c) => {
      const expectedText =
        c.expected_m === null || c.expected_e === null ? null : formatDecimal(normalize(BigInt(c.expected_m), c.expected_e));
      const r: ConditionResult = {
        text: c.text,
        metric: c.metric,
        op: c.op,
        expected: expectedText === null ? null : Number(expectedText),
        actual: c.actual,
        expected_text: expectedText,
        actual_text: c.actual_text,
        result: c.result,
      };
      if (c.actual === null) {
        r.note = missingMetricNote(c.metric, x.metrics, parsed, row.metric_file);
        if (row.metric_file !== 'missing') reasons.push(`${c.text}: ${r.note}`);
      } else if (c.no_baseline && c.missing_baseline === 'fail') {
        r.note = 'no accepted baseline yet, and on_missing_baseline is fail';
        reasons.push(`${c.text}: ${r.note}`);
      } else if (c.result === 'skipped') {
        r.note = 'no accepted baseline yet; checked once this version is accepted';
      } else if (c.bad_product) {
        const baseline = lock.models[x.id]?.metrics[c.metric];
        r.note = `baseline * n needs a positive baseline, and the baseline is ${baseline === undefined ? '—' : String(baseline)}: a product moves a bound at or below zero the wrong way; write baseline + n% or baseline - n% instead`;
        reasons.push(`${c.text}: ${r.note}`);
      } else if (c.result === 'fail') {
        reasons.push(`${c.metric} = ${c.actual_text}, needs ${c.op} ${expectedText}${c.text.includes('baseline') ? ` (${c.text})` : ''}`);
      }
      return r;
    });
    const result: ModelResult = {
      ...base,
      status: row.status,
      changed: row.changed,
      stale: row.stale,
      reasons,
      metrics_changed: row.metrics_changed,
      notes: [...notes, ...(x.notes ?? [])],
      conditions,
    };
    return result;
  });

  const wfRows = new Map(rows.workflows.map((r) => [r.id, r]));
  const nodeRows = new Map(rows.nodes.map((n) => [`${n.workflow_id}\u0000${n.node_id}`, n]));
  const workflows: WorkflowResult[] = byId(m.workflows).map((w) => {
    const row = wfRows.get(w.id);
    const accepted = lock.workflows[w.id];
    const nodes: NodeResult[] = w.nodes.map((n) => {
      const r = nodeRows.get(`${w.id}\u0000${n.id}`);
      return {
        id: n.id,
        model: n.model,
        model_version: modelsById.get(n.model)?.version ?? '',
        dataset: n.dataset,
        dataset_version: datasetVersion.get(n.dataset) ?? '',
        weight: n.weight,
        metric: n.metric,
        needs: [...n.needs],
        score: r ? r.score : (accepted?.nodes[n.id]?.score ?? null),
        contribution: r ? r.contribution : null,
        headroom: r ? r.headroom : null,
      };
    });
    const base = {
      id: w.id,
      version: w.version,
      accepted_version: accepted?.version ?? null,
      threshold: w.threshold,
      max_drop: w.max_drop ?? null,
      accepted_score: accepted?.score ?? null,
      nodes,
      file: w.file,
    };
    if (!row) return { ...base, status: 'unchanged', score: accepted?.score ?? null, reasons: [] };
    const reasons: string[] = [];
    for (const id of row.failed_models ?? [])
      reasons.push(`model ${id} failed gate 1 at version ${modelsById.get(id)?.version}; it must pass before this workflow can use it`);
    for (const n of nodes) {
      if (n.score === null)
        reasons.push(
          `node ${n.id}: ${missingMetricNote(n.metric, modelsById.get(n.model)?.metrics, input.metrics.get(n.model), input.metrics.has(n.model) ? 'ok' : 'missing')} (model ${n.model})`,
        );
    }
    if (row.below_threshold) reasons.push(`score ${fmt(row.score)} is below the threshold ${fmt(w.threshold)}`);
    if (row.dropped_too_far && row.score !== null && row.accepted_score !== null) {
      reasons.push(
        `score ${fmt(row.score)} fell ${fmt(row.accepted_score - row.score)} below the accepted ${fmt(row.accepted_score)}; max_drop is ${fmt(w.max_drop)}`,
      );
    }
    return { ...base, status: row.status, score: row.score, reasons };
  });

  const removed = [
    ...Object.keys(lock.datasets)
      .filter((id) => !datasetVersion.has(id))
      .map((id) => ({ kind: 'dataset' as const, id })),
    ...Object.keys(lock.models)
      .filter((id) => !modelsById.has(id))
      .map((id) => ({ kind: 'model' as const, id })),
    ...Object.keys(lock.workflows)
      .filter((id) => !m.workflows.some((w) => w.id === id))
      .map((id) => ({ kind: 'workflow' as const, id })),
  ].sort((a, b) => cmp(a.kind, b.kind) || cmp(a.id, b.id));

  const summary = {
    datasets_changed: datasets.filter((d) => d.changed).length,
    models_affected: models.filter((x) => x.status !== 'unchanged').length,
    models_failed: models.filter((x) => x.status === 'fail').length,
    workflows_affected: workflows.filter((w) => w.status !== 'unchanged').length,
    workflows_failed: workflows.filter((w) => w.status === 'fail').length,
    weakened: input.weakened.length,
    removed: removed.length,
  };
  const somethingChanged = summary.datasets_changed + summary.models_affected + summary.workflows_affected + summary.removed > 0;
  const status: Status = summary.models_failed + summary.workflows_failed > 0 ? 'fail' : somethingChanged ? 'pass' : 'noop';
  return {
    report_version: 1,
    status,
    fingerprint: input.fingerprint,
    all: input.all,
    ...(input.only?.length ? { only: [...new Set(input.only)].sort(cmp) } : {}),
    errors: [],
    summary,
    datasets,
    models,
    workflows,
    weakened: input.weakened,
    removed,
  };
}

/** The report for input that could not be evaluated (rule 1). */
export function invalidReport(problems: InputProblem[], fingerprint: string, all: boolean): Report {
  return {
    report_version: 1,
    status: 'invalid',
    fingerprint,
    all,
    errors: sortProblems(problems),
    summary: {
      datasets_changed: 0,
      models_affected: 0,
      models_failed: 0,
      workflows_affected: 0,
      workflows_failed: 0,
      weakened: 0,
      removed: 0,
    },
    datasets: [],
    models: [],
    workflows: [],
    weakened: [],
    removed: [],
  };
}

/** How the metric file differs from the one accepted with this same version (paths as the lock has them). */
function metricsChangedNote(x: Model, accepted: LockModel, now: MetricFile | undefined): string {
  const was = accepted.metric_file;
  const at = `at the same version ${accepted.version}`;
  if (x.metrics === undefined) return `metrics changed ${at}: ${was?.path ?? 'its metric file'} is no longer declared`;
  if (!was) return `metrics changed ${at}: no metric file was recorded when it was accepted, so ${x.metrics} is checked again`;
  if (!now) return `metrics changed ${at}: ${x.metrics} is gone`;
  if (was.path !== now.path) return `metrics changed ${at}: the metric file moved from ${was.path} to ${now.path}`;
  return `metrics changed ${at}: ${x.metrics} is not the file accepted (blob ${was.blob.slice(0, 12)}, now ${now.blob.slice(0, 12)})`;
}

function missingMetricNote(metric: string, file: string | undefined, parsed: Metrics | undefined, state: string): string {
  if (file === undefined) return `metric ${metric} cannot be read: the model declares no metric file`;
  if (state === 'missing' || !parsed) return `metric ${metric} cannot be read: ${file} not found`;
  const v = parsed.get(metric);
  if (!v) return `metric ${metric} not found in ${file}`;
  return `metric ${metric} in ${v.file ?? file}${v.line !== undefined ? `:${v.line}` : ''} is ${v.invalid ?? 'not a number'}${v.invalid?.startsWith('the number ') ? '' : ', not a finite number'}`;
}

/** Numbers as people read them: at most 4 decimals, no trailing zeros, deterministic. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  const r = Number(x.toFixed(4));
  return Object.is(r, -0) ? '0' : String(r);
}

function groupBy<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}
