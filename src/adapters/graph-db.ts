// Loads the association graph and the lock into DuckDB and runs the evaluation queries over them.

import type { DuckDBValue } from '@duckdb/node-api';
import { decimalOfFloat, parseDecimal } from '../core/input/decimal.ts';
import type { DownstreamRows } from '../core/plan/plan.ts';
import type { Edge, Lock, Manifests } from '../core/types.ts';
import type { GateRows } from '../core/verdict/report.ts';
import { datasetsSignature, gateSignature, needsSignature } from '../core/verdict/signatures.ts';
import type { Db } from './duckdb.ts';
import * as Q from './sql.ts';

/**
 * `metricFiles`: each model's declared metric file, relative to the lineage root as the lock records it, with its blob
 * id (null when it is absent).
 */
export async function loadGraph(
  db: Db,
  m: Manifests,
  lock: Lock,
  metricFiles: ReadonlyMap<string, { path: string; blob: string | null }> = new Map(),
): Promise<void> {
  await db.exec(Q.CREATE_TABLES);
  await db.exec(Q.CREATE_EDGE_VIEW);

  await db.append('dataset', ['varchar', 'varchar'], [m.datasets.map((d) => d.id), m.datasets.map((d) => d.version)]);
  await db.append(
    'model',
    ['varchar', 'varchar', 'varchar', 'varchar', 'boolean', 'varchar'],
    [
      m.models.map((x) => x.id),
      m.models.map((x) => x.version),
      m.models.map((x) =>
        gateSignature(
          x.gate.map((c) => c.text),
          x.on_missing_baseline,
        ),
      ),
      m.models.map((x) => datasetsSignature(x.datasets)),
      m.models.map((x) => x.metrics !== undefined),
      m.models.map((x) => x.on_missing_baseline),
    ],
  );
  const declared = [...metricFiles].sort(([a], [b]) => (a < b ? -1 : 1));
  await db.append(
    'model_metric_file',
    ['varchar', 'varchar', 'varchar'],
    [declared.map(([id]) => id), declared.map(([, f]) => f.path), declared.map(([, f]) => f.blob)],
  );
  const trained = m.models.flatMap((x) => Object.entries(x.datasets).map(([ds, v]) => [x.id, ds, v] as const));
  await db.append('trained_on', ['varchar', 'varchar', 'varchar'], columns(trained, 3));
  const stale = m.models.flatMap((x) => (x.stale_reasons ?? []).map((r) => [x.id, r] as const));
  await db.append('model_stale', ['varchar', 'varchar'], columns(stale, 2));
  const conds = m.models.flatMap((x) =>
    x.gate.map((c, i) => {
      const n = parseDecimal(c.rhs.n)!;
      const arith = c.rhs.kind === 'baseline' ? c.rhs.arith : null;
      const pct = c.rhs.kind === 'baseline' && c.rhs.percent;
      return [x.id, i, c.text, c.metric, c.op, c.rhs.kind, arith, pct, n.m, n.e] as const;
    }),
  );
  await db.append(
    'condition',
    ['varchar', 'integer', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'boolean', 'bigint', 'integer'],
    columns(conds, 10),
  );
  await db.append(
    'workflow',
    ['varchar', 'varchar', 'double', 'double'],
    [
      m.workflows.map((w) => w.id),
      m.workflows.map((w) => w.version),
      m.workflows.map((w) => w.threshold),
      m.workflows.map((w) => w.max_drop ?? null),
    ],
  );
  const nodes = m.workflows.flatMap((w) =>
    w.nodes.map((n, i) => [w.id, n.id, n.model, n.dataset, n.weight, n.metric, needsSignature(n.needs), i] as const),
  );
  await db.append('node', ['varchar', 'varchar', 'varchar', 'varchar', 'double', 'varchar', 'varchar', 'integer'], columns(nodes, 8));
  const needs = m.workflows.flatMap((w) => w.nodes.flatMap((n) => n.needs.map((x) => [w.id, n.id, x] as const)));
  await db.append('need', ['varchar', 'varchar', 'varchar'], columns(needs, 3));

  const lds = Object.entries(lock.datasets);
  await db.append('lock_dataset', ['varchar', 'varchar'], [lds.map(([id]) => id), lds.map(([, d]) => d.version)]);
  const lms = Object.entries(lock.models);
  await db.append(
    'lock_model',
    ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar'],
    [
      lms.map(([id]) => id),
      lms.map(([, x]) => x.version),
      lms.map(([, x]) => gateSignature(x.gate, x.on_missing_baseline ?? 'skip')),
      lms.map(([, x]) => datasetsSignature(x.datasets)),
      lms.map(([, x]) => x.metric_file?.path ?? null),
      lms.map(([, x]) => x.metric_file?.blob ?? null),
    ],
  );
  // A baseline is the accepted value as the lock writes it: the float's shortest decimal, which is exactly the text
  // its metric file had (metric values that a float would change are refused, see core/input/decimal.ts).
  const lmetrics = lms.flatMap(([id, x]) =>
    Object.entries(x.metrics).map(([k, v]) => {
      const d = decimalOfFloat(v);
      return [id, k, v, d.m, d.e, String(v)] as const;
    }),
  );
  await db.append('lock_metric', ['varchar', 'varchar', 'double', 'bigint', 'integer', 'varchar'], columns(lmetrics, 6));
  const lws = Object.entries(lock.workflows);
  await db.append(
    'lock_workflow',
    ['varchar', 'varchar', 'double', 'double', 'double'],
    [
      lws.map(([id]) => id),
      lws.map(([, w]) => w.version),
      lws.map(([, w]) => w.threshold),
      lws.map(([, w]) => w.max_drop ?? null),
      lws.map(([, w]) => w.score),
    ],
  );
  const lnodes = lws.flatMap(([id, w]) =>
    Object.entries(w.nodes).map(
      ([nid, n]) => [id, nid, n.model, n.model_version, n.dataset, n.dataset_version, n.weight, n.metric, needsSignature(n.needs)] as const,
    ),
  );
  await db.append(
    'lock_node',
    ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'double', 'varchar', 'varchar'],
    columns(lnodes, 9),
  );
  await db.lockConfiguration();
}

/** Rules 2 and 4; returns the models whose metric files must be read. */
export async function computeAffected(db: Db, all: boolean, only: readonly string[] = []): Promise<string[]> {
  await db.append('forced', ['varchar'], [[...only]]);
  await db.exec(Q.AFFECTED_MODELS, { all });
  await db.exec(Q.AFFECTED_WORKFLOWS, { all });
  const rows = await db.rows<{ id: string }>(Q.MODELS_NEEDING_METRICS);
  return rows.map((r) => r.id);
}

export interface MetricLoad {
  /** model id → 'ok' | 'missing' | 'none' (declares no metric file). */
  files: Map<string, 'ok' | 'missing' | 'none'>;
  values: { model: string; metric: string; value: number; text: string }[];
}

/** Rules 3 and 5 over the metric values the shell read. */
export async function evaluateGates(db: Db, load: MetricLoad): Promise<GateRows> {
  const files = [...load.files];
  await db.append('metric_file', ['varchar', 'varchar'], [files.map(([id]) => id), files.map(([, s]) => s)]);
  const exact = load.values.map((v) => parseDecimal(v.text)!);
  await db.append(
    'metric',
    ['varchar', 'varchar', 'double', 'bigint', 'integer', 'varchar'],
    [
      load.values.map((v) => v.model),
      load.values.map((v) => v.metric),
      load.values.map((v) => v.value),
      exact.map((d) => d.m),
      exact.map((d) => d.e),
      load.values.map((v) => v.text),
    ],
  );
  await db.exec(Q.CONDITION_RESULTS);
  await db.exec(Q.MODEL_RESULTS);
  await db.exec(Q.WORKFLOW_RESULTS);
  return {
    conditions: await db.rows(Q.SELECT_CONDITIONS),
    models: await db.rows(Q.SELECT_MODELS),
    staleEdges: await db.rows(Q.SELECT_STALE_EDGES),
    workflows: await db.rows(Q.SELECT_WORKFLOWS),
    nodes: await db.rows(Q.SELECT_NODES),
  };
}

export async function edges(db: Db): Promise<Edge[]> {
  return db.rows<Edge>(Q.SELECT_EDGES);
}

/**
 * What lies downstream: of everything that moved since it was accepted (the retrain plan), or of one dataset or model
 * (`impact ID`). Only the seeds differ; the closure and the rows are one query, so `plan` and `impact` agree.
 */
export async function downstream(db: Db, id?: string): Promise<DownstreamRows> {
  if (id === undefined) await db.exec(Q.PLAN_SEEDS);
  else {
    await db.exec(Q.PLAN_SEED_MODELS_OF, { id });
    await db.exec(Q.PLAN_SEED_NODES_OF, { id });
  }
  await db.exec(Q.PLAN_REACH);
  return {
    models: await db.rows(Q.SELECT_PLAN_MODELS),
    trainedOn: await db.rows(Q.SELECT_PLAN_TRAINED_ON),
    nodes: await db.rows(Q.SELECT_PLAN_NODES),
  };
}

/** Row tuples → column arrays for the Appender. */
function columns(rows: readonly (readonly DuckDBValue[])[], width: number): DuckDBValue[][] {
  const cols: DuckDBValue[][] = Array.from({ length: width }, () => new Array<DuckDBValue>(rows.length));
  rows.forEach((r, i) => {
    for (let c = 0; c < width; c++) cols[c]![i] = r[c] ?? null;
  });
  return cols;
}
