// The retrain plan in the job summary: what must be retrained and why, and which workflows wait. Text from manifests
// goes through md() like everywhere in Markdown.
import type { Plan } from '../plan/plan.ts';
import { code, md } from './markdown.ts';

export function renderPlanMarkdown(plan: Plan): string {
  const out = [
    `## lineage-gate plan: ${plan.count === 0 ? 'nothing to retrain' : `${plan.count} model${plan.count === 1 ? '' : 's'} to retrain`}`,
    '',
  ];
  if (plan.count > 0) {
    out.push('| Model | Version | Why | Stage | Waiting workflows |', '|---|---|---|---|---|');
    for (const e of plan.chunks.flatMap((c) => c.include))
      out.push(
        `| ${code(e.model)} | ${code(e.version)} | ${md(e.reason)} | ${e.stage ? code(e.stage) : '—'} | ${e.workflows.map(code).join(', ') || '—'} |`,
      );
    out.push('');
    if (plan.truncated)
      out.push(
        `More than 256 models: one matrix runs at most 256 jobs; the plan file's \`chunks\` holds ${plan.chunks.length} matrices.`,
        '',
      );
  }
  if (plan.rescore.length > 0) {
    out.push('Then re-score, nodes in the order they run:', '');
    for (const r of plan.rescore) out.push(`- ${code(r.workflow)} ${code(r.version)}: ${r.nodes.map((n) => code(n.node)).join(' → ')}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
