// Partial acceptance as a pure function (core/lock/accept.ts): lock, manifests and report in, the new lock out.
// The report is built here by hand, so each rule is seen alone: what passed moves, what failed keeps its old entry.
import { describe, expect, it } from 'vitest';
import { parseCondition } from '../src/core/input/condition.ts';
import { accept } from '../src/core/lock/accept.ts';
import type {
  EntityStatus,
  Lock,
  Manifests,
  Model,
  ModelResult,
  NodeResult,
  Report,
  Status,
  Workflow,
  WorkflowResult,
} from '../src/core/types.ts';

const AT = '2026-11-27T12:00:00.000Z';
const FP = 'f'.repeat(64);

const gate = (...texts: string[]) =>
  texts.map((t) => {
    const c = parseCondition(t);
    if (!c.ok) throw new Error(c.message);
    return c.condition;
  });
const mdl = (id: string, version: string, datasets: Record<string, string>, conditions: string[] = ['acc >= 0.5']): Model => ({
  id,
  version,
  description: id,
  datasets,
  gate: gate(...conditions),
  metrics: `results/${id}.json`,
  on_missing_baseline: 'skip',
  file: `lineage/models/${id}.yaml`,
});
const wf = (id: string, version: string, nodes: { id: string; model: string; dataset: string; needs?: string[] }[]): Workflow => ({
  id,
  version,
  threshold: 0.5,
  nodes: nodes.map((n) => ({ weight: 1, metric: 'acc', needs: [], ...n })),
  file: `lineage/workflows/${id}.yaml`,
});

/** A report with the given statuses; everything accept does not read is left empty. */
function report(
  status: Status,
  models: Record<string, EntityStatus>,
  workflows: Record<string, [EntityStatus, number | null]>,
  m: Manifests,
): Report {
  const byModel = new Map(m.models.map((x) => [x.id, x]));
  const version = new Map(m.datasets.map((d) => [d.id, d.version]));
  return {
    report_version: 1,
    status,
    fingerprint: FP,
    all: false,
    errors: [],
    summary: {
      datasets_changed: 0,
      models_affected: 0,
      models_failed: 0,
      workflows_affected: 0,
      workflows_failed: 0,
      weakened: 0,
      removed: 0,
    },
    datasets: [],
    models: Object.entries(models).map(([id, s]) => ({ id, status: s }) as ModelResult),
    workflows: Object.entries(workflows).map(([id, [s, score]]) => {
      const w = m.workflows.find((x) => x.id === id)!;
      const nodes: NodeResult[] = w.nodes.map((n) => ({
        ...n,
        model_version: byModel.get(n.model)!.version,
        dataset_version: version.get(n.dataset)!,
        score: 0.9,
        contribution: null,
        headroom: null,
      }));
      return { id, status: s, score, nodes } as WorkflowResult;
    }),
    weakened: [],
    removed: [],
  };
}

const values = (entries: Record<string, Record<string, number>>) =>
  new Map(Object.entries(entries).map(([id, ms]) => [id, new Map(Object.entries(ms))]));

/** Accepted: d at 1, a and b trained on it, w running both. */
const OLD: Lock = {
  lock_version: 1,
  evaluations: 2,
  fingerprint: 'e'.repeat(64),
  datasets: { d: { version: '1' }, gone: { version: '1' } },
  models: {
    a: { version: '1', datasets: { d: '1' }, gate: ['acc >= 0.5'], metrics: { acc: 0.8 } },
    b: { version: '1', datasets: { d: '1' }, gate: ['acc >= 0.5'], metrics: { acc: 0.7 } },
  },
  workflows: {},
};
Object.freeze(OLD.models);
Object.freeze(OLD.datasets);

/** d moved to 2; a and b were retrained on it. */
function updated(): Manifests {
  return {
    datasets: [{ id: 'd', version: '2', meta: {}, file: 'lineage/datasets/d.yaml' }],
    models: [mdl('a', '2', { d: '2' }), mdl('b', '2', { d: '2' })],
    workflows: [
      wf('w', '1', [
        { id: 'na', model: 'a', dataset: 'd' },
        { id: 'nb', model: 'b', dataset: 'd', needs: ['na'] },
      ]),
    ],
  };
}

describe('accept', () => {
  it('changes nothing for invalid input or when nothing was affected', () => {
    const m = updated();
    expect(accept(OLD, m, report('invalid', {}, {}, m), new Map(), AT)).toBeNull();
    expect(accept(OLD, m, report('noop', {}, {}, m), new Map(), AT)).toBeNull();
  });

  it('accepts a passing model with the values of its gated and node metrics; a failing one keeps its old entry', () => {
    const m = updated();
    m.models[0] = mdl('a', '2', { d: '2' }, ['auc >= 0.5']);
    const r = accept(OLD, m, report('fail', { a: 'pass', b: 'fail' }, {}, m), values({ a: { auc: 0.9, acc: 0.85, other: 1 } }), AT)!;
    expect(r.lock.models.a).toEqual({ version: '2', datasets: { d: '2' }, gate: ['auc >= 0.5'], metrics: { auc: 0.9, acc: 0.85 } });
    expect(r.lock.models.b).toBe(OLD.models.b);
    expect(r.history.accepted.models).toEqual({ a: { version: '2', metrics: { auc: 0.9, acc: 0.85 } } });
    expect(r.history.rejected).toEqual({ models: ['b'], workflows: [] });
  });

  it('holds a dataset back while a model trained on it fails, and moves it when all pass', () => {
    const m = updated();
    const failing = accept(OLD, m, report('fail', { a: 'pass', b: 'fail' }, {}, m), values({ a: { acc: 0.9 } }), AT)!;
    expect(failing.lock.datasets.d).toEqual({ version: '1' });
    expect(failing.history.accepted.datasets).toEqual({});
    const passing = accept(
      OLD,
      m,
      report('pass', { a: 'pass', b: 'pass' }, { w: ['pass', 0.9] }, m),
      values({ a: { acc: 0.9 }, b: { acc: 0.9 } }),
      AT,
    )!;
    expect(passing.lock.datasets.d).toEqual({ version: '2' });
  });

  it('holds a dataset back while a workflow reading it fails, though every model passed', () => {
    const m = updated();
    const r = accept(
      OLD,
      m,
      report('fail', { a: 'pass', b: 'pass' }, { w: ['fail', 0.4] }, m),
      values({ a: { acc: 0.9 }, b: { acc: 0.9 } }),
      AT,
    )!;
    expect(r.lock.datasets.d).toEqual({ version: '1' });
    expect(r.lock.workflows.w).toBeUndefined();
    expect(r.history.rejected.workflows).toEqual(['w']);
  });

  it("pins a passing workflow's nodes at the versions it ran with, needs sorted, and its score", () => {
    const m = updated();
    m.workflows[0]!.nodes[1]!.needs = ['zz', 'na'];
    const r = accept(
      OLD,
      m,
      report('pass', { a: 'pass', b: 'pass' }, { w: ['pass', 0.9] }, m),
      values({ a: { acc: 0.9 }, b: { acc: 0.9 } }),
      AT,
    )!;
    expect(r.lock.workflows.w).toEqual({
      version: '1',
      threshold: 0.5,
      score: 0.9,
      nodes: {
        na: { model: 'a', model_version: '2', dataset: 'd', dataset_version: '2', weight: 1, metric: 'acc', score: 0.9, needs: [] },
        nb: {
          model: 'b',
          model_version: '2',
          dataset: 'd',
          dataset_version: '2',
          weight: 1,
          metric: 'acc',
          score: 0.9,
          needs: ['na', 'zz'],
        },
      },
    });
    expect(r.history.accepted.workflows).toEqual({ w: { version: '1', score: 0.9, threshold: 0.5 } });
  });

  it('drops what is no longer declared, counts the evaluation, and leaves the old lock as it was', () => {
    const m = updated();
    const before = JSON.stringify(OLD);
    const r = accept(
      OLD,
      m,
      report('pass', { a: 'pass', b: 'pass' }, { w: ['pass', 0.9] }, m),
      values({ a: { acc: 0.9 }, b: { acc: 0.9 } }),
      AT,
    )!;
    expect(Object.keys(r.lock.datasets)).toEqual(['d']);
    expect(r.lock.evaluations).toBe(3);
    expect(r.lock.fingerprint).toBe(FP);
    expect(r.history).toMatchObject({ sequence: 3, fingerprint: FP, at: AT, status: 'pass' });
    expect(r.historyFile).toBe(`history/000003-${'f'.repeat(12)}.json`);
    expect(JSON.stringify(OLD)).toBe(before);
  });

  it('returns null when the result would be the lock it was given: accepting twice changes nothing', () => {
    const m = updated();
    const rep = report('pass', { a: 'pass', b: 'pass' }, { w: ['pass', 0.9] }, m);
    const vals = values({ a: { acc: 0.9 }, b: { acc: 0.9 } });
    const first = accept(OLD, m, rep, vals, AT)!;
    expect(accept(first.lock, m, rep, vals, AT)).toBeNull();
  });

  it('records the metric file of what it accepts, so a later change of its bytes at the same version is seen', () => {
    const m = updated();
    const files = new Map([['a', { path: 'results/a.json', blob: '1'.repeat(40) }]]);
    const r = accept(OLD, m, report('fail', { a: 'pass', b: 'fail' }, {}, m), values({ a: { acc: 0.9 } }), AT, files)!;
    expect(r.lock.models.a!.metric_file).toEqual({ path: 'results/a.json', blob: '1'.repeat(40) });
  });
});
