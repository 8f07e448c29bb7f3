// Short, readable terminal output. Text from manifests loses control characters so it cannot drive the terminal.
import { formatProblem } from '../input/problems.ts';
import type { ModelResult, Report, WorkflowResult } from '../types.ts';
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
    const mine = <T extends { pending?: boolean }>(x: T) => !x.pending;
    for (const d of r.datasets.filter((x) => x.changed && mine(x)))
      lines.push(`  dataset ${d.id}: ${plain(d.accepted_version ?? 'new')} → ${plain(d.version)}`);
    for (const m of r.models.filter((x) => x.status !== 'unchanged' && mine(x))) lines.push(...modelLines(m, '  '));
    for (const w of r.workflows.filter((x) => x.status !== 'unchanged' && mine(x))) lines.push(...workflowLines(w, '  '));
    const weakened = r.weakened.filter(mine);
    for (const w of weakened) lines.push(`  ! weakened ${w.entity} ${w.id}: ${plain(w.message)}`);
    if (weakened.length > 0)
      lines.push(
        r.allow_weakening
          ? '    weakened gates allowed (--allow-weakening, or the pull request label)'
          : '    weakened gates fail the check unless someone with authority allows them: --allow-weakening, or the pull request label',
      );
    for (const x of r.removed.filter(mine)) lines.push(`  - removed ${x.kind} ${x.id}`);
    if (r.base) {
      const where = `${plain(r.base.name)}${r.base.name === r.base.sha ? '' : ` (${r.base.sha.slice(0, 12)})`}`;
      lines.push(
        r.base.lock === 'accepted'
          ? `  accepted state from ${where}: this change updates the lock and history exactly as accept computes`
          : `  accepted state from ${where}: the lock and history are unchanged`,
      );
      const pending = [
        ...r.datasets
          .filter((d) => d.changed && d.pending)
          .map((d) => [`    dataset ${d.id}: ${plain(d.accepted_version ?? 'new')} → ${plain(d.version)}`]),
        ...r.models.filter((m) => m.pending).map((m) => modelLines(m, '    ')),
        ...r.workflows.filter((w) => w.pending).map((w) => workflowLines(w, '    ')),
        ...r.weakened.filter((w) => w.pending).map((w) => [`    ! weakened ${w.entity} ${w.id}: ${plain(w.message)}`]),
        ...r.removed.filter((x) => x.pending).map((x) => [`    - removed ${x.kind} ${x.id}`]),
      ];
      if (pending.length > 0) lines.push(`  already pending on ${where}, so not decided by this change:`, ...pending.flat());
    }
  }
  lines.push(`  fingerprint ${r.fingerprint.slice(0, 16)}`);
  return `${lines.join('\n')}\n`;
}

function modelLines(m: ModelResult, indent: string): string[] {
  const v =
    m.accepted_version && m.accepted_version !== m.version ? `${plain(m.accepted_version)} → ${plain(m.version)}` : plain(m.version);
  const out = [`${indent}${MARK[m.status]} model ${m.id} ${v}${m.status === 'pass' ? '' : ':'}`];
  for (const reason of m.reasons) out.push(`${indent}    ${plain(reason)}`);
  for (const c of m.conditions.filter((x) => x.result === 'skipped'))
    out.push(`${indent}    skipped: ${plain(c.text)} (${plain(c.note ?? 'not checked')})`);
  for (const note of m.notes ?? []) out.push(`${indent}    note: ${plain(note)}`);
  return out;
}

function workflowLines(w: WorkflowResult, indent: string): string[] {
  const out = [
    `${indent}${MARK[w.status]} workflow ${w.id} ${plain(w.version)}: score ${fmt(w.score)} (threshold ${fmt(w.threshold)}${w.accepted_score !== null ? `, accepted ${fmt(w.accepted_score)}` : ''})`,
  ];
  for (const reason of w.reasons) out.push(`${indent}    ${plain(reason)}`);
  return out;
}
