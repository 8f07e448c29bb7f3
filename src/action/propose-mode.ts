// Propose mode (push, schedule, workflow_dispatch): the lock PR for what passed at the evaluated commit.
import { planAcceptance } from '../acceptance.ts';
import type { GitHubPort } from '../adapters/github.ts';
import type { Evaluation } from '../evaluate.ts';
import type { ActionInputs } from './inputs.ts';
import type { ActionIo, EventContext } from './modes.ts';
import { propose } from './propose.ts';

/** `retrained`: files the merge job of a retrain fan-out applied; they go into the proposal with the lock they decided. */
export async function proposeMode(
  inputs: ActionInputs,
  ctx: EventContext,
  gh: GitHubPort,
  io: ActionIo,
  ev: Evaluation,
  retrained: readonly { path: string; text: string }[] = [],
): Promise<void> {
  const baseBranch = ctx.payload.repository?.default_branch;
  if (!baseBranch) throw new Error('the event payload names no default branch');
  if (ev.report.status === 'invalid') {
    io.output('pull-request-operation', 'none');
    return;
  }
  // The history record's time is the evaluated commit's, so the same commit always proposes the same bytes.
  const at = ctx.payload.head_commit?.timestamp ?? (await gh.getCommit(ctx.sha)).date;
  const plan = planAcceptance(ev, new Date(at).toISOString());
  if (!plan && retrained.length > 0)
    io.warning(
      `lineage-gate: ${retrained.length} retrained file(s) were applied, but nothing they decided can be accepted, so they are not proposed`,
    );
  const result = await propose(gh, {
    report: ev.report,
    files: plan
      ? [
          ...retrained.map((f) => ({ path: f.path, content: f.text })),
          { path: plan.files[0]!, content: plan.lockText },
          { path: plan.files[1]!, content: plan.historyText },
        ]
      : null,
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
