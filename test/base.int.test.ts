// `--base REV`: the accepted state read from a git revision through plumbing, on real git repositories, shallow too.
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/types.ts';
import { cli } from './helpers/cli.ts';
import { exampleAccepted, exampleStageOut, exampleVersions, rewriteMetricFile } from './helpers/dvc.ts';
import { cleanup, copyExample, initGit, makeRepo, type TestRepo } from './helpers/repo.ts';

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

// The example is a DVC project: model versions are the hashes its dvc.lock records.
const TOX_ACCEPTED = exampleAccepted('models', 'mol_toxicity');
const TOX_NOW = exampleStageOut('train_toxicity');

describe('check --base REV', () => {
  it('on a clean work tree finds the same results and fingerprint as without it, all pending on the base', async () => {
    const { repo, sha } = exampleRepo();
    const plain = await json('check', '--root', repo.root);
    const based = await json('check', '--root', repo.root, '--base', 'HEAD');
    expect(plain.code).toBe(1);
    expect(based.report.fingerprint).toBe(plain.report.fingerprint);
    expect(based.report.models.map((m) => [m.id, m.status])).toEqual(plain.report.models.map((m) => [m.id, m.status]));
    // Nothing here is this change's: the failing toxicity model was pending on the base already.
    expect(based.code).toBe(0);
    expect(based.report).toMatchObject({ status: 'noop', base: { name: 'HEAD', sha, lock: 'unchanged' } });
    expect(based.report.models.find((m) => m.id === 'mol_toxicity')).toMatchObject({ status: 'fail', pending: true });
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
    expect(fetched.code).toBe(0);
    expect(fetched.report.base).toEqual({ name: base, sha: base, lock: 'unchanged' });
    expect(fetched.report.models.find((m) => m.id === 'mol_toxicity')).toMatchObject({ status: 'fail', pending: true });
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

describe('check --base REV: the lock and history a change carries', () => {
  const LOCK = 'lineage/associations.lock.yaml';
  /** The example committed, then changed in the work tree as a pull request would change it. */
  const forge = async (edit: (repo: TestRepo) => void) => {
    const { repo, sha } = exampleRepo();
    const lockBefore = repo.read(LOCK);
    edit(repo);
    const lockNow = repo.exists(LOCK) ? repo.read(LOCK) : null;
    const r = await cli(['check', '--root', repo.root, '--base', sha]);
    // Nothing is ever written by check, forged or not.
    expect(repo.exists(LOCK) ? repo.read(LOCK) : null).toBe(lockNow);
    return { ...r, repo, sha, lockBefore };
  };
  const edits: [string, (repo: TestRepo) => void, string[]][] = [
    [
      'a lowered baseline',
      (r) => r.write(LOCK, r.read(LOCK).replace('test.auc: 0.91', 'test.auc: 0.5')),
      ["lineage/associations.lock.yaml:90: mol_toxicity's accepted baseline test.auc differs from the lock at", ': 0.5 vs 0.91'],
    ],
    [
      'an accepted entry for the failing version',
      (r) => r.write(LOCK, r.read(LOCK).replace(`version: "${TOX_ACCEPTED}"`, `version: "${TOX_NOW}"`)),
      ["mol_toxicity's accepted version differs from the lock at", `: ${TOX_NOW} vs ${TOX_ACCEPTED}`],
    ],
    [
      "a model's entry deleted",
      (r) => r.write(LOCK, r.read(LOCK).replace(/ {2}mol_toxicity:\n(?: {4}.*\n)+/, '')),
      ["model mol_toxicity's accepted entry is missing, but the lock at"],
    ],
    ['the lock deleted', (r) => r.remove(LOCK), ['lineage/associations.lock.yaml: the lock was deleted']],
    [
      'a comment added',
      (r) => r.write(LOCK, `${r.read(LOCK)}# reviewed\n`),
      ['lineage/associations.lock.yaml: its bytes differ from the lock at', '(formatting or comments)'],
    ],
    [
      'a history record deleted',
      (r) => r.remove(`lineage/history/${r.list('lineage/history')[0]}`),
      ['this history record was deleted; records are never removed', 'hint: restore it from the base (git checkout'],
    ],
    [
      'a history record changed',
      (r) => {
        const f = `lineage/history/${r.list('lineage/history')[1]}`;
        r.write(f, r.read(f).replace('"status": "pass"', '"status": "fail"'));
      },
      ['this history record was changed; accept writes each record once'],
    ],
    [
      'a history record added without the lock',
      (r) => r.write('lineage/history/000003-aaaaaaaaaaaa.json', r.read(`lineage/history/${r.list('lineage/history')[1]}`)),
      ['a history record was added, but the lock did not change: accept writes both together'],
    ],
  ];
  it.each(edits)('refuses %s, naming the file, the line and what differs', async (_what, edit, expected) => {
    const r = await forge(edit);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain('INVALID INPUT');
    for (const e of expected) expect(r.out).toContain(e);
  });

  it('accepts the lock and history exactly as accept --base writes them, and accept then has nothing to do', async () => {
    const { repo, sha } = exampleRepo();
    const a = await cli(['accept', '--root', repo.root, '--base', sha]);
    expect(a.code).toBe(0);
    const lock = repo.read(LOCK);
    const r = await json('check', '--root', repo.root, '--base', sha);
    expect(r.code).not.toBe(2);
    expect(r.report.base).toEqual({ name: sha, sha, lock: 'accepted' });
    const again = await cli(['accept', '--root', repo.root, '--base', sha]);
    expect(again.out).toContain('accept: nothing to change; the lock and history already hold what accept computes');
    expect(repo.read(LOCK)).toBe(lock);
    // The time of the record is not compared; everything else is.
    const record = `lineage/history/${repo.list('lineage/history')[2]}`;
    repo.write(record, repo.read(record).replace(/"at": "[^"]+"/, '"at": "2030-01-01T00:00:00.000Z"'));
    expect((await json('check', '--root', repo.root, '--base', sha)).report.base?.lock).toBe('accepted');
  });

  it('refuses a forged acceptance: a history record added beside a lock accept would not write', async () => {
    const { repo, sha } = exampleRepo();
    expect((await cli(['accept', '--root', repo.root, '--base', sha])).code).toBe(0);
    repo.write(LOCK, repo.read(LOCK).replace(/(mol_toxicity:\n(?: {4}.*\n)*? {6}test\.auc: )0\.91/, '$10.5'));
    const r = await cli(['check', '--root', repo.root, '--base', sha]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("mol_toxicity's accepted baseline test.auc differs from what accept computes: 0.5 vs 0.91");
    const before = repo.read(LOCK);
    const acc = await cli(['accept', '--root', repo.root, '--base', sha]);
    expect(acc.code).toBe(2);
    expect(acc.err).toContain('the lock was not changed');
    expect(repo.read(LOCK)).toBe(before);
  });

  it('re-evaluates with the options the record says accept ran with (--all)', async () => {
    const { repo, sha } = exampleRepo();
    expect((await cli(['accept', '--root', repo.root, '--base', sha, '--all'])).code).toBe(0);
    expect((await json('check', '--root', repo.root, '--base', sha)).report.base?.lock).toBe('accepted');
  });

  it('takes a first lock from a base that had none, if it is what accept computes from nothing', async () => {
    const { repo, git } = exampleRepo();
    git('rm', '-q', '-r', '--cached', 'lineage/associations.lock.yaml', 'lineage/history');
    git('commit', '-q', '-m', 'no lock yet');
    const sha = git('rev-parse', 'HEAD');
    repo.remove(LOCK);
    for (const f of repo.list('lineage/history')) repo.remove(`lineage/history/${f}`);
    expect((await cli(['accept', '--root', repo.root, '--base', sha])).code).toBe(0);
    expect((await json('check', '--root', repo.root, '--base', sha)).report.base?.lock).toBe('accepted');
  });
});

describe('check --base REV: a change is judged on what it changes', () => {
  const TOX = 'results/mol_toxicity.json';
  const model = (r: Report, id: string) => r.models.find((m) => m.id === id)!;

  it('passes an unrelated change although the base has a failing model pending, and shows that as pending', async () => {
    const { repo, sha } = exampleRepo();
    // Raise the lead-optimisation threshold: a stricter gate on a workflow nothing pending feeds.
    const wf = 'lineage/workflows/wf_lead_optimization.yaml';
    repo.write(wf, repo.read(wf).replace('threshold: 0.75', 'threshold: 0.76'));
    const { code, report } = await json('check', '--root', repo.root, '--base', sha);
    expect(code).toBe(0);
    expect(report.status).toBe('pass');
    expect(report.workflows.find((w) => w.id === 'wf_lead_optimization')).toMatchObject({ status: 'pass', threshold: 0.76 });
    expect(report.workflows.find((w) => w.id === 'wf_lead_optimization')!.pending).toBeUndefined();
    expect(model(report, 'mol_toxicity')).toMatchObject({ status: 'fail', pending: true });
    expect(report.workflows.find((w) => w.id === 'wf_property_prediction')).toMatchObject({ status: 'fail', pending: true });
    expect(report.summary).toMatchObject({ models_failed: 0, workflows_affected: 1, workflows_failed: 0 });
    const v = await exampleVersions();
    const accepted = exampleAccepted('models', 'mol_toxicity');
    const md = (await cli(['check', '--root', repo.root, '--base', sha, '--markdown', '-'])).out;
    expect(md).toContain(`### Already pending on \`${sha}\``);
    expect(md).toContain(`| ❌ fail | model \`mol_toxicity\` | \`${accepted}\` → \`${v.mol_toxicity}\` | test.auc = 0.86, needs >= 0.89`);
    expect(md).not.toContain('### Gate 1: models');
    const text = (await cli(['check', '--root', repo.root, '--base', sha])).out;
    expect(text).toContain(`already pending on ${sha}, so not decided by this change:`);
    expect(text.split('already pending')[0]).not.toContain('mol_toxicity');
  });

  it('fails a change that touches the failing model, and one that touches what it is trained on', async () => {
    const { repo, sha } = exampleRepo();
    rewriteMetricFile(repo.dir, TOX, (t) => t.replace('"auc": 0.86', '"auc": 0.87'));
    const touched = await json('check', '--root', repo.root, '--base', sha);
    expect(touched.code).toBe(1);
    expect(model(touched.report, 'mol_toxicity')).toMatchObject({ status: 'fail' });
    expect(model(touched.report, 'mol_toxicity').pending).toBeUndefined();
    expect(touched.report.workflows.find((w) => w.id === 'wf_property_prediction')).toMatchObject({ status: 'fail' });

    const { repo: other, sha: base2 } = exampleRepo();
    const dvcFile = 'data/tox21_20210310.csv.dvc';
    other.write(dvcFile, other.read(dvcFile).replace(/md5: [0-9a-f]{32}/, `md5: 0b95f5e695f16e6a37f75444f9d6a804`));
    const upstream = await json('check', '--root', other.root, '--base', base2);
    expect(upstream.code).toBe(1);
    expect(model(upstream.report, 'mol_toxicity')).toMatchObject({ status: 'fail', stale: true });
    expect(model(upstream.report, 'mol_toxicity').pending).toBeUndefined();
  });

  it("decides a weakening only when it is the change's", async () => {
    const { repo, git, commit } = exampleRepo();
    const wf = 'lineage/workflows/wf_lead_optimization.yaml';
    repo.write(wf, repo.read(wf).replace('threshold: 0.75', 'threshold: 0.7'));
    const weakening = commit('lower the lead optimisation threshold');
    // The weakening is on the base now (merged with leave); an unrelated change is not failed by it.
    repo.write('NOTE.md', 'unrelated\n');
    const later = await json('check', '--root', repo.root, '--base', weakening);
    expect(later.code).toBe(0);
    expect(later.report.weakened).toEqual([expect.objectContaining({ id: 'wf_lead_optimization', kind: 'threshold', pending: true })]);
    // Against the commit before it, the weakening is this change's, and fails until allowed.
    const before = git('rev-parse', `${weakening}~1`);
    const own = await json('check', '--root', repo.root, '--base', before);
    expect(own.code).toBe(1);
    expect(own.report.summary.weakened).toBe(1);
    expect((await json('check', '--root', repo.root, '--base', before, '--allow-weakening')).code).toBe(0);
  });
});
