// The words for what differs between a lock (or history record) a change carries and the one it should be.
import { describe, expect, it } from 'vitest';
import { historyDifferences, lockDifferences } from '../src/core/lock/integrity.ts';
import type { Lock } from '../src/core/types.ts';

const lock = (): Lock => ({
  lock_version: 1,
  evaluations: 2,
  fingerprint: 'a'.repeat(64),
  datasets: { d: { version: '1' } },
  models: {
    m: {
      version: '1',
      datasets: { d: '1' },
      gate: ['auc >= baseline'],
      metrics: { auc: 0.9 },
      metric_file: { path: '../r/m.json', blob: 'b'.repeat(40) },
    },
  },
  workflows: {
    w: {
      version: '1',
      threshold: 0.8,
      score: 0.9,
      nodes: { n: { model: 'm', model_version: '1', dataset: 'd', dataset_version: '1', weight: 1, metric: 'auc', score: 0.9, needs: [] } },
    },
  },
});

describe('lockDifferences', () => {
  it('is empty for equal locks, whatever the key order', () => {
    const a = lock();
    const b = lock();
    const { version, ...rest } = b.models.m!;
    b.models = { m: { ...rest, version } };
    expect(lockDifferences(a, b)).toEqual([]);
  });

  it('names each difference with its path, in the order: the change, then what it should be', () => {
    const a = lock();
    a.models.m!.metrics.auc = 0.5;
    a.models.m!.metric_file!.blob = 'c'.repeat(40);
    a.workflows.w!.score = 0.95;
    a.workflows.w!.nodes.n!.metric = 'train.auc';
    a.datasets.extra = { version: '2' };
    delete (a.workflows.w!.nodes as Record<string, unknown>).n;
    a.workflows.w!.nodes.x = lock().workflows.w!.nodes.n!;
    expect(lockDifferences(a, lock(), 'the lock at main')).toEqual([
      { path: ['datasets', 'extra'], message: 'dataset extra has an accepted entry that the lock at main does not have' },
      { path: ['models', 'm', 'metrics', 'auc'], message: "m's accepted baseline auc differs from the lock at main: 0.5 vs 0.9" },
      {
        path: ['models', 'm', 'metric_file'],
        message: `m's recorded metric file differs from the lock at main: ../r/m.json@${'c'.repeat(40)} vs ../r/m.json@${'b'.repeat(40)}`,
      },
      { path: ['workflows', 'w', 'score'], message: "w's accepted score differs from the lock at main: 0.95 vs 0.9" },
      { path: ['workflows', 'w', 'nodes'], message: "w's node n pin is missing, but the lock at main has one" },
      { path: ['workflows', 'w', 'nodes'], message: "w's node x is pinned, but not in the lock at main" },
    ]);
  });

  it('names an entry the change dropped', () => {
    const a = lock();
    a.models = {};
    expect(lockDifferences(a, lock())).toEqual([
      { path: ['models'], message: "model m's accepted entry is missing, but what accept computes has one" },
    ]);
  });
});

describe('historyDifferences', () => {
  it('compares everything but the time', () => {
    const e = { sequence: 3, at: '2026-01-01T00:00:00.000Z', accepted: { models: { m: { version: '1', metrics: { auc: 0.9 } } } } };
    expect(historyDifferences({ ...e, at: '2030-01-01T00:00:00.000Z' }, e)).toEqual([]);
    const forged = structuredClone(e);
    forged.accepted.models.m.metrics.auc = 0.99;
    expect(historyDifferences(forged, e)).toEqual([
      {
        path: ['accepted', 'models', 'm', 'metrics', 'auc'],
        message: 'accepted.models.m.metrics.auc differs from the record accept writes: 0.99 vs 0.9',
      },
    ]);
  });
});
