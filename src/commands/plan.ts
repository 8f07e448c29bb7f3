// `lineage-gate plan`: which models a change leaves stale and must be retrained, why, and which workflows must be
// re-scored afterwards; --json writes it as a GitHub matrix (schemas/plan.schema.json).
import { formatProblem } from '../core/input/problems.ts';
import { assertSchema } from '../core/input/schema.ts';
import { renderPlan } from '../core/render/plan-text.ts';
import { plain, renderText } from '../core/render/text.ts';
import { evaluate } from '../evaluate.ts';
import { planOf } from '../planning.ts';
import { type Command, cacheOptions, EXIT, str } from './command.ts';
import { writeOutput } from './output.ts';

export const plan: Command = {
  name: 'plan',
  usage: 'plan   [--root DIR] [--base REV] [--json FILE]',
  options: { json: { type: 'string' }, base: { type: 'string' } },
  async run(v, _args, io) {
    using ev = await evaluate({ root: str(v, 'root')!, base: str(v, 'base'), ...cacheOptions(v, io) });
    if (ev.report.status === 'invalid') {
      io.err(renderText(ev.report));
      return EXIT.invalid;
    }
    const built = await planOf(ev);
    if (!built.ok) {
      io.err('lineage-gate plan: the plan cannot name its jobs safely; nothing was planned\n');
      for (const p of built.problems) io.err(`  ${plain(formatProblem(p))}\n`);
      return EXIT.invalid;
    }
    assertSchema('plan', built.plan);
    const json = str(v, 'json');
    if (json !== undefined) await writeOutput(json, `${JSON.stringify(built.plan, null, 2)}\n`, io);
    if (json !== '-') io.out(renderPlan(built.plan));
    return EXIT.ok;
  },
};
