// Models and datasets read from DVC through the CLI, on repositories laid out as DVC users have them.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/core/types.ts';
import { cli } from './helpers/cli.ts';
import { pipeline } from './helpers/dvc.ts';
import { cleanup, makeRepo, type TestRepo, y } from './helpers/repo.ts';

afterEach(cleanup);

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const RAW = 'smiles,label\nCCO,1\n';
const METRICS = '{"auc": 0.91, "f1": 0.8}\n';
const H = {
  raw: md5(RAW),
  features: '3338d2c21bdb521cda0ba4add89e1cb0.dir',
  model: '2a3b9ba8c1dff0b8e9c1f3b3cb7e4f6a',
  metrics: md5(METRICS),
};

function dvcRepo(opts: { model?: Record<string, unknown>; lock?: string } = {}): TestRepo {
  const p = pipeline(H);
  return makeRepo({
    'ml/dvc.yaml': p.yaml,
    'ml/dvc.lock': opts.lock ?? p.lock,
    'ml/data/raw.csv.dvc': `outs:\n- md5: ${H.raw}\n  size: ${RAW.length}\n  hash: md5\n  path: raw.csv\n`,
    'ml/eval/metrics.json': METRICS,
    'lineage/datasets/ds_raw.yaml': y({ id: 'ds_raw', dvc: '../../ml/data/raw.csv.dvc' }),
    'lineage/models/tox.yaml': y({
      id: 'tox',
      description: 'Toxicity screen.',
      dvc: { lock: '../../ml/dvc.lock', stage: 'train' },
      gate: ['auc >= 0.85'],
      ...opts.model,
    }),
  });
}

async function check(repo: TestRepo): Promise<{ code: number; report: Report; text: string }> {
  const r = await cli(['check', '--root', repo.root, '--json', '-']);
  const text = (await cli(['check', '--root', repo.root])).out;
  return { code: r.code, report: JSON.parse(r.out) as Report, text };
}

describe('models from dvc.lock', () => {
  it('reads version, trained-on datasets and the metric file from the pipeline, then accepts', async () => {
    const repo = dvcRepo();
    const { code, report } = await check(repo);
    expect(code).toBe(0);
    const tox = report.models[0]!;
    expect(tox).toMatchObject({
      id: 'tox',
      version: H.model,
      status: 'pass',
      datasets: [{ id: 'ds_raw', trained_on: H.raw, current: H.raw }],
    });
    expect(tox.conditions[0]).toMatchObject({ actual_text: '0.91', result: 'pass' });
    expect(report.datasets[0]).toMatchObject({ id: 'ds_raw', version: H.raw, dvc: 'ml/data/raw.csv.dvc' });
    expect((await cli(['accept', '--root', repo.root])).code).toBe(0);
    expect(repo.read('lineage/associations.lock.yaml')).toContain(`version: "${H.model}"`);
  });

  it('makes the model stale when a .dvc file is updated without dvc repro', async () => {
    const repo = dvcRepo();
    await cli(['accept', '--root', repo.root]);
    const next = 'smiles,label\nCCO,1\nCCN,0\n';
    repo.write('ml/data/raw.csv.dvc', `outs:\n- md5: ${md5(next)}\n  size: ${next.length}\n  hash: md5\n  path: raw.csv\n`);
    const { code, report, text } = await check(repo);
    expect(code).toBe(1);
    expect(report.models[0]!.reasons).toEqual([`retraining required: trained on ds_raw@${H.raw}, which is now at ${md5(next)}`]);
    expect(text).toContain('✗ model tox');
  });

  it('makes the model stale when a later stage was not reproduced', async () => {
    const p = pipeline({ ...H, trainFeatures: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.dir' });
    const { code, report } = await check(dvcRepo({ lock: p.lock }));
    expect(code).toBe(1);
    expect(report.models[0]!.reasons[0]).toMatch(/^not reproduced: stage train ran on ml\/data\/features at bbbb/);
  });

  it('refuses a manifest whose version or datasets disagree with the lock, naming both values', async () => {
    const r = await cli(['check', '--root', dvcRepo({ model: { version: '1.4', datasets: { ds_raw: 'old' } } }).root]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      `lineage/models/tox.yaml:8: version "1.4" differs from ${H.model}, the hash stage train of ml/dvc.lock records for ml/model.pkl`,
    );
    expect(r.out).toContain(`datasets.ds_raw: "old" differs from ${H.raw}, the hash stage train of ml/dvc.lock recorded for it`);
    const agree = await check(dvcRepo({ model: { version: H.model, datasets: { ds_raw: H.raw } } }));
    expect(agree.code).toBe(0);
  });

  it('refuses a metric file that is not the one DVC produced (edited after dvc repro)', async () => {
    const repo = dvcRepo();
    repo.write('ml/eval/metrics.json', '{"auc": 0.99, "f1": 0.8}\n');
    const r = await cli(['check', '--root', repo.root]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      `lineage/models/tox.yaml:3: metrics: ml/eval/metrics.json is not the file DVC produced: ml/dvc.lock records md5 ${H.metrics} for it (stage evaluate), and this file's is ${md5('{"auc": 0.99, "f1": 0.8}\n')}`,
    );
  });

  it('checks a DVC 2 lock entry (no hash: md5) with the legacy dos2unix md5, so CRLF metric files match', async () => {
    const crlf = '{"auc": 0.91,\r\n "f1": 0.8}\r\n';
    const p = pipeline({ ...H, metrics: md5(crlf.replace(/\r\n/g, '\n')) });
    const legacy = p.lock.replace(/\n {6}hash: md5/g, '');
    const repo = dvcRepo({ lock: legacy });
    repo.write('ml/eval/metrics.json', crlf);
    expect((await check(repo)).code).toBe(0);
    // The same bytes against a DVC 3 entry (plain md5) are not the file DVC produced.
    const repo3 = dvcRepo({ lock: p.lock });
    repo3.write('ml/eval/metrics.json', crlf);
    expect((await cli(['check', '--root', repo3.root])).out).toContain('is not the file DVC produced');
  });

  it('explains a metric file that DVC keeps in its cache instead of git', async () => {
    const p = pipeline(H);
    const repo = dvcRepo({ lock: p.lock, model: { metrics: '../../ml/data/features/metrics.json' } });
    const { report } = await check(repo);
    expect(report.models[0]!.reasons[0]).toBe(
      'metric file ml/data/features/metrics.json not found: it lies in ml/data/features, which DVC keeps out of git (stage featurize of ml/dvc.lock): declare the metric file with cache: false in dvc.yaml and commit it, or run `dvc pull` before lineage-gate',
    );
  });

  it('notes code that changed since the lock was written, without counting it as a dataset', async () => {
    const repo = dvcRepo();
    repo.write('ml/src/train.py', 'print("changed")\n');
    const { report, text } = await check(repo);
    expect(report.models[0]!.notes).toEqual([
      'code changed since dvc.lock was written: ml/src/train.py (run `dvc repro` to retrain on it)',
    ]);
    expect(report.models[0]!.datasets.map((d) => d.id)).toEqual(['ds_raw']);
    expect(text).toContain('note: code changed since dvc.lock was written: ml/src/train.py');
  });

  it('reads a dataset that is a stage output', async () => {
    const repo = dvcRepo();
    repo.write(
      'lineage/datasets/ds_features.yaml',
      y({ id: 'ds_features', dvc: { lock: '../../ml/dvc.lock', out: '../../ml/data/features' } }),
    );
    const { report } = await check(repo);
    expect(report.datasets.find((d) => d.id === 'ds_features')).toMatchObject({ version: H.features, dvc: 'ml/dvc.lock' });
    expect(report.models[0]!.datasets).toEqual([{ id: 'ds_features', trained_on: H.features, current: H.features }]);
  });

  it('refuses a lock of another schema, a missing lock and an unknown stage, with file, line and field', async () => {
    const old = await cli(['check', '--root', dvcRepo({ lock: 'train:\n  cmd: python train.py\n' }).root]);
    expect(old.code).toBe(2);
    expect(old.out).toContain("ml/dvc.lock:1: dvc.lock schema is none; lineage-gate reads schema '2.0'");
    const repo = dvcRepo({ model: { dvc: { lock: '../../ml/nope.lock', stage: 'train' } } });
    const missing = await cli(['check', '--root', repo.root]);
    expect(missing.out).toContain('lineage/models/tox.yaml:4: dvc.lock: ml/nope.lock does not exist');
    const unknown = await cli(['check', '--root', dvcRepo({ model: { dvc: { lock: '../../ml/dvc.lock', stage: 'trian' } } }).root]);
    expect(unknown.out).toContain('dvc.stage: ml/dvc.lock has no stage "trian"; its stages are evaluate, featurize, prepare, train');
  });
});

describe('datasets from .dvc files', () => {
  it('takes one out of several by path, and lists them when the manifest does not say', async () => {
    const repo = dvcRepo();
    repo.write(
      'ml/data/split.dvc',
      `outs:\n- md5: ${md5('a')}\n  size: 1\n  hash: md5\n  path: train.csv\n- md5: ${md5('b')}\n  size: 1\n  hash: md5\n  path: test.csv\n`,
    );
    repo.write(
      'lineage/datasets/ds_test.yaml',
      y({ id: 'ds_test', dvc: { file: '../../ml/data/split.dvc', out: '../../ml/data/test.csv' } }),
    );
    expect((await check(repo)).report.datasets.find((d) => d.id === 'ds_test')!.version).toBe(md5('b'));
    repo.write('lineage/datasets/ds_test.yaml', y({ id: 'ds_test', dvc: '../../ml/data/split.dvc' }));
    const r = await cli(['check', '--root', repo.root]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('ml/data/split.dvc:1: has 2 outs (ml/data/train.csv, ml/data/test.csv); say which one is the dataset');
  });
});
