import { describe, expect, it } from 'vitest';
import {
  describeKey,
  encodeKey,
  type GraphEdge,
  type GraphNode,
  isGraphKey,
  type Neighbourhood,
  type PackedChunk,
  packChunk,
  readChunk,
  unpackChunk,
} from '../src/core/site/graph-chunk.ts';

const node = (key: string, extra: Partial<GraphNode> = {}): GraphNode => ({
  key,
  ...describeKey(key),
  version: '1',
  status: 'unchanged',
  stale: false,
  changed: false,
  layer: 0,
  chunk: 0,
  ...extra,
});

describe('graph chunks', () => {
  const ds = node('dataset:ds_mol_20210421', { version: '3.12_beta', changed: true, chunk: 4 });
  const model = node('model:wf_mol_property_0721', { version: '2.41_alpha', status: 'fail', stale: true, layer: 1, chunk: 4 });
  const other = node('model:m.2', { status: 'pass', layer: 1, chunk: 9 });
  const step = node('node:wf-a/step_01', { version: '7', status: 'pass', changed: true, layer: 3, chunk: 5 });
  const e = (from: GraphNode, to: GraphNode, kind: GraphEdge['kind'], fv: string, tv: string) => ({
    from: from.key,
    to: to.key,
    kind,
    from_version: fv,
    to_version: tv,
  });
  const hoods: Neighbourhood[] = [
    {
      node: ds,
      in: [],
      out: [
        { node: model, edge: e(ds, model, 'trained_on', '3.11', '2.41_alpha') },
        { node: other, edge: e(ds, other, 'trained_on', '3.12_beta', '1') },
      ],
      in_total: 0,
      out_total: 5,
    },
    {
      node: model,
      in: [{ node: ds, edge: e(ds, model, 'trained_on', '3.11', '2.41_alpha') }],
      out: [{ node: step, edge: e(model, step, 'runs', '2.41_alpha', '7') }],
      in_total: 1,
      out_total: 1,
    },
  ];

  it('round-trips neighbourhoods, statuses, flags, versions and edge kinds', () => {
    const packed = JSON.parse(JSON.stringify(packChunk(hoods))) as PackedChunk;
    expect(unpackChunk(packed)).toEqual(hoods);
  });

  it('reads one neighbourhood, or only its totals, without decoding the rest', () => {
    const reader = readChunk(JSON.parse(JSON.stringify(packChunk(hoods))) as PackedChunk);
    expect(reader.keys).toEqual([ds.key, model.key]);
    expect(reader.totals(ds.key)).toEqual({ in_total: 0, out_total: 5 });
    // Mentioned as a neighbour, but its own neighbourhood lives in another chunk.
    expect(reader.totals(step.key)).toBeUndefined();
    expect(reader.hood(step.key)).toBeUndefined();
    expect(reader.hood(model.key)).toEqual(hoods[1]);
  });

  it('stores each node once and refers to it by index', () => {
    const packed = packChunk(hoods);
    expect(packed.nodes.map((n) => n[0])).toEqual([ds.key, model.key, other.key, step.key]);
    expect(packed.hoods[1]).toEqual([1, 1, 1, [[0, 0, '3.11', '2.41_alpha']], [[3, 1, '2.41_alpha', '7']]]);
  });

  it('is a fraction of the size of the keyed objects it replaces', () => {
    const keyed = {
      nodes: Object.fromEntries([ds, model, other, step].map((n) => [n.key, n])),
      hoods: Object.fromEntries(
        hoods.map((h) => [
          h.node.key,
          {
            in: h.in.map((x) => [x.node.key, x.edge.kind, x.edge.from_version, x.edge.to_version]),
            out: h.out.map((x) => [x.node.key, x.edge.kind, x.edge.from_version, x.edge.to_version]),
            in_total: h.in_total,
            out_total: h.out_total,
          },
        ]),
      ),
    };
    expect(JSON.stringify(packChunk(hoods)).length).toBeLessThan(JSON.stringify(keyed).length / 2.5);
  });

  it('derives kind, id, label and second line from the key', () => {
    expect(describeKey('node:wf-a/step_01')).toEqual({ kind: 'node', id: 'wf-a/step_01', label: 'step_01', sub: 'node of wf-a' });
    expect(describeKey('model:m.2')).toEqual({ kind: 'model', id: 'm.2', label: 'm.2', sub: 'model' });
    expect(() => describeKey('workflow:w')).toThrow(/no known kind/);
    expect(encodeKey('node:wf-a/step_01')).toBe('node__wf-a~step_01');
  });

  it('knows what can be a key before anything is fetched for it', () => {
    for (const ok of ['dataset:ds_mol_20210421', 'model:m.2', 'node:wf-a/step_01']) expect(isGraphKey(ok)).toBe(true);
    for (const bad of [
      '',
      'model:',
      'model:../x',
      'dataset:a/b',
      'node:wf',
      'node:wf/a/b',
      'workflow:w',
      'model:x?y',
      'model:-x',
      `model:${'a'.repeat(129)}`,
      ' model:m',
    ])
      expect(isGraphKey(bad)).toBe(false);
  });

  it('refuses what it cannot pack or unpack instead of guessing', () => {
    expect(() => packChunk([{ ...hoods[1]!, out: [{ node: step, edge: { ...hoods[1]!.out[0]!.edge, kind: 'feeds' as never } }] }])).toThrow(
      /edge kind "feeds"/,
    );
    expect(() => unpackChunk({ nodes: [['model:m', '1', 1, 0, 0]], hoods: [[0, 1, 0, [[3, 0, '1', '1']], []]] })).toThrow(
      /node 3, beyond its 1 nodes/,
    );
    expect(() => unpackChunk({ nodes: [['model:m', '1', 1, 0, 0]], hoods: [[0, 1, 0, [[0, 9, '1', '1']], []]] })).toThrow(/unknown kind 9/);
  });
});
