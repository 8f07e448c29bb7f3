// Every rule of `check` and `accept`, on repositories built inline, with real DuckDB.
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { gitBlobId } from '../src/adapters/git-rev.ts';
import { schemaProblems } from '../src/core/input/schema.ts';
import type { Lock, Report } from '../src/core/types.ts';
import { cli } from './helpers/cli.ts';
import { cleanup, dataset, makeRepo, model, type TestRepo, tree, workflow, y } from './helpers/repo.ts';

afterEach(cleanup);

/** d1, d2; m1 on d1, m2 on d2 (with a baseline condition); w1 runs both, w2 runs m2 only. */
function base() {
  return tree(
    dataset('d1', '1'),
    dataset('d2', '1'),
    model('m1', '1', { datasets: { d1: '1' }, gate: ['acc >= 0.8'], metrics: { acc: 0.9 } }),
    model('m2', '1', { datasets: { d2: '1' }, gate: ['auc >= 0.7', 'auc >= baseline - 0.05'], metrics: { auc: 0.8 } }),
    workflow('w1', '1', 0.8, [
      { id: 'a', model: 'm1', dataset: 'd1', weight: 1, metric: 'acc' },
      { id: 'b', model: 'm2', dataset: 'd2', weight: 3, metric: 'auc', needs: ['a'] },
    ]),
    workflow('w2', '1', 0.7, [{ id: 'c', model: 'm2', dataset: 'd2', weight: 1, metric: 'auc' }]),
  );
}

async function check(repo: TestRepo, ...extra: string[]): Promise<{ code: number; report: Report; out: string }> {
  const r = await cli(['check', '--root', repo.root, '--json', '-', ...extra]);
  const report = JSON.parse(r.out) as Report;
  expect(schemaProblems('report', report, 'report.json')).toEqual([]);
  return { code: r.code, report, out: r.out };
}
const accept = (repo: TestRepo, ...extra: string[]) => cli(['accept', '--root', repo.root, ...extra]);
const lockOf = (repo: TestRepo) => parse(repo.read('lineage/associations.lock.yaml')) as Lock;
const modelOf = (r: Report, id: string) => r.models.find((m) => m.id === id)!;
const workflowOf = (r: Report, id: string) => r.workflows.find((w) => w.id === id)!;

/** A repository whose base state is accepted. */
async function accepted(): Promise<TestRepo> {
  const repo = makeRepo(base());
  expect((await accept(repo)).code).toBe(0);
  return repo;
}

function retrain(
  repo: TestRepo,
  id: string,
  version: string,
  datasets: Record<string, string>,
  gate: string[],
  metrics: Record<string, unknown>,
) {
  for (const [p, text] of model(id, version, { datasets, gate, metrics })) repo.write(p, text);
}

describe('first evaluation and idempotent accept', () => {
  it('accepts everything new, skips baselines without one, then is a noop', async () => {
    const repo = makeRepo(base());
    const first = await check(repo);
    expect(first.code).toBe(0);
    expect(first.report.status).toBe('pass');
    expect(modelOf(first.report, 'm2').conditions).toEqual([
      { text: 'auc >= 0.7', metric: 'auc', op: '>=', expected: 0.7, actual: 0.8, expected_text: '0.7', actual_text: '0.8', result: 'pass' },
      {
        text: 'auc >= baseline - 0.05',
        metric: 'auc',
        op: '>=',
        expected: null,
        actual: 0.8,
        expected_text: null,
        actual_text: '0.8',
        result: 'skipped',
        note: expect.stringContaining('no accepted baseline'),
      },
    ]);
    const w1 = workflowOf(first.report, 'w1');
    expect(w1.score).toBeCloseTo((0.9 * 1 + 0.8 * 3) / 4, 12);
    expect(w1.nodes.map((n) => [n.id, n.contribution])).toEqual([
      ['a', 0.9 / 4],
      ['b', (0.8 * 3) / 4],
    ]);
    // headroom of b: (0.825 - 0.8) * 4 / 3
    expect(w1.nodes[1]!.headroom).toBeCloseTo(((0.825 - 0.8) * 4) / 3, 12);

    const a = await accept(repo);
    expect(a.code).toBe(0);
    expect(a.out).toContain('accepted 2 model(s), 2 workflow(s), 2 dataset version(s)');
    const lockBytes = repo.read('lineage/associations.lock.yaml');
    expect(schemaProblems('lock', parse(lockBytes), 'lock')).toEqual([]);
    expect(repo.list('lineage/history')).toHaveLength(1);

    const again = await check(repo);
    expect(again.report.status).toBe('noop');
    expect(again.code).toBe(0);
    expect(again.report.models.every((m) => m.status === 'unchanged')).toBe(true);
    const second = await accept(repo);
    expect(second.out).toContain('nothing to change');
    expect(repo.read('lineage/associations.lock.yaml')).toBe(lockBytes);
    expect(repo.list('lineage/history')).toHaveLength(1);
  });
});

describe('stale models and partial acceptance', () => {
  it('fails a model whose dataset moved on without retraining, and keeps the dataset back', async () => {
    const repo = await accepted();
    repo.write(...dataset('d1', '2'));
    const { code, report } = await check(repo);
    expect(code).toBe(1);
    const m1 = modelOf(report, 'm1');
    expect(m1).toMatchObject({ status: 'fail', stale: true, changed: false });
    expect(m1.reasons).toContain('retraining required: trained on d1@1, which is now at 2');
    expect(workflowOf(report, 'w1')).toMatchObject({ status: 'fail', reasons: [expect.stringContaining('model m1 failed gate 1')] });
    expect(workflowOf(report, 'w2').status).toBe('unchanged');
    const before = repo.read('lineage/associations.lock.yaml');
    expect((await accept(repo)).out).toContain('nothing to change');
    expect(repo.read('lineage/associations.lock.yaml')).toBe(before);
  });

  it('accepts what passed while one failing model holds back only what uses it', async () => {
    const repo = await accepted();
    repo.write(...dataset('d1', '2'));
    repo.write(...dataset('d2', '2'));
    retrain(repo, 'm1', '2', { d1: '2' }, ['acc >= 0.8'], { acc: 0.7 });
    retrain(repo, 'm2', '2', { d2: '2' }, ['auc >= 0.7', 'auc >= baseline - 0.05'], { auc: 0.82 });
    const { report } = await check(repo);
    expect(report.status).toBe('fail');
    expect(modelOf(report, 'm1')).toMatchObject({ status: 'fail', reasons: ['acc = 0.7, needs >= 0.8'] });
    expect(modelOf(report, 'm2').status).toBe('pass');
    expect(modelOf(report, 'm2').conditions[1]).toMatchObject({ expected: 0.75, actual: 0.82, result: 'pass' });
    expect(workflowOf(report, 'w1').status).toBe('fail');
    expect(workflowOf(report, 'w2')).toMatchObject({ status: 'pass', score: 0.82 });

    const a = await accept(repo);
    expect(a.out).toContain('kept the old entry of m1, w1');
    const lock = lockOf(repo);
    expect(lock.models.m1!.version).toBe('1');
    expect(lock.models.m2).toEqual({
      version: '2',
      datasets: { d2: '2' },
      gate: ['auc >= 0.7', 'auc >= baseline - 0.05'],
      metrics: { auc: 0.82 },
      // The metric file as it was read: relative to the lineage root, and its git blob id.
      metric_file: { path: '../results/m2.json', blob: gitBlobId(Buffer.from(repo.read('results/m2.json'))) },
    });
    expect(lock.workflows.w2!.nodes.c).toMatchObject({ model: 'm2', model_version: '2', dataset_version: '2', score: 0.82 });
    expect(lock.workflows.w1!.nodes.b!.model_version).toBe('1');
    // d2 stays back too: w1 reads d2 and failed, and a dataset advances only when nothing that uses it failed.
    expect(lock.datasets).toEqual({ d1: { version: '1' }, d2: { version: '1' } });
    expect(lock.evaluations).toBe(2);
    const history = JSON.parse(repo.read(`lineage/history/${repo.list('lineage/history')[1]}`));
    expect(schemaProblems('history', history, 'h')).toEqual([]);
    expect(history).toMatchObject({
      sequence: 2,
      status: 'fail',
      rejected: { models: ['m1'], workflows: ['w1'] },
      at: '2023-11-14T22:13:20.000Z',
    });
  });
});

describe('baselines, max_drop and weakened gates', () => {
  it('compares against the accepted baseline', async () => {
    const repo = await accepted();
    retrain(repo, 'm2', '2', { d2: '1' }, ['auc >= 0.7', 'auc >= baseline - 0.05'], { auc: 0.74 });
    const { report } = await check(repo);
    expect(modelOf(report, 'm2').conditions[1]).toMatchObject({ expected: 0.75, actual: 0.74, result: 'fail' });
    expect(modelOf(report, 'm2').reasons[0]).toBe('auc = 0.74, needs >= 0.75 (auc >= baseline - 0.05)');
  });

  it('fails a workflow whose score fell more than max_drop below the accepted score', async () => {
    const repo = makeRepo({
      ...base(),
      ...tree(workflow('w2', '1', 0.7, [{ id: 'c', model: 'm2', dataset: 'd2', weight: 1, metric: 'auc' }], { max_drop: 0.02 })),
    });
    await accept(repo);
    retrain(repo, 'm2', '2', { d2: '1' }, ['auc >= 0.7', 'auc >= baseline - 0.05'], { auc: 0.77 });
    const { report } = await check(repo);
    expect(modelOf(report, 'm2').status).toBe('pass');
    const w2 = workflowOf(report, 'w2');
    expect(w2).toMatchObject({ status: 'fail', score: 0.77, accepted_score: 0.8 });
    expect(w2.reasons).toEqual(['score 0.77 fell 0.03 below the accepted 0.8; max_drop is 0.02']);
    expect(w2.nodes[0]!.headroom).toBeCloseTo(0.77 - 0.78, 12);
  });

  it('names weakened gates with before and after, and fails on them unless allowed', async () => {
    const repo = await accepted();
    repo.write(...workflow('w2', '1', 0.6, [{ id: 'c', model: 'm2', dataset: 'd2', weight: 1, metric: 'auc' }]));
    repo.write(
      ...workflow('w1', '1', 0.8, [
        { id: 'a', model: 'm1', dataset: 'd1', weight: 2, metric: 'acc' },
        { id: 'b', model: 'm2', dataset: 'd2', weight: 2, metric: 'auc', needs: ['a'] },
      ]),
    );
    repo.write(
      'lineage/models/m2.yaml',
      y({ id: 'm2', version: '1', description: 'x', datasets: { d2: '1' }, metrics: '../../results/m2.json', gate: ['auc >= 0.6'] }),
    );
    const { report, code } = await check(repo);
    // Every gate holds, yet the change fails: it made gates easier to pass, and nobody allowed that.
    expect(code).toBe(1);
    expect(report).toMatchObject({
      status: 'fail',
      allow_weakening: false,
      summary: { models_failed: 0, workflows_failed: 0, weakened: 4 },
    });
    expect(report.weakened).toEqual([
      {
        entity: 'model',
        id: 'm2',
        kind: 'condition',
        message: 'condition loosened: auc >= 0.7 → auc >= 0.6',
        before: 'auc >= 0.7',
        after: 'auc >= 0.6',
      },
      {
        entity: 'model',
        id: 'm2',
        kind: 'condition',
        message: 'condition replaced: auc >= baseline - 0.05 → auc >= 0.6 (not comparable; review it)',
        before: 'auc >= baseline - 0.05',
        after: 'auc >= 0.6',
      },
      {
        entity: 'workflow',
        id: 'w1',
        kind: 'weights',
        message: 'weights moved: a 25% → 50%, b 75% → 50%',
        before: 'a 25%, b 75%',
        after: 'a 50%, b 50%',
      },
      { entity: 'workflow', id: 'w2', kind: 'threshold', message: 'threshold lowered: 0.7 → 0.6', before: '0.7', after: '0.6' },
    ]);
    const md = await cli(['check', '--root', repo.root, '--markdown', '-']);
    expect(md.out).toContain('every affected gate holds, but a gate was weakened and nobody allowed it');
    expect(md.out).toContain('| workflow `w2` | threshold lowered: 0.7 → 0.6 | 0.7 | 0.6 |');
    const text = await cli(['check', '--root', repo.root]);
    expect(text.out).toContain('weakened gates fail the check unless someone with authority allows them');

    const allowed = await check(repo, '--allow-weakening');
    expect(allowed).toMatchObject({ code: 0, report: { status: 'pass', allow_weakening: true } });
    expect(allowed.report.weakened).toHaveLength(4);
    // accept will not write a weakened gate into the lock unless allowed too.
    const lock = repo.read('lineage/associations.lock.yaml');
    const refused = await accept(repo);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('4 weakened gate(s) (listed above); the lock was not changed');
    expect(repo.read('lineage/associations.lock.yaml')).toBe(lock);
    expect((await accept(repo, '--allow-weakening')).code).toBe(0);
    expect((await check(repo)).report.status).toBe('noop');
  });
});

describe('exact conditions end to end', () => {
  it('passes at exactly the threshold, prints values as written, and reads quoted metric names', async () => {
    const repo = makeRepo(
      tree(
        dataset('d1', '1'),
        model('m1', '1', {
          datasets: { d1: '1' },
          gate: ['acc >= baseline + 0.05', '"metrics/mAP50-95(B)" >= 0.45', 'll >= baseline - 5%'],
          metrics: '{"acc": 0.80, "metrics": {"mAP50-95(B)": 0.5}, "ll": -100}',
        }),
      ),
    );
    // YAML would flatten "metrics/mAP50-95(B)" as one key; JSON nesting gives metrics.mAP50-95(B), so use a flat key.
    repo.write('results/m1.json', '{"acc": 0.80, "metrics/mAP50-95(B)": 0.5, "ll": -100}');
    expect((await accept(repo)).code).toBe(0);
    retrain(repo, 'm1', '2', { d1: '1' }, ['acc >= baseline + 0.05', '"metrics/mAP50-95(B)" >= 0.45', 'll >= baseline - 5%'], {});
    repo.write('results/m1.json', '{"acc": 0.850, "metrics/mAP50-95(B)": 0.45, "ll": -105}');
    const { report, code } = await check(repo);
    expect(code).toBe(0);
    expect(modelOf(report, 'm1').conditions.map((c) => [c.text, c.expected_text, c.actual_text, c.result])).toEqual([
      ['acc >= baseline + 0.05', '0.85', '0.850', 'pass'],
      ['"metrics/mAP50-95(B)" >= 0.45', '0.45', '0.45', 'pass'],
      ['ll >= baseline - 5%', '-105', '-105', 'pass'],
    ]);
    repo.write('results/m1.json', '{"acc": 0.8499999999999999, "metrics/mAP50-95(B)": 0.44, "ll": -105.01}');
    const worse = await check(repo);
    expect(modelOf(worse.report, 'm1').reasons).toEqual([
      'acc = 0.8499999999999999, needs >= 0.85 (acc >= baseline + 0.05)',
      'metrics/mAP50-95(B) = 0.44, needs >= 0.45',
      'll = -105.01, needs >= -105 (ll >= baseline - 5%)',
    ]);
    const md = (await cli(['check', '--root', repo.root, '--markdown', '-'])).out;
    expect(md).toContain('| 0.8499999999999999 |');
  });

  it('refuses baseline * n below zero with a pointer to %, and on_missing_baseline: fail fails without a baseline', async () => {
    const repo = makeRepo(
      tree(
        dataset('d1', '1'),
        model('m1', '1', { datasets: { d1: '1' }, gate: ['ll >= baseline * 1.05'], metrics: { ll: -100 } }),
        model('m2', '1', {
          datasets: { d1: '1' },
          gate: ['auc >= baseline'],
          metrics: { auc: 0.9 },
          extra: { on_missing_baseline: 'fail' },
        }),
      ),
    );
    const first = await check(repo);
    expect(first.code).toBe(1);
    expect(modelOf(first.report, 'm2').reasons).toEqual(['auc >= baseline: no accepted baseline yet, and on_missing_baseline is fail']);
    expect(modelOf(first.report, 'm1').status).toBe('pass');
    // Accept m1 only (m2 fails); then a worse log-likelihood must not pass through a product.
    expect((await accept(repo)).code).toBe(0);
    expect(lockOf(repo).models.m2).toBeUndefined();
    retrain(repo, 'm1', '2', { d1: '1' }, ['ll >= baseline * 1.05'], { ll: -104 });
    const { report } = await check(repo);
    expect(modelOf(report, 'm1').status).toBe('fail');
    expect(modelOf(report, 'm1').reasons[0]).toContain('baseline * n needs a positive baseline, and the baseline is -100');
    expect(modelOf(report, 'm1').reasons[0]).toContain('baseline + n% or baseline - n%');
  });

  it('records on_missing_baseline: fail in the lock and names relaxing it as a weakening', async () => {
    const repo = makeRepo(
      tree(
        dataset('d1', '1'),
        model('m1', '1', { datasets: { d1: '1' }, gate: ['auc >= 0.5'], metrics: { auc: 0.9 }, extra: { on_missing_baseline: 'fail' } }),
      ),
    );
    expect((await accept(repo)).code).toBe(0);
    expect(lockOf(repo).models.m1!.on_missing_baseline).toBe('fail');
    for (const [p, text] of model('m1', '1', { datasets: { d1: '1' }, gate: ['auc >= 0.5'], metrics: { auc: 0.9 } })) repo.write(p, text);
    const { report } = await check(repo);
    expect(modelOf(report, 'm1').changed).toBe(true);
    expect(report.weakened.map((w) => w.message)).toEqual([
      'on_missing_baseline relaxed: fail → skip (a condition without a baseline no longer fails)',
    ]);
  });

  it('compares the new forms when weakening: % against %, exactly in decimal', async () => {
    const repo = makeRepo(
      tree(
        dataset('d1', '1'),
        model('m1', '1', {
          datasets: { d1: '1' },
          gate: ['ll >= baseline - 5%', 'acc >= 0.3', 'x <= baseline * 1.1'],
          metrics: { ll: -1, acc: 0.5, x: 1 },
        }),
      ),
    );
    expect((await accept(repo)).code).toBe(0);
    retrain(repo, 'm1', '1', { d1: '1' }, ['ll >= baseline - 4.9%', 'acc >= 0.30000000000000004', 'x <= baseline + 10%'], {
      ll: -1,
      acc: 0.5,
      x: 1,
    });
    expect((await check(repo)).report.weakened.map((w) => w.message)).toEqual([
      'condition replaced: x <= baseline * 1.1 → x <= baseline + 10% (not comparable; review it)',
    ]);
    retrain(repo, 'm1', '1', { d1: '1' }, ['ll >= baseline - 5.1%', 'acc >= 0.2999999999999999', 'x <= baseline * 1.1'], {
      ll: -1,
      acc: 0.5,
      x: 1,
    });
    expect((await check(repo)).report.weakened.map((w) => w.message)).toEqual([
      'condition loosened: acc >= 0.3 → acc >= 0.2999999999999999',
      'condition loosened: ll >= baseline - 5% → ll >= baseline - 5.1%',
    ]);
  });
});

describe('--all, missing and non-finite metrics', () => {
  it('re-evaluates everything with --all', async () => {
    const repo = await accepted();
    expect((await check(repo)).report.status).toBe('noop');
    const all = await check(repo, '--all');
    expect(all.report.status).toBe('pass');
    expect(all.report.all).toBe(true);
    expect(all.report.models.map((m) => m.status)).toEqual(['pass', 'pass']);
    expect(all.report.workflows.map((w) => w.status)).toEqual(['pass', 'pass']);
    expect(modelOf(all.report, 'm2').conditions[1]).toMatchObject({ expected: 0.75, result: 'pass' });
  });

  it('fails a gate on a missing metric file, a missing metric and a NaN with its line', async () => {
    const repo = await accepted();
    retrain(repo, 'm1', '2', { d1: '1' }, ['acc >= 0.8'], {});
    repo.remove('results/m1.json');
    for (const [p, t] of model('m2', '2', { datasets: { d2: '1' }, gate: ['auc >= 0.7'], metrics: 'x' }))
      if (p.endsWith('.yaml')) repo.write(p, t.replace('m2.json', 'm2.yaml'));
    repo.write('results/m2.yaml', 'other: 1\nauc: .nan\n');
    const { report } = await check(repo);
    expect(modelOf(report, 'm1').reasons).toEqual(['metric file results/m1.json not found']);
    expect(modelOf(report, 'm2').reasons).toEqual(['auc >= 0.7: metric auc in results/m2.yaml:2 is NaN, not a finite number']);
    expect(workflowOf(report, 'w2').reasons).toContain('node c: metric auc in results/m2.yaml:2 is NaN, not a finite number (model m2)');
  });
});

describe('determinism', () => {
  it("reads dvclive's NaN JSON per metric, and a folder of dvclive TSV files as metrics", async () => {
    const repo = makeRepo(
      tree(
        dataset('d1', '1'),
        model('m1', '1', { datasets: { d1: '1' }, gate: ['acc >= 0.8', 'loss <= 1'], metrics: '{\n  "acc": 0.9,\n  "loss": NaN\n}\n' }),
        model('m2', '1', {
          datasets: { d1: '1' },
          gate: ['train/loss <= 0.3', 'val/acc >= 0.7'],
          extra: { metrics: '../../dvclive/plots/metrics' },
        }),
      ),
    );
    repo.write('dvclive/plots/metrics/train/loss.tsv', 'step\tloss\n0\t0.5\n1\t0.25\n');
    repo.write('dvclive/plots/metrics/val/acc.tsv', 'step\tacc\n0\t0.6\n1\t0.75\n');
    const { report, code } = await check(repo);
    expect(code).toBe(1);
    expect(modelOf(report, 'm1').reasons).toEqual(['loss <= 1: metric loss in results/m1.json:3 is NaN, not a finite number']);
    expect(modelOf(report, 'm2')).toMatchObject({ status: 'pass' });
    expect(modelOf(report, 'm2').conditions.map((c) => c.actual_text)).toEqual(['0.25', '0.75']);
    repo.write('dvclive/plots/metrics/val/acc.tsv', 'step\tacc\n0\t0.6\n1\tnan\n');
    expect(modelOf((await check(repo)).report, 'm2').reasons).toEqual([
      'val/acc >= 0.7: metric val/acc in dvclive/plots/metrics/val/acc.tsv:3 is NaN, not a finite number',
    ]);
  });

  it('gives the same bytes whatever order files were written in', async () => {
    const t = base();
    const keys = Object.keys(t);
    const a = makeRepo(t, keys);
    const b = makeRepo(t, [...keys].reverse());
    const ra = await cli(['check', '--root', a.root, '--json', '-']);
    const rb = await cli(['check', '--root', b.root, '--json', '-']);
    expect(ra.out).toBe(rb.out);
    await accept(a);
    await accept(b);
    expect(a.read('lineage/associations.lock.yaml')).toBe(b.read('lineage/associations.lock.yaml'));
    expect(a.list('lineage/history')).toEqual(b.list('lineage/history'));
  });
});

describe('invalid input: a clear error with file and line, and nothing written', () => {
  const cases: [string, (r: TestRepo) => void, { file: string; line?: number; message: RegExp }][] = [
    [
      'a number where a string belongs',
      (r) => r.write('lineage/datasets/d1.yaml', 'id: d1\nversion: 3.10\n'),
      { file: 'lineage/datasets/d1.yaml', line: 2, message: /version must be string/ },
    ],
    [
      'an unknown field',
      (r) => r.write('lineage/datasets/d1.yaml', 'id: d1\nversion: "1"\nverison: "2"\n'),
      { file: 'lineage/datasets/d1.yaml', line: 3, message: /verison is not a known field/ },
    ],
    [
      'a missing required field',
      (r) => r.write('lineage/models/m1.yaml', 'id: m1\nversion: "1"\n'),
      { file: 'lineage/models/m1.yaml', message: /description is required/ },
    ],
    [
      'an unknown dataset',
      (r) => r.write('lineage/models/m1.yaml', y({ id: 'm1', version: '1', description: 'x', datasets: { nope: '1' } })),
      { file: 'lineage/models/m1.yaml', line: 5, message: /unknown dataset "nope"/ },
    ],
    [
      'an unknown model in a node',
      (r) => r.write(...workflow('w2', '1', 0.7, [{ id: 'c', model: 'ghost', dataset: 'd2', weight: 1, metric: 'auc' }])),
      { file: 'lineage/workflows/w2.yaml', line: 6, message: /unknown model "ghost"/ },
    ],
    [
      'a duplicate id across files',
      (r) => r.write('lineage/datasets/zz.yaml', 'id: d1\nversion: "9"\n'),
      { file: 'lineage/datasets/zz.yaml', line: 1, message: /already declared in lineage\/datasets\/d1.yaml/ },
    ],
    [
      'a duplicate key',
      (r) => r.write('lineage/datasets/d1.yaml', 'id: d1\nversion: "1"\nversion: "2"\n'),
      { file: 'lineage/datasets/d1.yaml', line: 3, message: /unique/ },
    ],
    [
      'a cycle',
      (r) =>
        r.write(
          ...workflow('w2', '1', 0.7, [
            { id: 'c', model: 'm2', dataset: 'd2', weight: 1, metric: 'auc', needs: ['e'] },
            { id: 'e', model: 'm2', dataset: 'd2', weight: 1, metric: 'auc', needs: ['c'] },
          ]),
        ),
      { file: 'lineage/workflows/w2.yaml', message: /cycle: c → e → c/ },
    ],
    [
      'weights summing to zero',
      (r) => r.write(...workflow('w2', '1', 0.7, [{ id: 'c', model: 'm2', dataset: 'd2', weight: 0, metric: 'auc' }])),
      { file: 'lineage/workflows/w2.yaml', message: /weights sum to zero/ },
    ],
    [
      'a missing DVC file',
      (r) => r.write('lineage/datasets/d1.yaml', 'id: d1\ndvc: ../../data/d1.csv.dvc\n'),
      { file: 'lineage/datasets/d1.yaml', line: 2, message: /data\/d1.csv.dvc does not exist/ },
    ],
    [
      'a condition that does not parse',
      (r) =>
        r.write(
          'lineage/models/m1.yaml',
          y({ id: 'm1', version: '1', description: 'x', datasets: { d1: '1' }, gate: ['acc >= 0.8', 'acc >= 0.8; DROP TABLE model; --'] }),
        ),
      { file: 'lineage/models/m1.yaml', line: 8, message: /gate.1: the condition .* unexpected text/ },
    ],
    [
      'a metric path outside the repository',
      (r) =>
        r.write(
          'lineage/models/m1.yaml',
          y({ id: 'm1', version: '2', description: 'x', datasets: { d1: '1' }, metrics: '../../../../../etc/passwd' }),
        ),
      { file: 'lineage/models/m1.yaml', line: 6, message: /leads outside the repository/ },
    ],
    [
      'an alias bomb',
      (r) =>
        r.write(
          'lineage/datasets/d1.yaml',
          'id: d1\nversion: "1"\nmeta:\n  a: &a [x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n  c: [*b, *b, *b, *b, *b, *b, *b, *b]\n',
        ),
      { file: 'lineage/datasets/d1.yaml', line: 4, message: /not allowed/ },
    ],
    [
      'a %YAML directive',
      (r) => r.write('lineage/datasets/d1.yaml', '%YAML 1.1\n---\nid: d1\nversion: "1"\n'),
      { file: 'lineage/datasets/d1.yaml', line: 1, message: /directives/ },
    ],
    [
      'a custom tag',
      (r) => r.write('lineage/datasets/d1.yaml', 'id: d1\nversion: !!js/function "() => 1"\n'),
      { file: 'lineage/datasets/d1.yaml', line: 2, message: /explicit tags/ },
    ],
    [
      'a __proto__ key',
      (r) => r.write('lineage/datasets/d1.json', '{"id": "d1", "version": "1", "meta": {"__proto__": {"isAdmin": true}}}'),
      { file: 'lineage/datasets/d1.json', line: 1, message: /__proto__/ },
    ],
    [
      'a version with a line break',
      (r) => r.write('lineage/datasets/d1.yaml', 'id: d1\nversion: "1\\n::warning::x"\n'),
      { file: 'lineage/datasets/d1.yaml', line: 2, message: /version has characters that are not allowed/ },
    ],
    [
      'a hand-edited lock',
      (r) =>
        r.write('lineage/associations.lock.yaml', r.read('lineage/associations.lock.yaml').replace('lock_version: 1', 'lock_version: 2')),
      { file: 'lineage/associations.lock.yaml', message: /lock_version/ },
    ],
  ];

  it.each(cases)('%s', async (_name, mutate, expected) => {
    const repo = await accepted();
    if (expected.file === 'lineage/datasets/d1.json') repo.remove('lineage/datasets/d1.yaml');
    mutate(repo);
    const lockBefore = repo.read('lineage/associations.lock.yaml');
    const { code, report } = await check(repo);
    expect(code).toBe(2);
    expect(report.status).toBe('invalid');
    const hit = report.errors.find((e) => e.file === expected.file && expected.message.test(e.message));
    expect(hit, JSON.stringify(report.errors, null, 1)).toBeDefined();
    if (expected.line !== undefined) expect(hit!.line).toBe(expected.line);
    expect(hit!.hint).toBeTruthy();
    const a = await accept(repo);
    expect(a.code).toBe(2);
    expect(a.err).toContain('the lock was not changed');
    expect(repo.read('lineage/associations.lock.yaml')).toBe(lockBefore);
    expect(repo.list('lineage/history')).toHaveLength(1);
  });

  it('refuses a metric file that is a symbolic link', async () => {
    const { symlinkSync } = await import('node:fs');
    const repo = await accepted();
    retrain(repo, 'm1', '2', { d1: '1' }, ['acc >= 0.8'], { acc: 0.95 });
    repo.remove('results/m1.json');
    symlinkSync('/etc/hostname', `${repo.dir}/results/m1.json`);
    const { code, report } = await check(repo);
    expect(code).toBe(2);
    expect(report.errors).toEqual([
      expect.objectContaining({
        file: 'lineage/models/m1.yaml',
        line: 8,
        field: 'metrics',
        message: 'metrics: results/m1.json is a symbolic link',
      }),
    ]);
  });

  it('refuses a kind folder that is a symbolic link instead of skipping its manifests', async () => {
    const { symlinkSync, mkdirSync, renameSync } = await import('node:fs');
    const repo = await accepted();
    mkdirSync(`${repo.dir}/elsewhere`);
    renameSync(`${repo.dir}/lineage/models`, `${repo.dir}/elsewhere/models`);
    symlinkSync(`${repo.dir}/elsewhere/models`, `${repo.dir}/lineage/models`);
    const { code, report } = await check(repo);
    expect(code).toBe(2);
    expect(report.errors).toContainEqual(
      expect.objectContaining({ file: 'lineage/models', message: 'lineage/models is a symbolic link; its manifests were not read' }),
    );
  });

  it('never lets condition text reach SQL: a metric named like SQL is only a name', async () => {
    const repo = await accepted();
    retrain(repo, 'm1', '2', { d1: '1' }, ["x'--drop >= 0.5"], {});
    const r = await check(repo);
    expect(r.report.status).toBe('invalid');
    retrain(repo, 'm1', '2', { d1: '1' }, ['DROP_TABLE.model >= 0.5'], { DROP_TABLE: { model: 0.6 } });
    const ok = await check(repo);
    expect(modelOf(ok.report, 'm1').conditions[0]).toMatchObject({ actual: 0.6, result: 'pass' });
  });
});
