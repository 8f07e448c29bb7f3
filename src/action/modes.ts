// The Action's work, independent of how it is wired to the runner: evaluate, then report (check) or propose.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GitHubPort } from '../adapters/github.ts';
import { COMMENT_MARKER, fitBody } from '../core/render/github-text.ts';
import { renderMarkdown } from '../core/render/report-markdown.ts';
import { renderText } from '../core/render/text.ts';
import { parseRepoUrl } from '../core/site/repo-url.ts';
import type { Report, Weakening } from '../core/types.ts';
import { type Evaluation, evaluate } from '../evaluate.ts';
import { checkMode } from './check.ts';
import { commentMode } from './comment.ts';
import type { ActionInputs } from './inputs.ts';
import { postLineage } from './lineage-post.ts';
import { parseCache } from './parse-cache.ts';
import { planOutputs } from './plan-mode.ts';
import { proposeMode } from './propose-mode.ts';
import { applyRetrained } from './retrained.ts';

/** What the Action may do on the runner; @actions/core in production. */
export interface ActionIo {
  info(text: string): void;
  /** Text that may hold manifest content: printed so that it cannot issue workflow commands. */
  untrusted(text: string): void;
  warning(text: string): void;
  annotate(level: 'error' | 'warning', message: string, where: { file: string; line?: number; title: string }): void;
  summary(markdown: string): Promise<void>;
  output(name: string, value: string): void;
  fail(message: string): void;
}

export interface EventContext {
  eventName: string;
  payload: Record<string, unknown> & {
    pull_request?: { number: number; head: { sha: string; repo: { full_name: string } | null }; base: { repo: { full_name: string } } };
    repository?: { full_name: string; default_branch: string };
    head_commit?: { timestamp?: string } | null;
    workflow_run?: {
      head_sha: string;
      head_branch: string | null;
      head_repository: { owner: { login: string } } | null;
      conclusion: string | null;
    };
  };
  owner: string;
  repo: string;
  sha: string;
  workspace: string;
  tempDir: string;
  /** GITHUB_SERVER_URL: with owner/repo, the repository's URL (the OpenLineage namespace). */
  serverUrl?: string;
}

/** The job summary is limited to 1 MiB per step. */
const SUMMARY_LIMIT = 1024 * 1024 - 1024;

export async function runAction(inputs: ActionInputs, ctx: EventContext, gh: GitHubPort, io: ActionIo): Promise<void> {
  const mode =
    inputs.mode !== 'auto'
      ? inputs.mode
      : ctx.eventName === 'pull_request'
        ? 'check'
        : ctx.eventName === 'workflow_run'
          ? 'comment'
          : 'propose';
  if (mode === 'comment') return commentMode(inputs, ctx, gh, io);
  io.info(`lineage-gate: ${mode} on ${ctx.eventName} at ${ctx.sha.slice(0, 12)}`);
  let retrained: { path: string; text: string }[] = [];
  if (inputs.retrained) {
    const applied = await applyRetrained(path.resolve(ctx.workspace, inputs.retrained), inputs.root, ctx, io, parseCache(inputs, ctx, io));
    if (!applied.ok) return;
    retrained = applied.writes;
  }
  // On the default branch a weakening was judged already, by the pull request that brought it; propose records it.
  const ev = await evaluate({
    root: path.join(ctx.workspace, inputs.root),
    all: inputs.all,
    only: inputs.only,
    allowWeakening: mode === 'propose',
    ...parseCache(inputs, ctx, io),
  });
  try {
    const report = ev.report;
    io.untrusted(renderText(report));
    const reportPath = await writeReport(ctx.tempDir, report);
    io.output('status', report.status);
    io.output('report', reportPath);
    io.output('fingerprint', report.fingerprint);
    annotate(ev, io);
    // Every evaluation also says what to retrain: plan mode is for a job that only plans.
    const planned = await planOutputs(ev, ctx, io, mode === 'plan');
    if (mode !== 'plan') await io.summary(fitBody(COMMENT_MARKER, report, '', SUMMARY_LIMIT));

    if (mode === 'plan') {
      if (!planned && report.status !== 'invalid') io.fail('lineage-gate: the plan is not valid; see the annotations');
    } else if (mode === 'check') await checkMode(inputs, ctx, gh, io, report);
    else await proposeMode(inputs, ctx, gh, io, ev, retrained);
    // Only what was accepted leaves the repository, and only from the default branch's runs: a PR's own
    // manifests never reach the organisation's lineage.
    if (mode === 'propose' && inputs.openlineageUrl && report.status !== 'invalid') await postLineage(inputs, ctx, io, ev);
    if (inputs.siteDir && report.status !== 'invalid') {
      const { buildSite } = await import('../site-build.ts');
      const out = path.join(ctx.workspace, inputs.siteDir);
      // Links to manifests and metric files at the evaluated commit, on the repository the run belongs to.
      const repo = parseRepoUrl(`${ctx.serverUrl ?? 'https://github.com'}/${ctx.owner}/${ctx.repo}`);
      const commit = /^[0-9a-f]{40}$/.test(ctx.sha) ? undefined : null;
      const site = await buildSite({ evaluation: ev, out, base: inputs.siteBase, repoUrl: repo.ok ? repo.url : null, commit });
      for (const w of site.warnings) io.warning(w);
      io.info(`lineage-gate: built the lineage site (${site.pages} pages) in ${inputs.siteDir}`);
      io.output('site-dir', out);
    }

    if (report.status === 'invalid') io.fail(`lineage-gate: input is invalid (${report.errors.length} problem(s)); see the annotations`);
    else if (report.status === 'fail' && inputs.failOn === 'gate' && mode === 'check')
      io.fail('lineage-gate: a gate failed; see the report');
  } finally {
    ev.close();
  }
}

async function writeReport(dir: string, report: Report): Promise<string> {
  const out = path.join(dir, 'lineage-gate');
  await mkdir(out, { recursive: true });
  const file = path.join(out, 'report.json');
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(out, 'report.md'), renderMarkdown(report));
  return file;
}

/** The manifest field a weakening of each kind is about, for its annotation's line. */
const WEAKENED_FIELD: Record<Weakening['kind'], (string | number)[]> = {
  condition: ['gate'],
  skipped: ['gate'],
  weights: ['nodes'],
  node: ['nodes'],
  metric: ['nodes'],
  threshold: ['threshold'],
  max_drop: ['max_drop'],
  datasets: ['datasets'],
  renamed: ['id'],
};

/** Annotations on the manifest lines that are invalid or whose gate failed. */
function annotate(ev: Evaluation, io: ActionIo): void {
  const r = ev.report;
  for (const e of r.errors) {
    io.annotate('error', `${e.message}${e.hint ? `. ${e.hint}` : ''}`, {
      file: e.file,
      line: e.line,
      title: 'lineage-gate: invalid input',
    });
  }
  for (const w of r.warnings ?? []) {
    io.annotate('warning', `${w.message}${w.hint ? `. ${w.hint}` : ''}`, { file: w.file, line: w.line, title: 'lineage-gate: not read' });
  }
  const lineOf = (file: string, p: (string | number)[]) => ev.lines.get(file)?.(p);
  for (const m of r.models.filter((x) => x.status === 'fail')) {
    const failed = m.conditions.findIndex((c) => c.result === 'fail');
    const stale = m.datasets.find((d) => d.current !== null && d.current !== d.trained_on);
    const line = stale
      ? lineOf(m.file, ['datasets', stale.id])
      : failed >= 0
        ? lineOf(m.file, ['gate', failed])
        : lineOf(m.file, ['metrics']);
    io.annotate('error', m.reasons.join('; ') || 'gate 1 failed', {
      file: m.file,
      line,
      title: `lineage-gate: model ${m.id} failed gate 1`,
    });
  }
  for (const w of r.workflows.filter((x) => x.status === 'fail')) {
    io.annotate('error', w.reasons.join('; ') || 'gate 2 failed', {
      file: w.file,
      line: lineOf(w.file, ['threshold']),
      title: `lineage-gate: workflow ${w.id} failed gate 2`,
    });
  }
  for (const x of r.weakened) {
    const file = (x.entity === 'model' ? r.models : r.workflows).find((e) => e.id === x.id)?.file;
    if (file)
      io.annotate('warning', x.message, {
        file,
        line: lineOf(file, WEAKENED_FIELD[x.kind]),
        title: `lineage-gate: weakened gate of ${x.entity} ${x.id}`,
      });
  }
}
