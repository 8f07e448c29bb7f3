// propose: put exactly the lock change `accept` would make on the PR branch as one commit on top of the evaluated
// commit, and open or update the PR; close an obsolete one. Never force-pushes and never overwrites other people's work.

import type { GitHubPort, Pull } from '../adapters/github.ts';
import { fitBody, PROPOSAL_MARKER, TRAILER_EVALUATED, TRAILER_FINGERPRINT } from '../core/render/github-text.ts';
import type { Report } from '../core/types.ts';

export interface ProposeInput {
  report: Report;
  /** The files accept would write (repository-relative) with their contents; null when nothing would change. */
  files: { path: string; content: string }[] | null;
  evaluatedSha: string;
  baseBranch: string;
  branch: string;
  title: string;
  labels: string[];
  /** Login used when the token cannot tell who it is. */
  botLogin: string;
}

export interface ProposeResult {
  operation: 'created' | 'updated' | 'closed' | 'none';
  pull: Pull | null;
  /** What happened, in a sentence, for the log and summary. */
  message: string;
  /** True when the branch holds someone else's commits and was left alone. */
  blocked: boolean;
}

/** Optimistic concurrency: on a conflicting branch update, re-read and try again this many times. */
const MAX_ATTEMPTS = 5;

export async function propose(gh: GitHubPort, p: ProposeInput): Promise<ProposeResult> {
  const me = (await gh.identity()) ?? p.botLogin;
  const open = await gh.findOpenPull(p.branch, p.baseBranch);
  const ours = (pull: Pull | null) => pull?.body.includes(PROPOSAL_MARKER);

  if (p.files === null) {
    if (open && ours(open)) {
      await gh.createComment(
        open.number,
        `${PROPOSAL_MARKER}\nClosing: at ${p.evaluatedSha.slice(0, 12)} the accepted associations on \`${p.baseBranch}\` are up to date, so there is nothing left to accept.`,
      );
      const closed = await gh.updatePull(open.number, { state: 'closed' });
      const head = await gh.getBranch(p.branch);
      if (head && isOurs(await gh.getCommit(head), me)) await gh.deleteBranch(p.branch);
      return { operation: 'closed', pull: closed, message: `closed obsolete pull request #${open.number}`, blocked: false };
    }
    return { operation: 'none', pull: null, message: 'nothing to accept; no pull request needed', blocked: false };
  }

  const message = commitMessage(p.report, p.evaluatedSha);
  const base = await gh.getCommit(p.evaluatedSha);
  let pushed = false;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && !pushed; attempt++) {
    const head = await gh.getBranch(p.branch);
    if (head === null) {
      const sha = await gh.createCommit({ message, baseTree: base.tree, files: p.files, parents: [p.evaluatedSha] });
      pushed = (await gh.createBranch(p.branch, sha)) === 'created';
      continue;
    }
    const current = await gh.getCommit(head);
    if (!isOurs(current, me)) {
      return {
        operation: 'none',
        pull: open,
        message: `the branch ${p.branch} has a commit (${head.slice(0, 12)}) not made by lineage-gate; it was left alone. Merge or delete that branch, then run again.`,
        blocked: true,
      };
    }
    const theirs = trailer(current.message, TRAILER_EVALUATED);
    if (trailer(current.message, TRAILER_FINGERPRINT) === p.report.fingerprint && theirs === p.evaluatedSha) {
      pushed = true; // the same proposal is already there
      continue;
    }
    if (theirs && theirs !== p.evaluatedSha && (await gh.isAncestor(p.evaluatedSha, theirs))) {
      return {
        operation: 'none',
        pull: open,
        message: `the branch already holds a proposal for a newer commit (${theirs.slice(0, 12)}); left as it is`,
        blocked: false,
      };
    }
    // Two parents: the evaluated commit first (so the PR's change is exactly the lock and history record), and the
    // branch head second, so that the update is a fast-forward and needs no force.
    const sha = await gh.createCommit({ message, baseTree: base.tree, files: p.files, parents: [p.evaluatedSha, head] });
    pushed = (await gh.updateBranch(p.branch, sha)) === 'updated';
  }
  if (!pushed) throw new Error(`could not update ${p.branch} after ${MAX_ATTEMPTS} attempts: other runs kept moving it`);

  const body = fitBody(
    PROPOSAL_MARKER,
    p.report,
    `This pull request updates the accepted associations to what passed at ${p.evaluatedSha.slice(0, 12)}. Merge it to accept them.\n\n`,
  );
  const existing = (await gh.findOpenPull(p.branch, p.baseBranch)) ?? open;
  let pull: Pull;
  let operation: ProposeResult['operation'];
  if (existing) {
    pull = await gh.updatePull(existing.number, { title: p.title, body });
    operation = 'updated';
  } else {
    pull = await gh.createPull({ title: p.title, body, head: p.branch, base: p.baseBranch });
    operation = 'created';
  }
  await gh.addLabels(pull.number, p.labels);
  return { operation, pull, message: `${operation} pull request #${pull.number}`, blocked: false };
}

export function commitMessage(r: Report, evaluated: string): string {
  const s = r.summary;
  return [
    `lineage-gate: accept associations that passed at ${evaluated.slice(0, 12)}`,
    '',
    `Gate 1: ${s.models_affected - s.models_failed} of ${s.models_affected} affected models pass; gate 2: ${s.workflows_affected - s.workflows_failed} of ${s.workflows_affected} affected workflows pass.`,
    '',
    `${TRAILER_FINGERPRINT}: ${r.fingerprint}`,
    `${TRAILER_EVALUATED}: ${evaluated}`,
  ].join('\n');
}

function trailer(message: string, name: string): string | null {
  const m = new RegExp(`^${name}: ([0-9a-f]{40,64})$`, 'm').exec(message);
  return m ? m[1]! : null;
}

/** A commit lineage-gate made: it carries our trailer and was authored by the token's identity. */
function isOurs(c: { message: string; author: string }, me: string): boolean {
  return trailer(c.message, TRAILER_FINGERPRINT) !== null && c.author === me;
}
