// The Action's work, independent of how it is wired to the runner: evaluate, then report (check) or propose.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planAcceptance } from '../accept.ts';
import { ForbiddenError, type GitHubPort } from '../adapters/github.ts';
import { COMMENT_MARKER, fitBody, isSafeBranch, type ActionInputs } from '../core/action-text.ts';
import { schemaProblems } from '../core/schema.ts';
import { renderMarkdown } from '../core/render-markdown.ts';
import { renderText } from '../core/render-text.ts';
import type { Report } from '../core/types.ts';
import { evaluate, type Evaluation } from '../evaluate.ts';
import { propose } from './propose.ts';

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
    workflow_run?: { head_sha: string; head_branch: string | null; head_repository: { owner: { login: string } } | null; conclusion: string | null };
  };
  owner: string;
  repo: string;
  sha: string;
  workspace: string;
  tempDir: string;
}

/** The job summary is limited to 1 MiB per step. */
const SUMMARY_LIMIT = 1024 * 1024 - 1024;

export async function runAction(inputs: ActionInputs, ctx: EventContext, gh: GitHubPort, io: ActionIo): Promise<void> {
  const mode = inputs.mode !== 'auto' ? inputs.mode : ctx.eventName === 'pull_request' ? 'check' : ctx.eventName === 'workflow_run' ? 'comment' : 'propose';
  if (mode === 'comment') return commentMode(inputs, ctx, gh, io);
  io.info(`lineage-gate: ${mode} on ${ctx.eventName} at ${ctx.sha.slice(0, 12)}`);
  const ev = await evaluate({ root: path.join(ctx.workspace, inputs.root), all: inputs.all, only: inputs.only });
  try {
    const report = ev.report;
    io.untrusted(renderText(report));
    const reportPath = await writeReport(ctx.tempDir, report);
    io.output('status', report.status);
    io.output('report', reportPath);
    io.output('fingerprint', report.fingerprint);
    annotate(ev, io);
    await io.summary(fitBody(COMMENT_MARKER, report, '', SUMMARY_LIMIT));

    if (mode === 'check') await checkMode(inputs, ctx, gh, io, report);
    else await proposeMode(inputs, ctx, gh, io, ev);
    if (inputs.siteDir && report.status !== 'invalid') {
      const { buildSite } = await import('../site.ts');
      const out = path.join(ctx.workspace, inputs.siteDir);
      const site = await buildSite({ root: path.join(ctx.workspace, inputs.root), out, base: inputs.siteBase, evaluation: ev });
      for (const w of site.warnings) io.warning(w);
      io.info(`lineage-gate: built the lineage site (${site.pages} pages) in ${inputs.siteDir}`);
      io.output('site-dir', out);
    }

    if (report.status === 'invalid') io.fail(`lineage-gate: input is invalid (${report.errors.length} problem(s)); see the annotations`);
    else if (report.status === 'fail' && inputs.failOn === 'gate' && mode === 'check') io.fail('lineage-gate: a gate failed; see the report');
  } finally {
    ev.db?.close();
  }
}

async function checkMode(inputs: ActionInputs, ctx: EventContext, gh: GitHubPort, io: ActionIo, report: Report): Promise<void> {
  io.output('pull-request-operation', 'none');
  const pr = ctx.payload.pull_request;
  if (!inputs.comment || !pr) return;
  const fromFork = pr.head.repo?.full_name !== pr.base.repo.full_name;
  if (fromFork) {
    io.info('This pull request comes from a fork, whose token cannot write: the report is in the job summary, the annotations and the exit status. See README for the workflow_run pattern that comments safely.');
    return;
  }
  await upsertComment(gh, io, inputs, pr.number, report);
}

/** One comment per PR, ours by marker and author; created once, then edited in place. */
async function upsertComment(gh: GitHubPort, io: ActionIo, inputs: ActionInputs, pr: number, report: Report): Promise<void> {
  const me = (await gh.identity()) ?? inputs.botLogin;
  const body = fitBody(COMMENT_MARKER, report);
  try {
    const mine = (await gh.listComments(pr)).find((c) => c.author === me && c.body.startsWith(COMMENT_MARKER));
    if (mine) await gh.updateComment(mine.id, body);
    else await gh.createComment(pr, body);
    io.info(mine ? `updated the report comment on #${pr}` : `commented the report on #${pr}`);
  } catch (e) {
    if (!(e instanceof ForbiddenError)) throw e;
    io.warning(`${e.message}; the report is in the job summary and the annotations.`);
  }
}

/** The JSON report is bounded: an artifact from a fork's run is untrusted. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * workflow_run after a fork PR's check: posts the report that run uploaded. The PR is found from GitHub's own
 * event (head repository, branch and sha), never from the artifact; the report is validated against its schema
 * and rendered again here, so its text is escaped like any other. No code from the PR is checked out or run.
 */
async function commentMode(inputs: ActionInputs, ctx: EventContext, gh: GitHubPort, io: ActionIo): Promise<void> {
  io.output('pull-request-operation', 'none');
  const run = ctx.payload.workflow_run;
  if (!run) return io.fail('lineage-gate: mode comment runs on workflow_run events');
  if (!inputs.reportFile) return io.fail('lineage-gate: mode comment needs report-file, the report.json the check run uploaded');
  const size = (await stat(inputs.reportFile).catch(() => null))?.size;
  if (size === undefined || size > MAX_REPORT_BYTES) return io.fail(`lineage-gate: ${inputs.reportFile} is missing or larger than ${MAX_REPORT_BYTES} bytes`);
  let report: unknown;
  try {
    report = JSON.parse(await readFile(inputs.reportFile, 'utf8'));
  } catch {
    return io.fail('lineage-gate: the report artifact is not JSON');
  }
  const problems = schemaProblems('report', report, 'report.json');
  if (problems.length > 0) return io.fail(`lineage-gate: the report artifact does not match schemas/report.schema.json (${problems[0]!.message})`);
  const branch = run.head_branch ?? '';
  const headOwner = run.head_repository?.owner.login ?? '';
  if (!isSafeBranch(branch) || !/^[A-Za-z0-9-]+$/.test(headOwner)) return io.warning('lineage-gate: the head branch or owner of that run is not one lineage-gate will query; no comment');
  const pull = await gh.findPullForHead(headOwner, branch, run.head_sha);
  if (!pull) return io.info(`lineage-gate: no open pull request has ${headOwner}:${branch} at ${run.head_sha.slice(0, 12)}; nothing to comment on`);
  await upsertComment(gh, io, inputs, pull.number, report as Report);
  io.output('status', (report as Report).status);
}

async function proposeMode(inputs: ActionInputs, ctx: EventContext, gh: GitHubPort, io: ActionIo, ev: Evaluation): Promise<void> {
  const baseBranch = ctx.payload.repository?.default_branch;
  if (!baseBranch) throw new Error('the event payload names no default branch');
  if (ev.report.status === 'invalid') {
    io.output('pull-request-operation', 'none');
    return;
  }
  // The history record's time is the evaluated commit's, so the same commit always proposes the same bytes.
  const at = ctx.payload.head_commit?.timestamp ?? (await gh.getCommit(ctx.sha)).date;
  const plan = planAcceptance(ev, new Date(at).toISOString());
  const result = await propose(gh, {
    report: ev.report,
    files: plan ? [{ path: plan.files[0]!, content: plan.lockText }, { path: plan.files[1]!, content: plan.historyText }] : null,
    evaluatedSha: ctx.sha,
    baseBranch,
    branch: inputs.prBranch,
    title: inputs.prTitle,
    labels: inputs.labels,
    botLogin: inputs.botLogin,
  });
  io.info(`lineage-gate: ${result.message}`);
  if (result.blocked) io.warning(result.message);
  io.output('pull-request-operation', result.operation);
  io.output('pull-request-number', result.pull ? String(result.pull.number) : '');
  io.output('pull-request-url', result.pull?.url ?? '');
}

async function writeReport(dir: string, report: Report): Promise<string> {
  const out = path.join(dir, 'lineage-gate');
  await mkdir(out, { recursive: true });
  const file = path.join(out, 'report.json');
  await writeFile(file, JSON.stringify(report, null, 2) + '\n');
  await writeFile(path.join(out, 'report.md'), renderMarkdown(report));
  return file;
}

/** Annotations on the manifest lines that are invalid or whose gate failed. */
function annotate(ev: Evaluation, io: ActionIo): void {
  const r = ev.report;
  for (const e of r.errors) {
    io.annotate('error', `${e.message}${e.hint ? `. ${e.hint}` : ''}`, { file: e.file, line: e.line, title: 'lineage-gate: invalid input' });
  }
  const lineOf = (file: string, p: (string | number)[]) => ev.lines.get(file)?.(p);
  for (const m of r.models.filter((x) => x.status === 'fail')) {
    const failed = m.conditions.findIndex((c) => c.result === 'fail');
    const stale = m.datasets.find((d) => d.current !== null && d.current !== d.trained_on);
    const line = stale ? lineOf(m.file, ['datasets', stale.id]) : failed >= 0 ? lineOf(m.file, ['gate', failed]) : lineOf(m.file, ['metrics']);
    io.annotate('error', m.reasons.join('; ') || 'gate 1 failed', { file: m.file, line, title: `lineage-gate: model ${m.id} failed gate 1` });
  }
  for (const w of r.workflows.filter((x) => x.status === 'fail')) {
    io.annotate('error', w.reasons.join('; ') || 'gate 2 failed', { file: w.file, line: lineOf(w.file, ['threshold']), title: `lineage-gate: workflow ${w.id} failed gate 2` });
  }
  for (const x of r.weakened) {
    const file = (x.entity === 'model' ? r.models : r.workflows).find((e) => e.id === x.id)?.file;
    if (file) io.annotate('warning', x.message, { file, line: lineOf(file, [x.kind === 'condition' ? 'gate' : x.kind === 'weights' ? 'nodes' : x.kind]), title: `lineage-gate: weakened gate of ${x.entity} ${x.id}` });
  }
}
