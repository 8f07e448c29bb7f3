// `--base REV`: the accepted state read from a git revision through plumbing, on real git repositories, shallow too.
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/types.ts';
import { cli } from './helpers/cli.ts';
import { cleanup, copyExample, initGit, makeRepo } from './helpers/repo.ts';

afterEach(cleanup);

const json = async (...args: string[]) => {
  const r = await cli([...args, '--json', '-']);
  return { code: r.code, report: JSON.parse(r.out) as Report };
};

/** The shipped example as a git repository with one commit. */
function exampleRepo() {
  const repo = copyExample();
  const g = initGit(repo);
  const sha = g.commit('the example');
  return { repo, ...g, sha };
}

describe('check --base REV', () => {
  it('on a clean work tree gives the same verdict and fingerprint as without it', async () => {
    const { repo } = exampleRepo();
    const plain = await json('check', '--root', repo.root);
    const based = await json('check', '--root', repo.root, '--base', 'HEAD');
    expect(plain.code).toBe(1);
    expect(based.code).toBe(1);
    expect(based.report.fingerprint).toBe(plain.report.fingerprint);
    expect(based.report.models.find((m) => m.id === 'mol_toxicity')!.status).toBe('fail');
  });

  it('refuses names that are not revisions before git sees them, and names what it cannot find', async () => {
    const { repo } = exampleRepo();
    for (const bad of ['--output=/tmp/x', '-c', 'main..HEAD', 'HEAD:lineage/associations.lock.yaml', 'a b', '']) {
      const r = await cli(['check', '--root', repo.root, `--base=${bad}`]);
      expect(r.code, bad).toBe(2);
      expect(r.out).toContain('is not a revision name lineage-gate will pass to git');
    }
    const unknown = await cli(['check', '--root', repo.root, '--base', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('lineage/associations.lock.yaml: --base no-such-branch: "no-such-branch" does not name a commit');
  });

  it('says so when the lineage root is not in a git work tree', async () => {
    const repo = copyExample();
    const r = await cli(['check', '--root', repo.root, '--base', 'HEAD']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('is not a git work tree, so no revision can be read');
    expect(r.out).toContain('hint: run lineage-gate inside the clone');
  });

  it('in a shallow clone: explains a missing base and how to fetch it, then works once it is fetched', async () => {
    const { repo, git } = exampleRepo();
    repo.write('NOTE.md', 'a second commit\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'second');
    const clone = path.join(makeRepo().dir, 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone]);
    const root = path.join(clone, 'lineage');
    const missing = await cli(['check', '--root', root, '--base', 'HEAD~1']);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain('"HEAD~1" does not name a commit in this repository (the clone is shallow)');
    expect(missing.out).toContain('git fetch --depth=1 origin');
    const base = git('rev-parse', 'HEAD~1');
    const bySha = await cli(['check', '--root', root, '--base', base]);
    expect(bySha.out).toContain(`commit ${base} is not in this clone (the clone is shallow)`);
    expect(bySha.out).toContain(`git fetch --depth=1 origin ${base}`);

    execFileSync('git', ['-C', clone, 'fetch', '-q', '--depth=1', 'origin', base]);
    const fetched = await json('check', '--root', root, '--base', base);
    expect(fetched.code).toBe(1);
    expect(fetched.report.models.find((m) => m.id === 'mol_toxicity')!.status).toBe('fail');
    // HEAD itself is always there, shallow or not.
    expect((await json('check', '--root', root, '--base', 'HEAD')).report.fingerprint).toBe(fetched.report.fingerprint);
  });

  it('refuses a lock that is a symbolic link at the revision, by its tree mode', async () => {
    const { repo, git, commit } = exampleRepo();
    git('mv', 'lineage/associations.lock.yaml', 'lineage/real.lock.yaml');
    symlinkSync('real.lock.yaml', path.join(repo.root, 'associations.lock.yaml'));
    commit('lock behind a link');
    const r = await cli(['check', '--root', repo.root, '--base', 'HEAD']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('lineage/associations.lock.yaml: lineage/associations.lock.yaml is a symbolic link at revision');
  });
});
