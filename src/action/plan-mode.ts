// The retrain plan as the Action's outputs: a matrix a workflow can fan out over, how many jobs, what to re-score.
// GitHub refuses a matrix without jobs, so an empty plan sets retrain-matrix to nothing and retrain-count to 0.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderPlanMarkdown } from '../core/render/plan-markdown.ts';
import type { Evaluation } from '../evaluate.ts';
import { planOf } from '../planning.ts';
import type { ActionIo, EventContext } from './modes.ts';

/** Sets retrain-matrix, retrain-count, rescore and plan; returns false when the plan is refused (annotated). */
export async function planOutputs(ev: Evaluation, ctx: EventContext, io: ActionIo, summary: boolean): Promise<boolean> {
  if (ev.report.status === 'invalid') return false;
  const planned = await planOf(ev);
  if (!planned.ok) {
    for (const p of planned.problems)
      io.annotate('error', `${p.message}${p.hint ? `. ${p.hint}` : ''}`, {
        file: p.file,
        line: p.line,
        title: 'lineage-gate: not a plain name',
      });
    return false;
  }
  const plan = planned.plan;
  const dir = path.join(ctx.tempDir, 'lineage-gate');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'plan.json');
  await writeFile(file, `${JSON.stringify(plan, null, 2)}\n`);
  io.output('plan', file);
  io.output('retrain-count', String(plan.count));
  io.output('retrain-matrix', plan.count > 0 ? JSON.stringify({ include: plan.include }) : '');
  io.output('rescore', JSON.stringify(plan.rescore.map((r) => r.workflow)));
  if (plan.truncated)
    io.warning(
      `lineage-gate: ${plan.count} models to retrain; one matrix runs at most 256 jobs, so retrain-matrix holds the first 256 (all of them are in ${file})`,
    );
  io.info(`lineage-gate: plan: ${plan.count} model(s) to retrain, ${plan.rescore.length} workflow(s) to re-score`);
  if (summary) await io.summary(renderPlanMarkdown(plan));
  return true;
}
