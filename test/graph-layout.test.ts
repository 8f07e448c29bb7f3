import { describe, expect, it } from 'vitest';
import { COLUMN_GAP, layoutLayers, MARGIN, ROW_GAP } from '../src/core/site/graph-layout.ts';

describe('graph layout', () => {
  it('puts layers in columns and orders each column by the rows of its placed neighbours', () => {
    const nodes = [
      { key: 'dataset:b', layer: 0 },
      { key: 'dataset:a', layer: 0 },
      // m2 hangs off a (row 0), m1 off b (row 1): barycentre puts m2 first although its key sorts second.
      { key: 'model:m1', layer: 1 },
      { key: 'model:m2', layer: 1 },
      { key: 'model:lonely', layer: 1 },
      { key: 'node:w/s', layer: 3 },
    ];
    const edges = [
      { from: 'dataset:a', to: 'model:m2' },
      { from: 'dataset:b', to: 'model:m1' },
      { from: 'model:m1', to: 'node:w/s' },
    ];
    const pos = layoutLayers(nodes, edges);
    expect(pos.get('dataset:a')).toEqual({ x: MARGIN, y: MARGIN });
    expect(pos.get('dataset:b')).toEqual({ x: MARGIN, y: MARGIN + ROW_GAP });
    expect(pos.get('model:m2')!.y).toBe(MARGIN);
    expect(pos.get('model:m1')!.y).toBe(MARGIN + ROW_GAP);
    // Without placed neighbours a node goes last.
    expect(pos.get('model:lonely')!.y).toBe(MARGIN + 2 * ROW_GAP);
    expect(pos.get('node:w/s')).toEqual({ x: MARGIN + 3 * COLUMN_GAP, y: MARGIN });
  });

  it('does not depend on the order nodes and edges arrive in', () => {
    const nodes = Array.from({ length: 60 }, (_, i) => ({ key: `k${String(i).padStart(2, '0')}`, layer: i % 3 }));
    const edges = nodes.slice(1).map((n, i) => ({ from: nodes[(i * 7) % 60]!.key, to: n.key }));
    const a = layoutLayers(nodes, edges);
    const b = layoutLayers([...nodes].reverse(), [...edges].reverse());
    expect(Object.fromEntries(b)).toEqual(Object.fromEntries(a));
    expect(a.size).toBe(60);
  });
});
