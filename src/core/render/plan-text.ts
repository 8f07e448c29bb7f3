// The retrain plan in the terminal: a table of models (why, which workflows wait), then the workflows to re-score;
// and `impact ID`, the same plan seen from one dataset or model.
import type { ModelView, Plan, RescoreEntry } from '../plan/plan.ts';
import { MATRIX_LIMIT } from '../plan/plan.ts';
import { plain } from './text.ts';

export function renderPlan(plan: Plan): string {
  const out: string[] = [];
  const n = plan.count;
  if (n === 0) out.push('lineage-gate plan: nothing to retrain');
  else
    out.push(
      `lineage-gate plan: ${n} model${n === 1 ? '' : 's'} to retrain, ${plan.rescore.length} workflow${plan.rescore.length === 1 ? '' : 's'} to re-score`,
    );
  if (n > 0) {
    const all = plan.chunks.flatMap((c) => c.include);
    const stages = all.some((e) => e.stage !== null);
    const head = ['model', 'version', ...(stages ? ['stage'] : []), 'why', 'waiting workflows'];
    const rows = all.map((e) => [
      e.model,
      plain(e.version),
      ...(stages ? [e.stage ?? '—'] : []),
      plain(e.reason),
      e.workflows.length ? e.workflows.join(', ') : '—',
    ]);
    out.push(...table(head, rows).map((l) => `  ${l}`));
    if (plan.truncated)
      out.push(
        `  more than ${MATRIX_LIMIT} models: one GitHub matrix runs at most ${MATRIX_LIMIT} jobs, so --json splits them into ${plan.chunks.length} chunks`,
      );
  }
  if (plan.rescore.length > 0) {
    out.push(n > 0 ? '  then re-score (nodes in the order they run):' : '  re-score (nodes in the order they run):');
    for (const r of plan.rescore) out.push(`    ${rescoreLine(r)}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderImpact(id: string, kind: 'dataset' | 'model', version: string, view: { models: ModelView[]; plan: Plan }): string {
  const out = [`impact of ${id} (${kind} at ${plain(version)}):`];
  if (kind === 'dataset') {
    out.push(`  models trained on this dataset (${view.models.length}):${view.models.length ? '' : ' none'}`);
    const rows = view.models.map((m) => {
      const mine = m.datasets.find((d) => d.id === id);
      const note = m.retrain ? `retrain: ${m.reason}` : `trained on ${plain(mine?.trained_on ?? '?')}, the current version`;
      return [m.model, plain(m.version), plain(note)];
    });
    out.push(...table(null, rows).map((l) => `    ${l}`));
  } else {
    const m = view.models[0];
    out.push(
      m?.retrain
        ? `  retrain: ${plain(m.reason ?? '')}`
        : `  retrain: no, trained on the current version of ${m?.datasets.length ? m.datasets.map((d) => d.id).join(', ') : 'no dataset'}`,
    );
  }
  out.push(
    `  to retrain (${view.plan.count}):${
      view.plan.count
        ? ` ${view.plan.chunks
            .flatMap((c) => c.include)
            .map((e) => e.model)
            .join(', ')}`
        : ' none'
    }`,
  );
  out.push(`  workflows to re-score (${view.plan.rescore.length}):${view.plan.rescore.length ? '' : ' none'}`);
  for (const r of view.plan.rescore) out.push(`    ${rescoreLine(r)}`);
  return `${out.join('\n')}\n`;
}

function rescoreLine(r: RescoreEntry): string {
  const nodes = r.nodes.map((n) => `${n.node} (${n.model}@${plain(n.model_version)})`).join(', ');
  return `${r.workflow} ${plain(r.version)}: ${nodes}${r.waits_on.length ? `; waits on ${r.waits_on.join(', ')}` : ''}`;
}

/** Columns padded to their widest cell; the last column is not padded. */
function table(head: string[] | null, rows: string[][]): string[] {
  const all = head ? [head, ...rows] : rows;
  const widths = (all[0] ?? []).map((_, i) => Math.max(...all.map((r) => [...r[i]!].length)));
  return all.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)))
      .join('  ')
      .trimEnd(),
  );
}
