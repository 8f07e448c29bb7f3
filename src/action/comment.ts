// Comment mode (workflow_run after a fork PR's check): posts that run's report on the PR.
import { readFile, stat } from 'node:fs/promises';
import type { GitHubPort } from '../adapters/github.ts';
import { schemaProblems } from '../core/input/schema.ts';
import { isSafeBranch } from '../core/render/github-text.ts';
import type { Report } from '../core/types.ts';
import { upsertComment } from './check.ts';
import type { ActionInputs } from './inputs.ts';
import type { ActionIo, EventContext } from './modes.ts';

/** The JSON report is bounded: an artifact from a fork's run is untrusted. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * workflow_run after a fork PR's check: posts the report that run uploaded. The PR is found from GitHub's own
 * event (head repository, branch and sha), never from the artifact; the report is validated against its schema
 * and rendered again here, so its text is escaped like any other. No code from the PR is checked out or run.
 */
export async function commentMode(inputs: ActionInputs, ctx: EventContext, gh: GitHubPort, io: ActionIo): Promise<void> {
  io.output('pull-request-operation', 'none');
  const run = ctx.payload.workflow_run;
  if (!run) return io.fail('lineage-gate: mode comment runs on workflow_run events');
  if (!inputs.reportFile) return io.fail('lineage-gate: mode comment needs report-file, the report.json the check run uploaded');
  const size = (await stat(inputs.reportFile).catch(() => null))?.size;
  if (size === undefined || size > MAX_REPORT_BYTES)
    return io.fail(`lineage-gate: ${inputs.reportFile} is missing or larger than ${MAX_REPORT_BYTES} bytes`);
  let report: unknown;
  try {
    report = JSON.parse(await readFile(inputs.reportFile, 'utf8'));
  } catch {
    return io.fail('lineage-gate: the report artifact is not JSON');
  }
  const problems = schemaProblems('report', report, 'report.json');
  if (problems.length > 0)
    return io.fail(`lineage-gate: the report artifact does not match schemas/report.schema.json (${problems[0]!.message})`);
  const branch = run.head_branch ?? '';
  const headOwner = run.head_repository?.owner.login ?? '';
  if (!isSafeBranch(branch) || !/^[A-Za-z0-9-]+$/.test(headOwner))
    return io.warning('lineage-gate: the head branch or owner of that run is not one lineage-gate will query; no comment');
  const pull = await gh.findPullForHead(headOwner, branch, run.head_sha);
  if (!pull)
    return io.info(`lineage-gate: no open pull request has ${headOwner}:${branch} at ${run.head_sha.slice(0, 12)}; nothing to comment on`);
  await upsertComment(gh, io, inputs, pull.number, report as Report);
  io.output('status', (report as Report).status);
}
