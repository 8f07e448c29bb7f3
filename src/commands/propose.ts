// `lineage-gate propose --dry-run`: the commit and pull request the Action would make, through the same code,
// with a local stand-in for GitHub.
import { planAcceptance } from '../acceptance.ts';
import { propose as proposeOn } from '../action/propose.ts';
import { headCommit } from '../adapters/git.ts';
import { localGitHub } from '../adapters/github-local.ts';
import { isSafeBranch, safeTitle } from '../core/render/github-text.ts';
import { renderText } from '../core/render/text.ts';
import { evaluate } from '../evaluate.ts';
import { resolveAt } from './accept.ts';
import { type Command, cacheOptions, EXIT, flag, str, UsageError } from './command.ts';

export const propose: Command = {
  name: 'propose',
  usage: 'propose --dry-run [--root DIR] [--all] [--branch NAME] [--title TEXT] [--base BRANCH]',
  options: {
    all: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    branch: { type: 'string', default: 'lineage-gate/accept' },
    title: { type: 'string', default: 'lineage-gate: accept passing associations' },
    base: { type: 'string', default: 'main' },
  },
  async run(v, _args, io) {
    if (!flag(v, 'dry-run')) throw new UsageError('the live proposal is made by the GitHub Action; add --dry-run to see what it would do');
    const branch = str(v, 'branch')!;
    const base = str(v, 'base')!;
    if (!isSafeBranch(branch) || !isSafeBranch(base)) throw new UsageError('--branch and --base must be plain branch names');
    using ev = await evaluate({ root: str(v, 'root')!, all: flag(v, 'all'), ...cacheOptions(v, io) });
    io.out(renderText(ev.report));
    if (ev.report.status === 'invalid') return EXIT.invalid;
    const head = (await headCommit(ev.repo.root)) ?? { sha: '0'.repeat(40), date: resolveAt(undefined, io.env)! };
    const plan = planAcceptance(ev, head.date);
    const gh = localGitHub(head);
    const result = await proposeOn(gh, {
      report: ev.report,
      files: plan
        ? [
            { path: plan.files[0]!, content: plan.lockText },
            { path: plan.files[1]!, content: plan.historyText },
          ]
        : null,
      evaluatedSha: head.sha,
      baseBranch: base,
      branch,
      title: safeTitle(str(v, 'title')!),
      labels: [],
      botLogin: 'lineage-gate[dry-run]',
    });
    io.out(`\npropose (dry run, nothing was sent): ${result.message}\n`);
    for (const line of gh.log) io.out(`  would ${line}\n`);
    return EXIT.ok;
  },
};
