// Short, readable terminal output. Text from manifests loses control characters so it cannot drive the terminal.
import { formatProblem } from '../input/problems.ts';
import type { Report } from '../types.ts';
import { fmt } from '../verdict/report.ts';

export function plain(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '�');
}

const MARK = { pass: '✓', fail: '✗', unchanged: '·' } as const;

export function renderText(r: Report): string {
  const lines: string[] = [];
  const s = r.summary;
  const warnings = (r.warnings ?? []).map((w) => `  warning: ${plain(formatProblem(w))}`);
  if (r.status === 'invalid') {
    lines.push(`lineage-gate: INVALID INPUT (${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}); nothing was evaluated`, '');
    for (const e of r.errors) lines.push(`  ${plain(formatProblem(e))}`);
    lines.push(...warnings);
  } else {
    lines.push(
      `lineage-gate: ${r.status.toUpperCase()}  gate 1: ${s.models_affected - s.models_failed}/${s.models_affected} models pass · gate 2: ${s.workflows_affected - s.workflows_failed}/${s.workflows_affected} workflows pass · ${s.datasets_changed} dataset(s) changed`,
      ...warnings,
    );
    for (const d of r.datasets.filter((x) => x.changed))
      lines.push(`  dataset ${d.id}: ${plain(d.accepted_version ?? 'new')} → ${plain(d.version)}`);
    for (const m of r.models.filter((x) => x.status !== 'unchanged')) {
      const v =
        m.accepted_version && m.accepted_version !== m.version ? `${plain(m.accepted_version)} → ${plain(m.version)}` : plain(m.version);
      lines.push(`  ${MARK[m.status]} model ${m.id} ${v}${m.status === 'pass' ? '' : ':'}`);
      for (const reason of m.reasons) lines.push(`      ${plain(reason)}`);
      for (const c of m.conditions.filter((x) => x.result === 'skipped'))
        lines.push(`      skipped: ${plain(c.text)} (${plain(c.note ?? 'not checked')})`);
      for (const note of m.notes ?? []) lines.push(`      note: ${plain(note)}`);
    }
    for (const w of r.workflows.filter((x) => x.status !== 'unchanged')) {
      lines.push(
        `  ${MARK[w.status]} workflow ${w.id} ${plain(w.version)}: score ${fmt(w.score)} (threshold ${fmt(w.threshold)}${w.accepted_score !== null ? `, accepted ${fmt(w.accepted_score)}` : ''})`,
      );
      for (const reason of w.reasons) lines.push(`      ${plain(reason)}`);
    }
    const weakened = r.weakened.filter((w) => !w.pending);
    for (const w of weakened) lines.push(`  ! weakened ${w.entity} ${w.id}: ${plain(w.message)}`);
    if (weakened.length > 0)
      lines.push(
        r.allow_weakening
          ? '    weakened gates allowed (--allow-weakening, or the pull request label)'
          : '    weakened gates fail the check unless someone with authority allows them: --allow-weakening, or the pull request label',
      );
    for (const x of r.removed) lines.push(`  - removed ${x.kind} ${x.id}`);
  }
  lines.push(`  fingerprint ${r.fingerprint.slice(0, 16)}`);
  return `${lines.join('\n')}\n`;
}
