// Check mode (pull_request): the report as one PR comment, edited in place; fork PRs get summary and annotations only.
import { ForbiddenError, type GitHubPort } from '../adapters/github.ts';
import { COMMENT_MARKER, fitBody } from '../core/render/github-text.ts';
import type { Report } from '../core/types.ts';
import type { ActionInputs } from './inputs.ts';
import type { ActionIo, EventContext } from './modes.ts';

export async function checkMode(inputs: ActionInputs, ctx: EventContext, gh: GitHubPort, io: ActionIo, report: Report): Promise<void> {
  io.output('pull-request-operation', 'none');
  const pr = ctx.payload.pull_request;
  if (!inputs.comment || !pr) return;
  const fromFork = pr.head.repo?.full_name !== pr.base.repo.full_name;
  if (fromFork) {
    io.info(
      'This pull request comes from a fork, whose token cannot write: the report is in the job summary, the annotations and the exit status. See README for the workflow_run pattern that comments safely.',
    );
    return;
  }
  await upsertComment(gh, io, inputs, pr.number, report);
}

/** One comment per PR, ours by marker and author; created once, then edited in place. */
export async function upsertComment(gh: GitHubPort, io: ActionIo, inputs: ActionInputs, pr: number, report: Report): Promise<void> {
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
