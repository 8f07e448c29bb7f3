// Metric files are inputs of the accepted state: recorded in the lock by blob id, checked and fingerprinted always.
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relativeTo } from '../src/core/input/paths.ts';
import type { Report } from '../src/core/types.ts';
import { cli } from './helpers/cli.ts';
import { exampleVersions, rewriteMetricFile } from './helpers/dvc.ts';
import { cleanup, copyExample, dataset, initGit, makeRepo, model, type TestRepo, tree } from './helpers/repo.ts';

afterEach(cleanup);

const check = async (repo: TestRepo) => {
  const r = await cli(['check', '--root', repo.root, '--json', '-']);
  return { code: r.code, report: JSON.parse(r.out) as Report };
};
const modelOf = (r: Report, id: string) => r.models.find((m) => m.id === id)!;
const TOX = 'results/mol_toxicity.json';

/** The example with its pending change accepted, so every model is accepted at its current version. */
async function settled(opts: { git: boolean }): Promise<TestRepo> {
  const repo = copyExample();
  const g = opts.git ? initGit(repo) : null;
  // Let the toxicity model pass, so everything pending is accepted and the next check is a noop.
  // The example is a DVC project: a new metric file comes with its md5 in dvc.lock, as `dvc commit` records it.
  rewriteMetricFile(repo.dir, TOX, (t) => t.replace('"auc": 0.86', '"auc": 0.9'));
  expect((await cli(['accept', '--root', repo.root])).code).toBe(0);
  g?.commit('accepted');
  expect((await check(repo)).report.status).toBe('noop');
  return repo;
}

describe.each([{ git: true }, { git: false }])('metric files (git: $git)', ({ git }) => {
  it('overwritten at the same version: the model is evaluated again on the new values, and its workflows re-scored', async () => {
    const repo = await settled({ git });
    const before = await check(repo);
    rewriteMetricFile(repo.dir, TOX, (t) => t.replace('"auc": 0.9', '"auc": 0.5'));
    const { code, report } = await check(repo);
    expect(code).toBe(1);
    const tox = modelOf(report, 'mol_toxicity');
    const v = (await exampleVersions()).mol_toxicity!;
    expect(tox).toMatchObject({ status: 'fail', changed: false, metrics_changed: true, version: v, accepted_version: v });
    expect(tox.reasons).toEqual(['test.auc = 0.5, needs >= 0.85', 'test.auc = 0.5, needs >= 0.88 (test.auc >= baseline - 0.02)']);
    expect(tox.notes![0]).toMatch(
      new RegExp(
        `^metrics changed at the same version ${v}: .*results/mol_toxicity\\.json is not the file accepted \\(blob [0-9a-f]{12}, now [0-9a-f]{12}\\)$`,
      ),
    );
    expect(report.workflows.find((w) => w.id === 'wf_property_prediction')!.status).toBe('fail');
    expect(report.fingerprint).not.toBe(before.report.fingerprint);
    const text = (await cli(['check', '--root', repo.root])).out;
    expect(text).toContain(`note: metrics changed at the same version ${v}`);
  });

  it('deleted or moved at the same version: evaluated again, and a missing file fails', async () => {
    const repo = await settled({ git });
    repo.remove(TOX);
    const gone = await check(repo);
    expect(gone.code).toBe(1);
    expect(modelOf(gone.report, 'mol_toxicity')).toMatchObject({ status: 'fail', metrics_changed: true });
    expect(modelOf(gone.report, 'mol_toxicity').notes![0]).toContain('is gone');

    repo.write('results/moved/mol_toxicity.json', repo.read('results/mol_activity.json').replace('0.87', '0.9'));
    const manifest = 'lineage/models/mol_toxicity.yaml';
    // Its metric file came from dvc.yaml; the manifest now names the moved one itself.
    repo.write(manifest, `${repo.read(manifest)}metrics: ../../results/moved/mol_toxicity.json\n`);
    const moved = await check(repo);
    expect(modelOf(moved.report, 'mol_toxicity')).toMatchObject({ metrics_changed: true, changed: false });
    expect(modelOf(moved.report, 'mol_toxicity').notes![0]).toContain(
      'the metric file moved from ../results/mol_toxicity.json to ../results/moved/mol_toxicity.json',
    );
  });

  it('a file rewritten with the same bytes changes nothing', async () => {
    const repo = await settled({ git });
    const before = await check(repo);
    writeFileSync(path.join(repo.dir, TOX), repo.read(TOX));
    const after = await check(repo);
    expect(after.report.status).toBe('noop');
    expect(after.report.fingerprint).toBe(before.report.fingerprint);
  });

  it('every named metric file is checked, affected or not: a link is refused', async () => {
    const repo = await settled({ git });
    repo.remove('results/mol_retrosynth.json');
    symlinkSync('mol_activity.json', path.join(repo.dir, 'results/mol_retrosynth.json'));
    const r = await cli(['check', '--root', repo.root]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('lineage/models/mol_retrosynth.yaml:6: metrics: results/mol_retrosynth.json is a symbolic link');
  });
});

describe('the lock records metric files', () => {
  it('the same bytes with git and without', async () => {
    const withGit = await settled({ git: true });
    const without = await settled({ git: false });
    expect(withGit.read('lineage/associations.lock.yaml')).toBe(without.read('lineage/associations.lock.yaml'));
    expect(withGit.read('lineage/associations.lock.yaml')).toContain('path: "../results/mol_toxicity.json"');
  });

  it('a lock without them (an older lineage-gate) has each model evaluated once more, then records them', async () => {
    const repo = await settled({ git: false });
    const lockFile = 'lineage/associations.lock.yaml';
    repo.write(lockFile, repo.read(lockFile).replace(/ {4}metric_file:\n {6}blob: "[0-9a-f]+"\n {6}path: "[^"]+"\n/g, ''));
    const { report } = await check(repo);
    expect(report.status).toBe('pass');
    expect(report.models.every((m) => m.metrics_changed && m.status === 'pass')).toBe(true);
    expect(modelOf(report, 'mol_druggability').notes).toEqual([
      `metrics changed at the same version ${(await exampleVersions()).mol_druggability}: no metric file was recorded when it was accepted, so results/mol_druggability.yaml is checked again`,
    ]);
    expect((await cli(['accept', '--root', repo.root])).code).toBe(0);
    expect((await check(repo)).report.status).toBe('noop');
  });
});

describe('a folder of dvclive files', () => {
  it.each([{ git: true }, { git: false }])(
    'is one id over its files: a changed file at the same version is seen (git: $git)',
    async ({ git }) => {
      const repo = makeRepo(
        tree(
          dataset('d1', '1'),
          model('m', '1', { datasets: { d1: '1' }, gate: ['val/acc >= 0.7'], extra: { metrics: '../../dvclive/plots/metrics' } }),
        ),
      );
      repo.write('dvclive/plots/metrics/val/acc.tsv', 'step\tacc\n0\t0.6\n1\t0.75\n');
      repo.write('dvclive/plots/metrics/train/loss.tsv', 'step\tloss\n0\t0.5\n');
      const g = git ? initGit(repo) : null;
      g?.commit('first');
      expect((await cli(['accept', '--root', repo.root])).code).toBe(0);
      expect(repo.read('lineage/associations.lock.yaml')).toMatch(
        /metric_file:\n {6}blob: "[0-9a-f]{40}"\n {6}path: "..\/dvclive\/plots\/metrics"/,
      );
      g?.commit('accepted');
      expect((await check(repo)).report.status).toBe('noop');
      repo.write('dvclive/plots/metrics/train/loss.tsv', 'step\tloss\n0\t0.4\n');
      const { report } = await check(repo);
      expect(modelOf(report, 'm')).toMatchObject({ status: 'pass', metrics_changed: true });
    },
  );
});

describe('relativeTo', () => {
  it('gives a repository path as seen from a folder', () => {
    expect(relativeTo('lineage', 'results/m.json')).toBe('../results/m.json');
    expect(relativeTo('a/b/lineage', 'a/b/results/m.json')).toBe('../results/m.json');
    expect(relativeTo('', 'results/m.json')).toBe('results/m.json');
    expect(relativeTo('lineage', 'lineage/metrics/m.json')).toBe('metrics/m.json');
    expect(relativeTo('a/b', 'a/c/d.json')).toBe('../c/d.json');
  });
});
