// The retrain plan: which models must be retrained and why, and which workflows must be re-scored afterwards, in
// an order that runs every node after the nodes it needs. `plan` takes what moved; `impact ID` the same, seeded by ID.
import type { LineIndex } from '../input/manifests.ts';
import { type InputProblem, problem } from '../input/problems.ts';
import { cmp } from '../order.ts';
import type { Manifests, Workflow } from '../types.ts';

/** GitHub runs at most this many jobs from one matrix; a longer plan is split into chunks of this size. */
export const MATRIX_LIMIT = 256;

/** What the downstream queries return (src/adapters/sql.ts: PLAN_SEEDS or PLAN_SEED_*_OF, then PLAN_REACH). */
export interface DownstreamRows {
  models: { id: string; version: string; stale: boolean }[];
  trainedOn: { model_id: string; dataset_id: string; trained_on: string; current: string }[];
  nodes: {
    workflow_id: string;
    workflow_version: string;
    node_id: string;
    model_id: string;
    model_version: string;
    dataset_id: string;
    dataset_version: string;
  }[];
}

export interface PlanDataset {
  id: string;
  trained_on: string;
  current: string;
}

/** One model to retrain: one job of the retrain matrix. */
export interface PlanEntry {
  model: string;
  version: string;
  reason: string;
  datasets: PlanDataset[];
  stage: string | null;
  /** The dvc.yaml of that stage, for `dvc repro --single-item <pipeline>:<stage>`. */
  pipeline: string | null;
  metrics: string | null;
  file: string;
  workflows: string[];
}

export interface RescoreEntry {
  workflow: string;
  version: string;
  /** Models of this plan that the workflow waits on. */
  waits_on: string[];
  /** The nodes to re-run, each after the nodes it needs. */
  nodes: { node: string; model: string; model_version: string; dataset: string; dataset_version: string }[];
}

export interface Plan {
  include: PlanEntry[];
  count: number;
  truncated: boolean;
  rescore: RescoreEntry[];
  chunks: { include: PlanEntry[] }[];
}

/** Every model downstream of the seeds, retrained or not: what `impact` lists. */
export interface ModelView {
  model: string;
  version: string;
  retrain: boolean;
  reason: string | null;
  datasets: PlanDataset[];
  workflows: string[];
}

/** Model ids as the manifest schema allows them; they reach CI job names and commands. */
const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** DVC stage names, and the name@key of a foreach or matrix stage. Nothing a shell or a path would read specially. */
const PLAIN_STAGE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@[A-Za-z0-9_.-]{1,128})?$/;

export function buildPlan(
  manifests: Manifests,
  rows: DownstreamRows,
  lines: LineIndex,
): { ok: true; plan: Plan; models: ModelView[] } | { ok: false; problems: InputProblem[] } {
  const modelsById = new Map(manifests.models.map((m) => [m.id, m]));
  const edges = new Map<string, PlanDataset[]>();
  for (const e of rows.trainedOn) {
    const list = edges.get(e.model_id) ?? [];
    list.push({ id: e.dataset_id, trained_on: e.trained_on, current: e.current });
    edges.set(e.model_id, list);
  }
  const feeds = new Map<string, Set<string>>();
  for (const n of rows.nodes) feeds.set(n.model_id, (feeds.get(n.model_id) ?? new Set()).add(n.workflow_id));

  const problems: InputProblem[] = [];
  const models: ModelView[] = [];
  const include: PlanEntry[] = [];
  for (const r of [...rows.models].sort((a, b) => cmp(a.id, b.id))) {
    const datasets = edges.get(r.id) ?? [];
    const workflows = [...(feeds.get(r.id) ?? [])].sort(cmp);
    const reason = r.stale ? staleReason(datasets, modelsById.get(r.id)?.stale_reasons ?? []) : null;
    models.push({ model: r.id, version: r.version, retrain: r.stale, reason, datasets, workflows });
    if (!r.stale) continue;
    const m = modelsById.get(r.id);
    const file = m?.file ?? '';
    const stage = m?.dvc?.stage ?? null;
    const pipeline = m?.dvc ? m.dvc.lock.replace(/[^/]*$/, 'dvc.yaml') : null;
    // The plan's values become CI job names and reach commands: refuse what is not a plain name before it gets there.
    if (!PLAIN_ID.test(r.id))
      problems.push(
        problem(file, `model id "${r.id}" is not a plain identifier, so it cannot name a retrain job`, {
          line: lines.get(file)?.(['id']),
          field: 'id',
          hint: 'use letters, digits, _ . - (starting with a letter or digit)',
        }),
      );
    if (stage !== null && !PLAIN_STAGE.test(stage))
      problems.push(
        problem(file, `stage "${stage}" of model ${r.id} is not a plain DVC stage name, so the retrain job will not run it`, {
          line: lines.get(file)?.(['dvc', 'stage']),
          field: 'dvc.stage',
          hint: 'name DVC stages with letters, digits, _ . - (and @key for foreach stages)',
        }),
      );
    include.push({
      model: r.id,
      version: r.version,
      reason: reason!,
      datasets,
      stage,
      pipeline,
      metrics: m?.metrics ?? null,
      file,
      workflows,
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const waiting = new Set(include.map((e) => e.model));
  const workflowsById = new Map(manifests.workflows.map((w) => [w.id, w]));
  const byWorkflow = new Map<string, DownstreamRows['nodes']>();
  for (const n of rows.nodes) {
    const list = byWorkflow.get(n.workflow_id);
    if (list) list.push(n);
    else byWorkflow.set(n.workflow_id, [n]);
  }
  const rescore: RescoreEntry[] = [...byWorkflow.keys()].sort(cmp).map((id) => {
    const reached = byWorkflow.get(id)!;
    const order = dependencyOrder(workflowsById.get(id)!);
    const nodes = [...reached].sort((a, b) => order.get(a.node_id)! - order.get(b.node_id)!);
    return {
      workflow: id,
      version: reached[0]!.workflow_version,
      waits_on: [...new Set(nodes.map((n) => n.model_id).filter((m) => waiting.has(m)))].sort(cmp),
      nodes: nodes.map((n) => ({
        node: n.node_id,
        model: n.model_id,
        model_version: n.model_version,
        dataset: n.dataset_id,
        dataset_version: n.dataset_version,
      })),
    };
  });

  const chunks: { include: PlanEntry[] }[] = [];
  for (let i = 0; i < include.length; i += MATRIX_LIMIT) chunks.push({ include: include.slice(i, i + MATRIX_LIMIT) });
  return {
    ok: true,
    plan: {
      include: include.slice(0, MATRIX_LIMIT),
      count: include.length,
      truncated: include.length > MATRIX_LIMIT,
      rescore,
      chunks,
    },
    models,
  };
}

/** "trained on ds_mol_20210421@3.12_beta, now at 3.13", and on each other dataset that moved; then what DVC found. */
function staleReason(datasets: readonly PlanDataset[], dvc: readonly string[]): string {
  const moved = datasets.filter((d) => d.trained_on !== d.current).map((d) => `${d.id}@${d.trained_on}, now at ${d.current}`);
  return [...(moved.length ? [`trained on ${moved.join(', and on ')}`] : []), ...dvc].join('; ');
}

/** Each node's position in an order that puts it after every node it needs; ties keep the manifest's order. */
export function dependencyOrder(w: Workflow): Map<string, number> {
  const index = new Map(w.nodes.map((n, i) => [n.id, i]));
  const waiting = new Map(w.nodes.map((n) => [n.id, new Set(n.needs)]));
  const order = new Map<string, number>();
  while (order.size < w.nodes.length) {
    // Workflows are validated acyclic; the fallback only guards against looping on a cycle that slipped through.
    const next = w.nodes.find((n) => !order.has(n.id) && [...waiting.get(n.id)!].every((x) => order.has(x) || !index.has(x)));
    const pick = next ?? w.nodes.find((n) => !order.has(n.id))!;
    order.set(pick.id, order.size);
  }
  return order;
}
