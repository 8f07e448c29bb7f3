// The pure DVC rules over files written exactly as DVC writes them (DVC 0.x, 2 and 3, imports, cloud versioning,
// pipelines), with the hashes checked against values DVC itself computes.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dvcFileVersion } from '../src/core/input/dvc-file.ts';
import { dirHash, dvcFileMd5 } from '../src/core/input/dvc-hash.ts';
import { type DvcLock, type DvcYaml, parseDvcLock, parseDvcYaml } from '../src/core/input/dvc-lock.ts';
import { resolveDvcDatasetOut, resolveDvcModel } from '../src/core/input/dvc-model.ts';
import { md5Hex } from '../src/core/input/md5.ts';
import { pipeline } from './helpers/dvc.ts';

const md5 = (s: string | Uint8Array) => createHash('md5').update(s).digest('hex');
const bytes = (s: string) => new TextEncoder().encode(s);

describe('hashes as DVC computes them', () => {
  it('md5 agrees with node:crypto on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(md5Hex(b)).toBe(md5(b));
      }),
      { numRuns: 2000 },
    );
  });

  it("computes a folder's .dir hash as DVC does (dvc-data's own test: foo and bar)", () => {
    // dvc-data tests/hashfile/test_build.py: a folder holding foo ("foo") and bar ("bar") is 5ea40360….dir.
    expect(
      dirHash([
        { relpath: 'foo', md5: md5('foo') },
        { relpath: 'bar', md5: md5('bar') },
      ]),
    ).toBe('5ea40360f5b4ec688df672a4db9c17d1.dir');
  });

  it("escapes and sorts names as Python's json.dumps and str order do", () => {
    // Computed with Python: json.dumps(sorted entries, sort_keys=True), md5, + ".dir".
    const x = md5('x');
    expect(dirHash(['b/é.csv', 'a"q.csv', 'z\u{1F600}.csv', '\uffff.csv', 'tab\t.csv'].map((relpath) => ({ relpath, md5: x })))).toBe(
      '31241c6a5e9964bd50e1aae178777348.dir',
    );
    // Code-point order puts U+1F600 after U+FFFF, where UTF-16 order would not.
    expect(dirHash(['\u{1F600}.csv', '\uffff.csv', 'b/é.csv', 'a"q.csv'].map((relpath) => ({ relpath, md5: x })))).toBe(
      '7a5142d571253bc6d3855cb95bb9a03a.dir',
    );
  });

  it('hashes files plainly for hash: md5, and with the legacy dos2unix md5 for text without it', () => {
    expect(dvcFileMd5(bytes('a\r\nb\r\nc'), true)).toBe(dvcFileMd5(bytes('a\nb\nc'), true));
    expect(dvcFileMd5(bytes('a\r\nb\r\nc'), true)).toBe(md5('a\nb\nc'));
    expect(dvcFileMd5(bytes('a\r\nb\r\nc'), false)).toBe(md5('a\r\nb\r\nc'));
    // Binary (a NUL in the first 512 bytes) is never converted.
    const binary = Uint8Array.from([0, 13, 10, 65]);
    expect(dvcFileMd5(binary, true)).toBe(md5(binary));
  });
});

const D1 = md5('smiles,label\nCCO,1\n');

describe('.dvc files in every shape', () => {
  it.each([
    ['DVC 3 (hash: md5)', `outs:\n- md5: ${D1}\n  size: 19\n  hash: md5\n  path: raw.csv\n`, D1],
    ['DVC 2', `outs:\n- md5: ${D1}\n  size: 19\n  path: raw.csv\n`, D1],
    [
      'DVC 0.x (stage md5 on top, cache/metric/persist)',
      `md5: 3863d0e317dee0a55c4e59d2ec0eef33\nouts:\n- md5: ${D1}\n  path: raw.csv\n  cache: true\n  metric: false\n  persist: false\n`,
      D1,
    ],
    [
      'a directory',
      'outs:\n- md5: b8f4d5a78e55e88906d5f4aeaf43802e.dir\n  size: 32\n  nfiles: 2\n  hash: md5\n  path: images\n',
      'b8f4d5a78e55e88906d5f4aeaf43802e.dir',
    ],
    [
      'dvc import: the out, not the stage md5',
      `md5: 8b7bc5c4d6c6d8e5d8c3d3bb8d0b5d73\nfrozen: true\ndeps:\n- path: get-started/data.xml\n  repo:\n    url: https://github.com/iterative/dataset-registry\n    rev_lock: f31f5c4cdae787b4bdeb97a717687d44667d9e62\nouts:\n- md5: ${D1}\n  size: 14445097\n  hash: md5\n  path: data.xml\n`,
      D1,
    ],
    [
      'cloud-versioned files list (no top-level md5)',
      `outs:\n- path: data\n  hash: md5\n  files:\n  - size: 3\n    version_id: LiVFgBb8qnecJNHbpGvnjEXHjHf\n    etag: ${md5('foo')}\n    md5: ${md5('foo')}\n    relpath: foo\n  - size: 3\n    version_id: NbpGvnjEXHjHfLiVFgBb8qnec\n    etag: ${md5('bar')}\n    md5: ${md5('bar')}\n    relpath: bar\n`,
      '5ea40360f5b4ec688df672a4db9c17d1.dir',
    ],
    [
      'import-url --no-download from https (md5 of the dep)',
      `md5: 1d22d8e9d7c2de1c0ea7c5e8fcf13b0b\nfrozen: true\ndeps:\n- md5: ${D1}\n  size: 14445097\n  path: https://data.dvc.org/get-started/data.xml\nouts:\n- hash: md5\n  path: data.xml\n`,
      `md5:${D1}`,
    ],
    [
      'import-url --no-download from s3 (etag of the dep)',
      `md5: 1d22d8e9d7c2de1c0ea7c5e8fcf13b0b\nfrozen: true\ndeps:\n- etag: '"f432e270cd634c51296ecd2bc2f5e752-5"'\n  size: 14445097\n  path: s3://bucket/data.xml\nouts:\n- hash: md5\n  path: data.xml\n`,
      'etag:"f432e270cd634c51296ecd2bc2f5e752-5"',
    ],
    [
      'import-url --no-download from hdfs (checksum of the dep)',
      `md5: 1d22d8e9d7c2de1c0ea7c5e8fcf13b0b\nfrozen: true\ndeps:\n- checksum: 00000200000000000000000084b3b2a9d3d1f8f4\n  path: hdfs://user@example.com/data.xml\nouts:\n- path: data.xml\n`,
      'checksum:00000200000000000000000084b3b2a9d3d1f8f4',
    ],
  ])('%s', (_name, text, version) => {
    const r = dvcFileVersion(text, 'data/x.dvc');
    expect(r.ok && r.version).toBe(version);
  });

  it('names the out: relative to the repository, and one of several by path', () => {
    const two = `outs:\n- md5: ${D1}\n  size: 19\n  hash: md5\n  path: train.csv\n- md5: ${md5('t')}\n  size: 1\n  hash: md5\n  path: test.csv\n`;
    const r = dvcFileVersion(two, 'data/split.dvc', 'data/test.csv');
    expect(r.ok && [r.version, r.out.repoPath]).toEqual([md5('t'), 'data/test.csv']);
    const ambiguous = dvcFileVersion(two, 'data/split.dvc');
    expect(!ambiguous.ok && ambiguous.problems[0]).toMatchObject({
      file: 'data/split.dvc',
      line: 1,
      field: 'outs',
      message: 'has 2 outs (data/train.csv, data/test.csv); say which one is the dataset',
    });
    const wrong = dvcFileVersion(two, 'data/split.dvc', 'data/nope.csv');
    expect(!wrong.ok && wrong.problems[0]!.message).toBe('has no out data/nope.csv; its outs are data/train.csv, data/test.csv');
  });

  it.each([
    ['no outs', 'md5: 3863d0e317dee0a55c4e59d2ec0eef33\n', 'outs is missing or empty'],
    ['a forged md5', 'outs:\n- md5: not-a-hash\n  path: raw.csv\n', 'outs.0.md5 is not an md5 hash'],
    ['no hash at all', 'outs:\n- path: raw.csv\n', 'outs.0 records no hash'],
    ['a cloud file without md5', 'outs:\n- path: data\n  files:\n  - relpath: foo\n    etag: abc\n', 'outs.0.files.0 (foo) has no md5'],
  ])('refuses %s with its line and field', (_name, text, message) => {
    const r = dvcFileVersion(text, 'x.dvc');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.message).toContain(message);
      expect(r.problems[0]!.line).toBeGreaterThan(0);
      expect(r.problems[0]!.hint).toBeTruthy();
    }
  });
});

const H = {
  raw: D1,
  features: '3338d2c21bdb521cda0ba4add89e1cb0.dir',
  model: '2a3b9ba8c1dff0b8e9c1f3b3cb7e4f6a',
  metrics: md5('{"auc": 0.9}'),
};

function load(p: { yaml: string; lock: string }, dir = 'ml'): { lock: DvcLock; yaml: DvcYaml } {
  const yaml = parseDvcYaml(p.yaml, `${dir}/dvc.yaml`);
  if (!yaml.ok) throw new Error(yaml.problems[0]!.message);
  const lock = parseDvcLock(p.lock, `${dir}/dvc.lock`, yaml.value);
  if (!lock.ok) throw new Error(lock.problems[0]!.message);
  return { lock: lock.value, yaml: yaml.value };
}

const ref = { file: 'lineage/models/tox.yaml', line: 3, stage: 'train' };

describe('models from dvc.lock', () => {
  it('takes the out the artifacts declare, walks up to the raw dataset at the hash the lock recorded, and finds the metrics', () => {
    const { lock, yaml } = load(pipeline(H));
    const r = resolveDvcModel(ref, lock, yaml, [{ id: 'ds_raw', path: 'ml/data/raw.csv' }]);
    if (!r.ok) throw new Error(r.problems[0]!.message);
    expect(r.value).toMatchObject({
      version: H.model,
      out: 'ml/model.pkl',
      datasets: { ds_raw: D1 },
      metrics: 'ml/eval/metrics.json',
      stale: [],
    });
    // Code never counts as a dataset; params are not deps at all.
    expect(r.value.code.map((c) => c.repoPath).sort()).toEqual(['ml/src/featurize.py', 'ml/src/prepare.py', 'ml/src/train.py']);
  });

  it('treats a dataset declared as a stage out as that dataset, without walking further up', () => {
    const { lock, yaml } = load(pipeline(H));
    const r = resolveDvcModel(ref, lock, yaml, [
      { id: 'ds_raw', path: 'ml/data/raw.csv' },
      { id: 'ds_features', path: 'ml/data/features' },
    ]);
    expect(r.ok && r.value.datasets).toEqual({ ds_features: H.features });
    const ds = resolveDvcDatasetOut(lock, 'ml/data/features', { file: 'f', line: 1 });
    expect(ds.ok && ds.value).toEqual({ version: H.features, stage: 'featurize' });
    const nope = resolveDvcDatasetOut(lock, 'ml/data/nope', { file: 'f', line: 1 });
    expect(!nope.ok && nope.problems[0]!.message).toContain('no stage of ml/dvc.lock writes ml/data/nope; the outs are');
  });

  it('is stale when a stage ran on an input older than the one now produced (dvc repro was not run all the way)', () => {
    const { lock, yaml } = load(pipeline({ ...H, trainFeatures: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.dir' }));
    const r = resolveDvcModel(ref, lock, yaml, [{ id: 'ds_raw', path: 'ml/data/raw.csv' }]);
    expect(r.ok && r.value.stale).toEqual([
      `not reproduced: stage train ran on ml/data/features at aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.dir, but stage featurize now produces ${H.features}; run \`dvc repro\``,
    ]);
  });

  it('refuses a dataset two stages recorded at different hashes', () => {
    const p = pipeline(H);
    // evaluate reads the raw data too, at another hash than prepare recorded.
    const forged = p.lock.replace(
      '    - path: src/evaluate.py',
      `    - path: data/raw.csv\n      hash: md5\n      md5: ${md5('other')}\n      size: 5\n    - path: src/evaluate.py`,
    );
    const { lock, yaml } = load({ ...p, lock: forged });
    const r = resolveDvcModel({ ...ref, stage: 'evaluate', out: 'ml/eval/metrics.json' }, lock, yaml, [
      { id: 'ds_raw', path: 'ml/data/raw.csv' },
    ]);
    expect(!r.ok && r.problems[0]!.message).toBe(
      `dataset ds_raw (ml/data/raw.csv) is recorded at two versions: ${md5('other')} by stage evaluate and ${D1} by stage prepare`,
    );
  });

  it('refuses a dep inside a dataset folder, whose version the lock cannot tell', () => {
    const { lock, yaml } = load(pipeline(H));
    const r = resolveDvcModel(ref, lock, yaml, [{ id: 'ds_data', path: 'ml/data' }]);
    expect(!r.ok && r.problems[0]!.message).toContain('a part of dataset ds_data (ml/data)');
  });

  it('lists the outs when it cannot tell which is the model, and the stages when the stage is unknown', () => {
    const p = pipeline(H);
    const { lock } = load(p);
    const noArtifacts = parseDvcYaml(p.yaml.replace(/artifacts:[\s\S]*$/, ''), 'ml/dvc.yaml');
    const two = p.lock.replace(
      `      md5: ${H.model}\n      size: 1953721\n  evaluate:`,
      `      md5: ${H.model}\n      size: 1953721\n    - path: encoder.pkl\n      hash: md5\n      md5: ${md5('e')}\n      size: 10\n  evaluate:`,
    );
    const lock2 = parseDvcLock(two, 'ml/dvc.lock', noArtifacts.ok ? noArtifacts.value : null);
    const r = resolveDvcModel(ref, lock2.ok ? lock2.value : lock, noArtifacts.ok ? noArtifacts.value : null, []);
    expect(!r.ok && r.problems[0]).toMatchObject({
      file: 'lineage/models/tox.yaml',
      line: 3,
      field: 'dvc.out',
      message:
        'dvc.out: stage train has several outs (ml/model.pkl, ml/encoder.pkl), and dvc.yaml declares none of them as an artifact of type model',
    });
    const unknown = resolveDvcModel({ ...ref, stage: 'trian' }, lock, null, []);
    expect(!unknown.ok && unknown.problems[0]!.message).toBe(
      'dvc.stage: ml/dvc.lock has no stage "trian"; its stages are evaluate, featurize, prepare, train',
    );
  });

  it('reads foreach stages as written (name@key) and refuses a lock whose schema is not 2.0', () => {
    const lock = parseDvcLock(
      `schema: '2.0'\nstages:\n  train@cnn:\n    cmd: python train.py cnn\n    deps:\n    - path: data/raw.csv\n      md5: ${D1}\n      size: 19\n    outs:\n    - path: models/cnn.pkl\n      md5: ${md5('cnn')}\n      size: 3\n`,
      'dvc.lock',
      null,
    );
    if (!lock.ok) throw new Error('lock');
    const r = resolveDvcModel({ ...ref, stage: 'train@cnn' }, lock.value, null, [{ id: 'raw', path: 'data/raw.csv' }]);
    expect(r.ok && [r.value.version, r.value.datasets]).toEqual([md5('cnn'), { raw: D1 }]);
    expect(lock.value.stages.get('train@cnn')!.deps[0]!.legacy).toBe(true);
    for (const text of ['prepare:\n  cmd: x\n', "schema: '3.0'\nstages: {}\n", 'schema: 2.0\nstages: {}\n']) {
      const old = parseDvcLock(text, 'dvc.lock', null);
      expect(!old.ok && old.problems[0]!.message).toMatch(/^dvc.lock schema is .*; lineage-gate reads schema '2.0'/);
    }
  });
});
