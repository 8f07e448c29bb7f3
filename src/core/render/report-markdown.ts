// The report a reviewer reads on a PR: verdict first, then what the change touches, then each gate. Tables, no images.

import type { InputProblem } from '../input/problems.ts';
import type { ModelResult, Report, WorkflowResult } from '../types.ts';
import { fmt } from '../verdict/report.ts';
import { holdsSummary, skippedSummary } from './conditions.ts';
import { code, htmlText, md } from './markdown.ts';

const VERDICT: Record<Report['status'], string> = {
  pass: '✅ **Passed**: every affected gate holds',
  fail: '❌ **Failed**: some gates do not hold',
  noop: '➖ **Nothing to evaluate**: no dataset, model or workflow changed',
  invalid: '⚠️ **Invalid input**: nothing was evaluated',
};
const MARK = { pass: '✅ pass', fail: '❌ fail', skipped: '➖ skipped', unchanged: '· unchanged' } as const;

export interface MarkdownOptions {
  /** Heading level of the title (2 gives "##"). */
  level?: number;
}

export function renderMarkdown(r: Report, opts: MarkdownOptions = {}): string {
  const h = '#'.repeat(opts.level ?? 2);
  const onlyWeakened = r.status === 'fail' && r.summary.models_failed + r.summary.workflows_failed === 0 && r.summary.weakened > 0;
  const s0 = r.summary;
  const ownAffected = s0.models_affected + s0.workflows_affected + s0.datasets_changed + s0.removed + s0.weakened;
  const verdict = onlyWeakened
    ? '❌ **Failed**: every affected gate holds, but a gate was weakened and nobody allowed it'
    : r.status === 'pass' && r.base?.lock === 'accepted' && ownAffected === 0
      ? '✅ **Passed**: this change only updates the lock and history, exactly as `lineage-gate accept` computes them'
      : r.status === 'noop' && r.base
        ? '➖ **Nothing to evaluate**: this change touches no dataset, model or workflow'
        : VERDICT[r.status];
  const out: string[] = [`${h} lineage-gate: ${r.status}`, '', verdict, ''];

  const problems = (title: string, list: readonly InputProblem[]) => {
    out.push(`${h}# ${title} (${list.length})`, '', '| File | Line | Problem | What to do |', '|---|---|---|---|');
    for (const e of list) out.push(`| ${md(e.file)} | ${e.line ?? ''} | ${md(e.message)} | ${md(e.hint ?? '')} |`);
    out.push('');
  };
  if (r.status === 'invalid') {
    problems('Input errors', r.errors);
    if (r.warnings?.length) problems('⚠️ Warnings', r.warnings);
    out.push(fingerprintLine(r));
    return `${out.join('\n')}\n`;
  }

  const s = r.summary;
  out.push(
    `**Gate 1:** ${s.models_affected - s.models_failed} of ${s.models_affected} affected models pass · ` +
      `**Gate 2:** ${s.workflows_affected - s.workflows_failed} of ${s.workflows_affected} affected workflows pass · ` +
      `${s.datasets_changed} dataset(s) changed${s.weakened ? ` · ⚠️ ${s.weakened} weakened gate(s)` : ''}`,
    '',
  );
  if (r.base) {
    const where = `${code(r.base.name)}${r.base.name === r.base.sha ? '' : ` (${code(r.base.sha.slice(0, 12))})`}`;
    out.push(
      r.base.lock === 'accepted'
        ? `Accepted state from ${where}: this change updates the lock and history exactly as \`lineage-gate accept\` computes from it.`
        : `Accepted state from ${where}: the lock and history are unchanged.`,
      '',
    );
  }
  if (r.warnings?.length) problems('⚠️ Warnings', r.warnings);

  const changed = r.datasets.filter((d) => d.changed && !d.pending);
  if (changed.length > 0) {
    out.push(
      `${h}# What this change touches`,
      '',
      '| Dataset | Accepted → now | Models trained on it | Workflows to re-score |',
      '|---|---|---|---|',
    );
    for (const d of changed) {
      const trained = r.models.filter((m) => m.status !== 'unchanged' && !m.pending && m.datasets.some((x) => x.id === d.id));
      const rescore = r.workflows.filter(
        (w) => w.status !== 'unchanged' && !w.pending && w.nodes.some((n) => n.dataset === d.id || trained.some((m) => m.id === n.model)),
      );
      const modelCell = trained.map((m) => {
        const edge = m.datasets.find((x) => x.id === d.id)!;
        if (edge.trained_on !== d.version) return `${code(m.id)} ⚠️ stale: still trained on ${code(edge.trained_on)}`;
        return `${code(m.id)} ${versionChange(m.accepted_version, m.version)} ${MARK[m.status]}`;
      });
      out.push(
        `| ${code(d.id)} | ${code(d.accepted_version ?? 'new')} → ${code(d.version)} | ${list(modelCell)} | ${list(rescore.map((w) => `${code(w.id)} ${MARK[w.status]}`))} |`,
      );
    }
    out.push('');
  }

  const models = r.models.filter((m) => m.status !== 'unchanged' && !m.pending);
  if (models.length > 0) {
    out.push(`${h}# Gate 1: models`, '', '| Result | Model | Version | Why |', '|---|---|---|---|');
    for (const m of sortFailFirst(models))
      out.push(
        `| ${MARK[m.status]} | ${code(m.id)} | ${versionChange(m.accepted_version, m.version)} | ${[...(m.reasons.length ? [...m.reasons, ...nonNull(skippedSummary(m.conditions))] : [holdsSummary(m.conditions)]), ...(m.notes ?? []).map((n) => `ℹ️ ${n}`)].map(md).join('<br>')} |`,
      );
    out.push('');
    for (const m of sortFailFirst(models)) out.push(...conditionTable(m));
  }

  const workflows = r.workflows.filter((w) => w.status !== 'unchanged' && !w.pending);
  if (workflows.length > 0) {
    out.push(
      `${h}# Gate 2: workflows`,
      '',
      '| Result | Workflow | Version | Score | Threshold | Accepted score | Why |',
      '|---|---|---|---|---|---|---|',
    );
    for (const w of sortFailFirst(workflows)) {
      out.push(
        `| ${MARK[w.status]} | ${code(w.id)} | ${versionChange(w.accepted_version, w.version)} | ${fmt(w.score)} | ${fmt(w.threshold)}${w.max_drop !== null ? ` (max drop ${fmt(w.max_drop)})` : ''} | ${fmt(w.accepted_score)} | ${w.reasons.length ? w.reasons.map(md).join('<br>') : 'score holds'} |`,
      );
    }
    out.push('');
    for (const w of sortFailFirst(workflows)) out.push(...nodeTable(w));
  }

  const weakened = r.weakened.filter((w) => !w.pending);
  if (weakened.length > 0) {
    out.push(
      `${h}# ⚠️ Weakened gates`,
      '',
      r.allow_weakening
        ? 'These changes make a gate easier to pass. They were **allowed** (the allow-weakening label on the pull request, or `--allow-weakening`), so they do not fail the check; they stay on record here and in the history.'
        : 'These changes make a gate easier to pass, so **they fail the check** until someone with authority allows them: a maintainer adds the allow-weakening label to the pull request (only people with triage rights or more can), or runs `lineage-gate check --allow-weakening`.',
      '',
      '| Entity | Weakened | Accepted | Now |',
      '|---|---|---|---|',
    );
    for (const w of weakened) out.push(`| ${w.entity} ${code(w.id)} | ${md(w.message)} | ${md(w.before ?? '—')} | ${md(w.after ?? '—')} |`);
    out.push('');
  }
  const removed = r.removed.filter((x) => !x.pending);
  if (removed.length > 0) {
    out.push(
      `${h}# Removed`,
      '',
      'Accepted but no longer declared; accepting this evaluation drops them from the lock.',
      '',
      ...removed.map((x) => `- ${x.kind} ${code(x.id)}`),
      '',
    );
  }
  out.push(...pendingSection(r, h));

  const unchangedModels = r.models.filter((m) => m.status === 'unchanged');
  const unchangedWorkflows = r.workflows.filter((w) => w.status === 'unchanged');
  if (unchangedModels.length + unchangedWorkflows.length > 0) {
    out.push(`<details><summary>Unchanged: ${unchangedModels.length} model(s), ${unchangedWorkflows.length} workflow(s)</summary>`, '');
    if (unchangedModels.length) out.push(`Models: ${unchangedModels.map((m) => `${code(m.id)} ${code(m.version)}`).join(', ')}`, '');
    if (unchangedWorkflows.length)
      out.push(`Workflows: ${unchangedWorkflows.map((w) => `${code(w.id)} ${code(w.version)} (score ${fmt(w.score)})`).join(', ')}`, '');
    out.push('</details>', '');
  }
  out.push(fingerprintLine(r));
  return `${out.join('\n')}\n`;
}

/** What the base had pending already: shown, so nobody is surprised later, but not what this change is judged on. */
function pendingSection(r: Report, h: string): string[] {
  if (!r.base) return [];
  const rows: string[] = [];
  for (const d of r.datasets.filter((x) => x.changed && x.pending))
    rows.push(`| · pending | dataset ${code(d.id)} | ${code(d.accepted_version ?? 'new')} → ${code(d.version)} | — |`);
  for (const m of sortFailFirst(r.models.filter((x) => x.pending)))
    rows.push(
      `| ${MARK[m.status]} | model ${code(m.id)} | ${versionChange(m.accepted_version, m.version)} | ${m.reasons.map(md).join('<br>') || '—'} |`,
    );
  for (const w of sortFailFirst(r.workflows.filter((x) => x.pending)))
    rows.push(
      `| ${MARK[w.status]} | workflow ${code(w.id)} | ${versionChange(w.accepted_version, w.version)} | ${w.reasons.map(md).join('<br>') || '—'} |`,
    );
  for (const w of r.weakened.filter((x) => x.pending)) rows.push(`| ⚠️ weakened | ${w.entity} ${code(w.id)} | — | ${md(w.message)} |`);
  for (const x of r.removed.filter((y) => y.pending)) rows.push(`| · removed | ${x.kind} ${code(x.id)} | — | — |`);
  if (rows.length === 0) return [];
  return [
    `${h}# Already pending on ${code(r.base.name)}`,
    '',
    'This change leaves these as the base declares them, so their results were pending there already: they are shown, but they do not decide this change.',
    '',
    '| Result | Entity | Version | Why |',
    '|---|---|---|---|',
    ...rows,
    '',
  ];
}

/** A condition's value as the comparison saw it: the exact decimal text (reports from older versions have none). */
function exact(text: string | null | undefined, value: number | null): string {
  return text != null ? md(text) : fmt(value);
}

function conditionTable(m: ModelResult): string[] {
  if (m.conditions.length === 0 && m.datasets.length === 0) return [];
  const open = m.status === 'fail' ? ' open' : '';
  const out = [
    `<details${open}><summary>${MARK[m.status]} ${htmlText(m.id)} ${htmlText(m.version)}: conditions and training data</summary>`,
    '',
  ];
  for (const note of m.notes ?? []) out.push(`- Note: ${md(note)}`);
  if (m.notes?.length) out.push('');
  if (m.conditions.length > 0) {
    out.push('| Condition | Expected | Actual | Result |', '|---|---|---|---|');
    for (const c of m.conditions)
      out.push(
        `| ${code(c.text)} | ${c.op === '!=' ? '≠ ' : md(`${c.op} `)}${exact(c.expected_text, c.expected)} | ${exact(c.actual_text, c.actual)} | ${MARK[c.result]}${c.note ? `: ${md(c.note)}` : ''} |`,
      );
    out.push('');
  }
  if (m.datasets.length > 0) {
    out.push('| Trained on | Version used | Version now |', '|---|---|---|');
    for (const d of m.datasets)
      out.push(
        `| ${code(d.id)} | ${code(d.trained_on)} | ${d.current === null ? '—' : code(d.current)}${d.current !== d.trained_on ? ' ⚠️ stale' : ''} |`,
      );
    out.push('');
  }
  out.push('</details>', '');
  return out;
}

function nodeTable(w: WorkflowResult): string[] {
  const open = w.status === 'fail' ? ' open' : '';
  const out = [
    `<details${open}><summary>${MARK[w.status]} ${htmlText(w.id)} ${htmlText(w.version)}: nodes, contributions and headroom</summary>`,
    '',
    '| Node | Model | Dataset | Weight | Score | Contribution | Headroom |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const n of w.nodes) {
    out.push(
      `| ${code(n.id)} | ${code(n.model)} ${code(n.model_version)} | ${code(n.dataset)} ${code(n.dataset_version)} | ${fmt(n.weight)} | ${fmt(n.score)} | ${fmt(n.contribution)} | ${fmt(n.headroom)} |`,
    );
  }
  out.push(
    '',
    "Headroom: how far a node's score may fall, all else equal, before the workflow fails its threshold (negative: how far it must rise).",
    '',
    '</details>',
    '',
  );
  return out;
}

const nonNull = <T>(x: T | null): T[] => (x === null ? [] : [x]);

function versionChange(accepted: string | null, now: string): string {
  if (accepted === null) return `${code(now)} (new)`;
  return accepted === now ? code(now) : `${code(accepted)} → ${code(now)}`;
}

function list(items: string[]): string {
  return items.length ? items.join(', ') : '—';
}

function sortFailFirst<T extends { status: string; id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => Number(b.status === 'fail') - Number(a.status === 'fail') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function fingerprintLine(r: Report): string {
  return `<sub>Input fingerprint: \`${r.fingerprint}\`${r.all ? ' · full re-evaluation (--all)' : ''}</sub>`;
}
