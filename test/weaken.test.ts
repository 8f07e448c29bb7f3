// The weakening matrix: each change to a gate or to the graph's shape that makes passing easier, and the changes that
// do not. Pure: manifests and a lock in, weakenings out.
import { describe, expect, it } from 'vitest';
import { parseCondition } from '../src/core/input/condition.ts';
import type { Lock, Manifests, Model, Workflow } from '../src/core/types.ts';
import { decide } from '../src/core/verdict/decide.ts';
import { invalidReport } from '../src/core/verdict/report.ts';
import { findWeakenings } from '../src/core/verdict/weaken.ts';

const cond = (t: string) => {
  const r = parseCondition(t);
  if (!r.ok) throw new Error(t);
  return r.condition;
};
const model = (id: string, over: Partial<Omit<Model, 'gate'>> & { gate?: string[] } = {}): Model => ({
  id,
  version: '1',
  description: 'm',
  datasets: { d: '1' },
  on_missing_baseline: 'skip',
  file: `lineage/models/${id}.yaml`,
  ...over,
  gate: (over.gate ?? ['auc >= 0.8', 'auc >= baseline - 0.02']).map(cond),
});
const node = (id: string, m = 'm', over: Partial<Workflow['nodes'][number]> = {}) => ({
  id,
  model: m,
  dataset: 'd',
  weight: 1,
  metric: 'auc',
  needs: [],
  ...over,
});
const workflow = (id: string, over: Partial<Workflow> = {}): Workflow => ({
  id,
  version: '1',
  threshold: 0.8,
  max_drop: 0.05,
  nodes: [node('a'), node('b', 'm2')],
  file: `lineage/workflows/${id}.yaml`,
  ...over,
});

/** The accepted state every case starts from: m and m2 on d, w running both. */
function accepted(): Lock {
  const pin = (m: string) => ({ model: m, model_version: '1', dataset: 'd', dataset_version: '1', weight: 1, metric: 'auc', needs: [] });
  return {
    lock_version: 1,
    evaluations: 1,
    datasets: { d: { version: '1' }, e: { version: '1' } },
    models: {
      m: { version: '1', datasets: { d: '1', e: '1' }, gate: ['auc >= 0.8', 'auc >= baseline - 0.02'], metrics: { auc: 0.9 } },
      m2: { version: '1', datasets: { d: '1' }, gate: ['auc >= 0.8', 'auc >= baseline - 0.02'], metrics: { auc: 0.85 } },
    },
    workflows: { w: { version: '1', threshold: 0.8, max_drop: 0.05, score: 0.875, nodes: { a: pin('m'), b: pin('m2') } } },
  };
}
const base = (): Manifests => ({
  datasets: [],
  models: [model('m', { datasets: { d: '1', e: '1' } }), model('m2')],
  workflows: [workflow('w')],
});
const kinds = (m: Manifests, lock = accepted()) => findWeakenings(m, lock).map((w) => `${w.entity} ${w.id} ${w.kind}: ${w.message}`);

describe('the weakening matrix', () => {
  it('finds nothing when nothing changed', () => expect(kinds(base())).toEqual([]));

  const cases: [string, (m: Manifests) => void, string[]][] = [
    ['a threshold lowered', (m) => (m.workflows[0]!.threshold = 0.7), ['workflow w threshold: threshold lowered: 0.8 → 0.7']],
    ['max_drop raised', (m) => (m.workflows[0]!.max_drop = 0.1), ['workflow w max_drop: max_drop raised: 0.05 → 0.1']],
    ['max_drop removed', (m) => delete m.workflows[0]!.max_drop, ['workflow w max_drop: max_drop removed (was 0.05)']],
    [
      'a condition loosened',
      (m) => (m.models[1] = model('m2', { gate: ['auc >= 0.7', 'auc >= baseline - 0.02'] })),
      ['model m2 condition: condition loosened: auc >= 0.8 → auc >= 0.7, auc >= baseline - 0.02'],
    ],
    [
      'a condition replaced by one that cannot be compared',
      (m) => (m.models[1] = model('m2', { gate: ['auc >= 0.8'] })),
      ['model m2 condition: condition replaced: auc >= baseline - 0.02 → auc >= 0.8 (not comparable; review it)'],
    ],
    [
      'a condition removed',
      (m) => (m.models[1] = model('m2', { gate: ['f1 >= 0.5'] })),
      ['model m2 condition: condition removed: auc >= 0.8', 'model m2 condition: condition removed: auc >= baseline - 0.02'],
    ],
    [
      'a dataset dropped from the trained-on map',
      (m) => (m.models[0] = model('m')),
      ['model m datasets: dataset e dropped from what it was trained on: whether it is stale against e is no longer checked'],
    ],
    [
      "a node's metric switched",
      (m) => (m.workflows[0] = workflow('w', { nodes: [node('a', 'm', { metric: 'train.auc' }), node('b', 'm2')] })),
      ["workflow w metric: node a's metric switched: auc → train.auc"],
    ],
    [
      'a node removed',
      (m) => (m.workflows[0] = workflow('w', { nodes: [node('a')] })),
      ['workflow w node: node b removed: it ran m2 (auc) with weight 1', 'workflow w weights: weights moved: a 50% → 100%'],
    ],
    [
      'a model renamed, taking over its nodes',
      (m) => {
        m.models[1] = model('m2_v2');
        m.workflows[0] = workflow('w', { nodes: [node('a'), node('b', 'm2_v2')] });
      },
      ['model m2_v2 renamed: m2 is gone and m2_v2 takes over its nodes w/b: the baselines accepted for m2 no longer apply'],
    ],
    [
      'a model renamed, taking over its baseline conditions on the same data',
      (m) => {
        m.models[0] = model('m_new', { datasets: { d: '1', e: '1' } });
        m.workflows[0] = workflow('w', { nodes: [node('b', 'm2')] });
      },
      [
        'model m_new renamed: m is gone and m_new takes over its baseline conditions (auc >= baseline - 0.02) on the same datasets: the baselines accepted for m no longer apply',
        'workflow w node: node a removed: it ran m (auc) with weight 1',
        'workflow w weights: weights moved: b 50% → 100%',
      ],
    ],
    [
      'a workflow renamed, taking over its nodes',
      (m) => (m.workflows[0] = workflow('w2')),
      ['workflow w2 renamed: w is gone and w2 takes over its nodes a, b: its accepted score 0.875 and max_drop 0.05 no longer apply'],
    ],
    [
      'an accepted condition left without its baseline',
      (m) => m,
      [
        'model m skipped: condition auc >= baseline - 0.02 would be skipped: the lock holds no baseline for auc, though it accepted this condition',
      ],
    ],
  ];
  it.each(cases)('names %s', (what, change, expected) => {
    const m = base();
    change(m);
    const lock = accepted();
    if (what.startsWith('an accepted condition left')) lock.models.m!.metrics = {};
    expect(kinds(m, lock)).toEqual(expected);
  });

  const harmless: [string, (m: Manifests) => void][] = [
    ['a threshold raised', (m) => (m.workflows[0]!.threshold = 0.9)],
    ['max_drop tightened', (m) => (m.workflows[0]!.max_drop = 0.01)],
    ['a condition tightened', (m) => (m.models[1] = model('m2', { gate: ['auc >= 0.85', 'auc >= baseline - 0.01'] }))],
    ['a condition added', (m) => (m.models[1] = model('m2', { gate: ['auc >= 0.8', 'auc >= baseline - 0.02', 'f1 >= 0.5'] }))],
    ['a new model on new nodes', (m) => m.models.push(model('m3', { datasets: { x: '1' }, gate: ['f1 >= 0.5'] }))],
    [
      'weights scaled together',
      (m) => (m.workflows[0] = workflow('w', { nodes: [node('a', 'm', { weight: 10 }), node('b', 'm2', { weight: 10 })] })),
    ],
    ['a node added', (m) => (m.workflows[0] = workflow('w', { nodes: [node('a'), node('b', 'm2'), node('c', 'm2', { weight: 0 })] }))],
  ];
  it.each(harmless)('does not call %s a weakening', (_what, change) => {
    const m = base();
    change(m);
    expect(kinds(m)).toEqual([]);
  });

  it('gives before and after for each', () => {
    const m = base();
    m.workflows[0] = workflow('w', { threshold: 0.75, nodes: [node('a', 'm', { metric: 'train.auc' }), node('b', 'm2')] });
    expect(findWeakenings(m, accepted()).map((w) => [w.kind, w.before, w.after])).toEqual([
      ['metric', 'auc', 'train.auc'],
      ['threshold', '0.8', '0.75'],
    ]);
  });
});

describe('decide', () => {
  const report = (weakened: ReturnType<typeof findWeakenings>) => ({
    ...invalidReport([], 'f'.repeat(64), false),
    status: 'pass' as const,
    weakened,
    summary: { ...invalidReport([], 'f'.repeat(64), false).summary, weakened: weakened.length },
  });
  const w = findWeakenings({ ...base(), workflows: [workflow('w', { threshold: 0.7 })] }, accepted());

  it('fails a weakened gate unless allowed', () => {
    expect(decide(report(w), { allowWeakening: false }).status).toBe('fail');
    expect(decide(report(w), { allowWeakening: true })).toMatchObject({ status: 'pass', allow_weakening: true });
  });

  it('lets a weakening pending on the base neither fail nor count', () => {
    const pending = { datasets: new Set<string>(), models: new Set<string>(), workflows: new Set(['w']), removed: new Set<string>() };
    const d = decide(report(w), { allowWeakening: false, pending });
    expect(d.status).toBe('noop');
    expect(d.summary.weakened).toBe(0);
    expect(d.weakened[0]!.pending).toBe(true);
  });

  it('leaves invalid input invalid', () => {
    expect(decide(invalidReport([{ file: 'x', message: 'bad' }], 'f'.repeat(64), false), { allowWeakening: true }).status).toBe('invalid');
  });
});
