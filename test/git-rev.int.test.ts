// The git adapter on real repositories: revisions read through plumbing, and blob ids from the index or by hashing.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitBlobId, isRevisionName, openGit } from '../src/adapters/git-rev.ts';
import { openRepo } from '../src/adapters/repo-fs.ts';
import { openRevisionRepo } from '../src/adapters/repo-git.ts';
import { cleanup, initGit, makeRepo } from './helpers/repo.ts';

afterEach(cleanup);

function repoWith(files: Record<string, string>) {
  const repo = makeRepo(files);
  const g = initGit(repo);
  return { repo, ...g };
}

describe('revision names', () => {
  it('takes what people type and refuses options, ranges, paths and spaces', () => {
    for (const ok of ['main', 'origin/main', 'HEAD~2', 'HEAD^', 'v1.2.0', 'main@{1}', 'v1^{commit}', 'a'.repeat(40)])
      expect(isRevisionName(ok), ok).toBe(true);
    for (const bad of ['-c', '--output=x', 'a..b', 'HEAD:file', 'a b', '', 'x\n', 'a//b', 'refs/x.lock', '.hidden', 'a'.repeat(300)])
      expect(isRevisionName(bad), bad).toBe(false);
  });
});

describe('openGit', () => {
  it('is null outside a work tree, and never climbs to a repository further up', async () => {
    expect(await openGit(makeRepo().dir)).toBeNull();
    const { repo } = repoWith({ 'a.txt': 'a' });
    const inner = path.join(repo.dir, 'inner');
    mkdirSync(inner);
    expect(await openGit(inner)).toBeNull();
    expect((await openGit(repo.dir))?.root).toBe(repo.dir);
  });
});

describe('reading a revision', () => {
  it('reads many objects through one cat-file, large ones and missing ones too', async () => {
    const big = 'x'.repeat(5 * 1024 * 1024 + 17);
    const files: Record<string, string> = { 'big.txt': big };
    for (let i = 0; i < 300; i++) files[`f/${i}.json`] = JSON.stringify({ i });
    const { repo, commit } = repoWith(files);
    const sha = commit('many');
    const git = (await openGit(repo.dir))!;
    const tree = await git.tree(sha);
    expect(tree.size).toBe(301);
    expect(tree.get('big.txt')).toMatchObject({ mode: '100644', size: big.length, oid: gitBlobId(Buffer.from(big)) });
    const reads = await Promise.all([...tree.entries()].map(async ([p, e]) => [p, (await git.readObject(e.oid))!.toString()] as const));
    for (const [p, text] of reads) expect(text, p).toBe(files[p]);
    expect(await git.readObject('0'.repeat(40))).toBeNull();
    git.close();
  });

  it('as a Repo: lists, reads, and refuses links, submodule-like entries and oversized files by their tree entry', async () => {
    const { repo, commit } = repoWith({ 'lineage/models/a.yaml': 'id: a\n', 'real/b.yaml': 'id: b\n', 'results/m.json': '{"x": 1}' });
    symlinkSync('../real', path.join(repo.dir, 'lineage/datasets'));
    symlinkSync('m.json', path.join(repo.dir, 'results/link.json'));
    const sha = commit('links');
    const git = (await openGit(repo.dir))!;
    const rev = await openRevisionRepo(git, sha);
    expect(rev.source).toBe(`revision ${sha.slice(0, 12)}`);
    expect(await rev.list('lineage/models')).toEqual(['lineage/models/a.yaml']);
    expect(await rev.list('lineage/datasets')).toEqual([]);
    expect(rev.folderProblem('lineage/datasets')).toBe('lineage/datasets is a symbolic link');
    expect(await rev.read('lineage/models/a.yaml')).toEqual({ ok: true, text: 'id: a\n' });
    expect(await rev.read('lineage/datasets/b.yaml')).toMatchObject({ ok: false, reason: 'symlink' });
    expect(await rev.read('results/link.json')).toMatchObject({ ok: false, reason: 'symlink' });
    expect(await rev.read('results/m.json', { maxBytes: 3 })).toMatchObject({ ok: false, reason: 'too-large' });
    expect(await rev.read('nope.json')).toMatchObject({ ok: false, reason: 'missing' });
    await expect(rev.writeAtomic('x', 'y')).rejects.toThrow(/read-only/);
    git.close();
  });
});

describe('blob ids of the work tree', () => {
  it('come from the index for unchanged files and from git hash-object for changed and untracked ones', async () => {
    const {
      repo,
      commit,
      git: run,
    } = repoWith({ 'results/a.json': '{"a": 1}', 'results/b.json': '{"b": 1}', 'results/c.json': '{"c": 1}' });
    commit('metrics');
    const git = (await openGit(repo.dir))!;
    writeFileSync(path.join(repo.dir, 'results/b.json'), '{"b": 2}');
    writeFileSync(path.join(repo.dir, 'results/new.json'), '{"n": 1}');
    repo.remove('results/c.json');
    const ids = await openRepo(repo.dir, git).blobIds(['results/a.json', 'results/b.json', 'results/new.json', 'results/c.json']);
    expect(ids.get('results/a.json')).toEqual({ ok: true, blob: run('rev-parse', 'HEAD:results/a.json') });
    expect(ids.get('results/b.json')).toEqual({ ok: true, blob: gitBlobId(Buffer.from('{"b": 2}')) });
    expect(ids.get('results/new.json')).toEqual({ ok: true, blob: gitBlobId(Buffer.from('{"n": 1}')) });
    expect(ids.get('results/c.json')).toMatchObject({ ok: false, reason: 'missing' });
    git.close();
  });

  it('are the ids `git add` would store: line endings normalised as .gitattributes says', async () => {
    const { repo, commit } = repoWith({ '.gitattributes': '*.csv text eol=lf\n', 'results/m.csv': 'metric,value\nauc,0.9\n' });
    commit('csv');
    const git = (await openGit(repo.dir))!;
    writeFileSync(path.join(repo.dir, 'results/m.csv'), 'metric,value\r\nauc,0.9\r\n');
    const ids = await openRepo(repo.dir, git).blobIds(['results/m.csv']);
    expect(ids.get('results/m.csv')).toEqual({ ok: true, blob: gitBlobId(Buffer.from('metric,value\nauc,0.9\n')) });
    git.close();
  });

  it('without git are the same ids, computed from the bytes; links are refused', async () => {
    const repo = makeRepo({ 'results/a.json': '{"a": 1}' });
    symlinkSync('a.json', path.join(repo.dir, 'results/l.json'));
    const ids = await openRepo(repo.dir).blobIds(['results/a.json', 'results/l.json']);
    expect(ids.get('results/a.json')).toEqual({ ok: true, blob: gitBlobId(Buffer.from('{"a": 1}')) });
    expect(ids.get('results/l.json')).toMatchObject({ ok: false, reason: 'symlink' });
  });
});
