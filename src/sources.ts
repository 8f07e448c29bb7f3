// Where one evaluation reads from: the manifests from the work tree (or a revision, for comment mode), and the
// accepted state (lock and history) from the work tree, or from the base revision when --base is given.
import path from 'node:path';
import { type Git, openGit } from './adapters/git-rev.ts';
import { findRepoRoot, openRepo, type Repo } from './adapters/repo-fs.ts';
import { openRevisionRepo } from './adapters/repo-git.ts';
import { type InputProblem, problem } from './core/input/problems.ts';

export interface SourceOptions {
  /** The lineage root as the user gave it (relative to cwd or absolute). */
  root: string;
  /** Revision whose lock and history are the accepted state. */
  base?: string;
  /** Revision whose manifests and metric files are judged instead of the work tree's. */
  head?: string;
}

export interface Revision {
  /** As the user named it. */
  name: string;
  sha: string;
}

export interface Sources {
  /** The manifests, metric and .dvc files being judged. */
  repo: Repo;
  /** The lock and history: `repo` itself, or the base revision. */
  state: Repo;
  /** Lineage root relative to the repository, '' when it is the repository itself. */
  rootRel: string;
  rootAbs: string;
  git: Git | null;
  base: Revision | null;
  head: Revision | null;
  close(): void;
}

export async function openSources(opts: SourceOptions): Promise<{ ok: true; sources: Sources } | { ok: false; problems: InputProblem[] }> {
  const rootAbs = path.resolve(opts.root);
  const repoRoot = await findRepoRoot(rootAbs);
  const git = await openGit(repoRoot);
  const rootRel = path.relative(repoRoot, rootAbs).split(path.sep).join('/');
  const lockFile = rootRel ? `${rootRel}/associations.lock.yaml` : 'associations.lock.yaml';
  const close = () => git?.close();
  const fail = (problems: InputProblem[]) => {
    close();
    return { ok: false as const, problems };
  };
  const resolve = async (flag: '--base' | '--head', name: string): Promise<Revision | InputProblem> => {
    if (!git)
      return problem(lockFile, `${flag} ${name}: ${repoRoot} is not a git work tree, so no revision can be read`, {
        hint: `run lineage-gate inside the clone, or leave out ${flag} to use the files as they are`,
      });
    const r = await git.resolve(name);
    if (!r.ok) return problem(lockFile, `${flag} ${name}: ${r.message}`, { hint: r.hint });
    return { name, sha: r.sha };
  };
  let base: Revision | null = null;
  let head: Revision | null = null;
  const problems: InputProblem[] = [];
  for (const [flag, name] of [
    ['--base', opts.base],
    ['--head', opts.head],
  ] as const) {
    if (name === undefined) continue;
    const r = await resolve(flag, name);
    if ('sha' in r) {
      if (flag === '--base') base = r;
      else head = r;
    } else problems.push(r);
  }
  if (problems.length > 0) return fail(problems);
  const work = openRepo(repoRoot, git);
  const repo = head ? await openRevisionRepo(git!, head.sha) : work;
  const state = base ? await openRevisionRepo(git!, base.sha) : repo;
  return { ok: true, sources: { repo, state, rootRel, rootAbs, git, base, head, close } };
}
