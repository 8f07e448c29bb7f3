import { describe, expect, it } from 'vitest';
import { rng } from '../bench/generate.ts';
import { ARROW_GAP, type Box, isotonic, type Layout, layoutGraph } from '../src/core/site/graph-layout.ts';

/** Points along an edge's waypoints: straight between lane entry and exit, and a dense sample of each gap's curve. */
function samples(layout: Layout): { from: string; to: string; pts: { x: number; y: number }[] }[] {
  return layout.edges.map((e) => {
    const pts: { x: number; y: number }[] = [];
    for (let i = 1; i < e.points.length; i++) {
      const a = e.points[i - 1]!;
      const b = e.points[i]!;
      for (let t = 0; t <= 1; t += 0.02) {
        // Inside a gap the cubic's x runs from a.x to b.x and its y from a.y to b.y: both stay between the ends.
        const s = i % 2 === 1 ? t * t * (3 - 2 * t) : t;
        pts.push({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * s });
      }
    }
    return { from: e.from, to: e.to, pts };
  });
}
const inside = (p: { x: number; y: number }, b: Box) =>
  p.x > b.x + 0.5 && p.x < b.x + b.w - 0.5 && p.y > b.y + 0.5 && p.y < b.y + b.h - 0.5;

/** Every edge avoids the inside of every box but its own two ends'; returns the offences. */
function offences(layout: Layout): string[] {
  const out: string[] = [];
  for (const e of samples(layout))
    for (const [key, box] of layout.boxes)
      if (key !== e.from && key !== e.to && e.pts.some((p) => inside(p, box))) out.push(`${e.from} → ${e.to} crosses ${key}`);
  return out;
}
const overlapping = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** A random lineage-shaped graph: datasets, models trained on them, workflow nodes that run them and need each other. */
function randomGraph(seed: number, size: number) {
  const r = rng(seed);
  const nodes: { key: string; layer: number }[] = [];
  const edges: { from: string; to: string }[] = [];
  const ds = Array.from({ length: size }, (_, i) => `dataset:d${i}`);
  const ms = Array.from({ length: size * 2 }, (_, i) => `model:m${i}`);
  for (const d of ds) nodes.push({ key: d, layer: 0 });
  for (const m of ms) {
    nodes.push({ key: m, layer: 1 });
    edges.push({ from: ds[Math.floor(r() * ds.length)]!, to: m });
  }
  const steps: { key: string; layer: number }[] = [];
  for (let i = 0; i < size * 2; i++) {
    const needs = steps.filter(() => r() < 0.15).slice(0, 3);
    const layer = 2 + Math.max(-1, ...needs.map((n) => n.layer - 2)) + 1;
    const key = `node:w/s${i}`;
    steps.push({ key, layer });
    nodes.push({ key, layer });
    edges.push({ from: ms[Math.floor(r() * ms.length)]!, to: key }, { from: ds[Math.floor(r() * ds.length)]!, to: key });
    for (const n of needs) edges.push({ from: n.key, to: key });
  }
  return { nodes, edges };
}

describe('graph layout', () => {
  it('routes an edge that skips a layer through its own lane, not behind the node in between', () => {
    // The example's false chain: mol_physchem → solubility drawn straight ran behind "physchem".
    const nodes = [
      { key: 'dataset:ds', layer: 0 },
      { key: 'model:physchem', layer: 1 },
      { key: 'node:w/physchem', layer: 2 },
      { key: 'node:w/solubility', layer: 3 },
    ];
    const edges = [
      { from: 'dataset:ds', to: 'model:physchem' },
      { from: 'model:physchem', to: 'node:w/physchem' },
      { from: 'model:physchem', to: 'node:w/solubility' },
      { from: 'node:w/physchem', to: 'node:w/solubility' },
    ];
    const layout = layoutGraph(nodes, edges);
    expect(offences(layout)).toEqual([]);
    const long = layout.edges.find((e) => e.to === 'node:w/solubility' && e.from === 'model:physchem')!;
    // Source port, lane entry and exit in the column it skips, target port.
    expect(long.points).toHaveLength(4);
    expect(layout.rows.has('model:physchem>node:w/solubility#2')).toBe(true);
    // Edges end at the left side of their target, coming from the left: arrowheads point downstream.
    for (const e of layout.edges) {
      const b = layout.boxes.get(e.to)!;
      const [p, q] = e.points.slice(-2) as [{ x: number; y: number }, { x: number; y: number }];
      expect(q.x).toBe(b.x - ARROW_GAP);
      expect(p.x).toBeLessThan(q.x);
      expect(q.y).toBeGreaterThan(b.y);
      expect(q.y).toBeLessThan(b.y + b.h);
    }
  });

  it('never passes an edge through a box it does not connect, and never overlaps two boxes, on random graphs', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const g = randomGraph(seed, 3 + (seed % 8));
      const layout = layoutGraph(g.nodes, g.edges);
      expect(layout.skipped).toEqual([]);
      expect(offences(layout), `seed ${seed}`).toEqual([]);
      const boxes = [...layout.boxes.values()];
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) expect(overlapping(boxes[i]!, boxes[j]!)).toBe(false);
      expect(layout.edges).toHaveLength(new Set(g.edges.map((e) => `${e.from}>${e.to}`)).size);
    }
  });

  it('gives every edge into a box its own port, a label row apart, with the label inside the box height', () => {
    const nodes = [...Array.from({ length: 6 }, (_, i) => ({ key: `model:m${i}`, layer: 1 })), { key: 'node:w/all', layer: 2 }];
    const edges = nodes.slice(0, 6).map((n) => ({ from: n.key, to: 'node:w/all' }));
    const layout = layoutGraph(nodes, edges);
    const target = layout.boxes.get('node:w/all')!;
    const ports = layout.edges.map((e) => e.points.at(-1)!.y).sort((a, b) => a - b);
    for (let i = 1; i < ports.length; i++) expect(ports[i]! - ports[i - 1]!).toBeGreaterThanOrEqual(14);
    for (const e of layout.edges) {
      expect(e.label.y - 10).toBeGreaterThanOrEqual(target.y);
      expect(e.label.x).toBeLessThan(target.x);
    }
    // The edges arrive in the order of their sources: no two cross at the door.
    const bySource = layout.edges.map((e) => [layout.boxes.get(e.from)!.y, e.points.at(-1)!.y]).sort((a, b) => a[0]! - b[0]!);
    for (let i = 1; i < bySource.length; i++) expect(bySource[i]![1]!).toBeGreaterThan(bySource[i - 1]![1]!);
  });

  it('has no crossings where none are needed, and keeps empty layers from leaving gaps', () => {
    // Two chains given in an order that crosses if kept: the sweeps uncross them.
    const nodes = [
      { key: 'dataset:a', layer: 0 },
      { key: 'dataset:b', layer: 0 },
      { key: 'model:x', layer: 1 },
      { key: 'model:y', layer: 1 },
      { key: 'node:w/far', layer: 7 },
    ];
    const edges = [
      { from: 'dataset:a', to: 'model:y' },
      { from: 'dataset:b', to: 'model:x' },
      { from: 'model:y', to: 'node:w/far' },
    ];
    const layout = layoutGraph(nodes, edges);
    const y = (k: string) => layout.boxes.get(k)!.y;
    expect(Math.sign(y('dataset:a') - y('dataset:b'))).toBe(Math.sign(y('model:y') - y('model:x')));
    // Layer 7 is the third column, not the eighth.
    expect(layout.boxes.get('node:w/far')!.x).toBe(layout.boxes.get('model:x')!.x * 2 - layout.boxes.get('dataset:a')!.x);
  });

  it('keeps what was placed where it was when the view grows', () => {
    const g = randomGraph(7, 6);
    const half = new Set(g.nodes.filter((_, i) => i % 2 === 0).map((n) => n.key));
    const first = layoutGraph(
      g.nodes.filter((n) => half.has(n.key)),
      g.edges.filter((e) => half.has(e.from) && half.has(e.to)),
    );
    const second = layoutGraph(g.nodes, g.edges, { previous: first.rows });
    const column = (l: Layout, key: string) => [...l.boxes].filter(([, b]) => b.x === l.boxes.get(key)!.x);
    for (const key of half) {
      // Same column, and the same order among the nodes that were there before.
      const before = column(first, key).map(([k]) => k);
      const after = column(second, key)
        .filter(([k]) => half.has(k))
        .sort((a, b) => a[1].y - b[1].y)
        .map(([k]) => k);
      expect(after).toEqual(before.sort((a, b) => first.boxes.get(a)!.y - first.boxes.get(b)!.y));
    }
    expect(offences(second)).toEqual([]);
  });

  it('does not depend on the order nodes and edges arrive in', () => {
    const g = randomGraph(3, 8);
    const a = layoutGraph(g.nodes, g.edges);
    const b = layoutGraph([...g.nodes].reverse(), [...g.edges].reverse());
    expect(Object.fromEntries(b.boxes)).toEqual(Object.fromEntries(a.boxes));
    expect(b.edges).toEqual(a.edges);
  });

  it('leaves out an edge that does not point to a later layer instead of drawing it backwards', () => {
    const layout = layoutGraph(
      [
        { key: 'model:a', layer: 1 },
        { key: 'dataset:b', layer: 0 },
      ],
      [{ from: 'model:a', to: 'dataset:b' }],
    );
    expect(layout.edges).toEqual([]);
    expect(layout.skipped).toEqual([{ from: 'model:a', to: 'dataset:b' }]);
  });

  it('fits a non-decreasing sequence by weighted least squares', () => {
    expect(isotonic([1, 3, 2, 4], [1, 1, 1, 1])).toEqual([1, 2.5, 2.5, 4]);
    expect(isotonic([5, 1], [3, 1])).toEqual([4, 4]);
    expect(isotonic([], [])).toEqual([]);
  });
});
