// What a change leaves as its base declares it: pure, manifests and metric files in, pending ids out.
import { describe, expect, it } from 'vitest';
import { parseCondition } from '../src/core/input/condition.ts';
import type { Manifests, MetricFile } from '../src/core/types.ts';
import { EMPTY_LOCK } from '../src/core/types.ts';
import { pendingOnBase } from '../src/core/verdict/change-scope.ts';

const gate = (t: string) => {
  const r = parseCondition(t);
  if (!r.ok) throw new Error(t);
  return r.condition;
};
const manifests = (): Manifests => ({
  datasets: [
    { id: 'd', version: '1', meta: {}, file: 'lineage/datasets/d.yaml' },
    { id: 'e', version: '1', meta: {}, file: 'lineage/datasets/e.yaml' },
  ],
  models: [
    {
      id: 'm',
      version: '1',
      description: 'm',
      datasets: { d: '1' },
      metrics: 'r/m.json',
      gate: [gate('auc >= 0.8')],
      on_missing_baseline: 'skip',
      file: 'x',
    },
    { id: 'n', version: '1', description: 'n', datasets: { e: '1' }, gate: [], on_missing_baseline: 'skip', file: 'y' },
  ],
  workflows: [
    {
      id: 'w',
      version: '1',
      threshold: 0.5,
      nodes: [{ id: 'a', model: 'm', dataset: 'd', weight: 1, metric: 'auc', needs: [] }],
      file: 'z',
    },
    {
      id: 'v',
      version: '1',
      threshold: 0.5,
      nodes: [{ id: 'b', model: 'n', dataset: 'e', weight: 1, metric: 'auc', needs: [] }],
      file: 'z2',
    },
  ],
});
const files = (blob = 'a'.repeat(40)) => new Map<string, MetricFile>([['m', { path: '../r/m.json', blob }]]);
const pending = (head: Manifests, base: Manifests, headFiles = files(), baseFiles = files()) => {
  const p = pendingOnBase({ manifests: head, metricFiles: headFiles }, { manifests: base, metricFiles: baseFiles }, EMPTY_LOCK);
  return { datasets: [...p.datasets].sort(), models: [...p.models].sort(), workflows: [...p.workflows].sort() };
};

describe('pendingOnBase', () => {
  it('is everything when nothing changed, and ignores prose', () => {
    const head = manifests();
    head.models[0]!.description = 'reworded';
    head.models[0]!.file = 'moved.yaml';
    expect(pending(head, manifests())).toEqual({ datasets: ['d', 'e'], models: ['m', 'n'], workflows: ['v', 'w'] });
  });

  it("takes a model, and the workflows it feeds, as the change's when its metric file's bytes differ", () => {
    expect(pending(manifests(), manifests(), files('b'.repeat(40)))).toEqual({ datasets: ['d', 'e'], models: ['n'], workflows: ['v'] });
  });

  it("takes what is trained on or reads a changed dataset as the change's", () => {
    const head = manifests();
    head.datasets[0]!.version = '2';
    expect(pending(head, manifests())).toEqual({ datasets: ['e'], models: ['n'], workflows: ['v'] });
  });

  it("takes a workflow as the change's when its own declaration differs, not its neighbours", () => {
    const head = manifests();
    head.workflows[0]!.threshold = 0.6;
    expect(pending(head, manifests())).toEqual({ datasets: ['d', 'e'], models: ['m', 'n'], workflows: ['v'] });
  });

  it("takes what is new as the change's", () => {
    const base = manifests();
    base.models.pop();
    base.workflows.pop();
    expect(pending(manifests(), base)).toEqual({ datasets: ['d', 'e'], models: ['m'], workflows: ['w'] });
  });
});
