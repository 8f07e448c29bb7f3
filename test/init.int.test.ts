// `lineage-gate init`: a starting lineage root from a DVC repository (or a plain one), never overwriting, with
// placeholders that check refuses until a person replaces them.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.ts';
import { pipeline } from './helpers/dvc.ts';
import { cleanup, makeRepo } from './helpers/repo.ts';

afterEach(cleanup);

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const METRICS = '{"auc": 0.91}\n';
const H = { raw: md5('raw'), features: '3338d2c21bdb521cda0ba4add89e1cb0.dir', model: md5('model'), metrics: md5(METRICS) };

function dvcRepo() {
  const p = pipeline(H);
  return makeRepo({
    'ml/dvc.yaml': p.yaml,
    'ml/dvc.lock': p.lock,
    'ml/data/raw.csv.dvc': `outs:\n- md5: ${H.raw}\n  size: 3\n  hash: md5\n  path: raw.csv\n`,
    'ml/eval/metrics.json': METRICS,
    'node_modules/x/ignored.dvc': 'outs: []\n',
  });
}

describe('lineage-gate init --from-dvc', () => {
  it('writes one dataset per .dvc file and one model per artifact of type model, which check insists are described', async () => {
    const repo = dvcRepo();
    const r = await cli(['init', '--root', repo.root, '--from-dvc']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  + lineage/datasets/ds_raw.yaml\n  + lineage/models/tox-model.yaml\n');
    expect(r.out).toContain('Replace every "TODO(lineage-gate init)" description');
    expect(repo.read('lineage/datasets/ds_raw.yaml')).toContain('dvc: "../../ml/data/raw.csv.dvc"');
    const m = repo.read('lineage/models/tox-model.yaml');
    expect(m).toContain('dvc: { lock: "../../ml/dvc.lock", stage: "train" }');
    expect(m).toContain('# yaml-language-server: $schema=../../node_modules/lineage-gate/schemas/model.schema.json');
    expect(m).not.toMatch(/^gate:/m);

    const unfinished = await cli(['check', '--root', repo.root]);
    expect(unfinished.code).toBe(2);
    expect(unfinished.out).toContain('lineage/models/tox-model.yaml:3: description is still the placeholder lineage-gate init wrote');
    expect(unfinished.out).toContain('lineage/datasets/ds_raw.yaml:4: description is still the placeholder lineage-gate init wrote');

    for (const f of ['lineage/datasets/ds_raw.yaml', 'lineage/models/tox-model.yaml'])
      repo.write(f, repo.read(f).replace(/description: ".*"/, 'description: "Described."'));
    const done = await cli(['check', '--root', repo.root, '--json', '-']);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out).models[0]).toMatchObject({
      id: 'tox-model',
      version: H.model,
      datasets: [{ id: 'ds_raw', trained_on: H.raw }],
    });

    // Never overwrites: a second run keeps what is there, and says so.
    const before = repo.read('lineage/models/tox-model.yaml');
    const again = await cli(['init', '--root', repo.root, '--from-dvc', '--stage', 'featurize']);
    expect(again.out).toContain('  = lineage/models/tox-model.yaml (exists; left as it is)');
    expect(again.out).toContain('  + lineage/models/featurize.yaml');
    expect(repo.read('lineage/models/tox-model.yaml')).toBe(before);
  });

  it('refuses an unknown --stage and bad DVC files, writing nothing', async () => {
    const repo = dvcRepo();
    const r = await cli(['init', '--root', repo.root, '--from-dvc', '--stage', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--stage nope: no dvc.lock in the repository has a stage of that name');
    expect(repo.exists('lineage')).toBe(false);
    repo.write('ml/dvc.lock', "schema: '1.0'\n");
    const bad = await cli(['init', '--root', repo.root, '--from-dvc']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('ml/dvc.lock:1: dvc.lock schema is "1.0"; lineage-gate reads schema \'2.0\'');
    expect(repo.exists('lineage')).toBe(false);
    expect((await cli(['init', '--root', repo.root, '--stage', 'train'])).code).toBe(2);
  });
});

describe('lineage-gate init', () => {
  it('writes a plain starting root that check refuses until the placeholders are replaced', async () => {
    const repo = makeRepo({});
    const r = await cli(['init', '--root', repo.root]);
    expect(r.code).toBe(0);
    expect(repo.read('lineage/models/example_model.yaml')).toContain('datasets: { example_dataset: "1" }');
    expect((await cli(['check', '--root', repo.root])).out).toContain('description is still the placeholder');
  });
});
