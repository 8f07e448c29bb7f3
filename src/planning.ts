// The retrain plan of an evaluation: DuckDB finds what lies downstream, core/plan turns it into the plan. `plan`,
// `impact` and the Action all come here, so they cannot disagree.
import type { InputProblem } from './core/input/problems.ts';
import { buildPlan, type ModelView, type Plan } from './core/plan/plan.ts';
import type { Evaluation } from './evaluate.ts';

export async function planOf(
  ev: Evaluation,
  /** A dataset or model id for `impact`; without it, the whole plan. */
  id?: string,
): Promise<{ ok: true; plan: Plan; models: ModelView[] } | { ok: false; problems: InputProblem[] }> {
  if (!ev.graph || !ev.manifests) return { ok: false, problems: ev.report.errors };
  return buildPlan(ev.manifests, await ev.graph.downstream(id), ev.lines);
}
