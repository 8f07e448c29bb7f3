import { describe, expect, it } from 'vitest';
import { encodeKey, type PackedChunk, unpackChunk } from '../src/core/site/graph-chunk.ts';
import { shardOf, tokens } from '../src/core/site/search-index.ts';
import { buildSiteData, CHUNK_SIZE } from '../src/core/site/site-data.ts';
import type { Edge, Manifests, Report } from '../src/core/types.ts';
import { EMPTY_LOCK } from '../src/core/types.ts';

/** A chain of 200 models, each trained on its own dataset and the next one's: neighbours are adjacent in the chain. */
function chain(n = 200) {
  const m: Manifests = { datasets: [], models: [], workflows: [] };
  const edges: Edge[] = [];
  for (let i = 0; i < n; i++) m.datasets.push({ id: `d${String(i).padStart(3, '0')}`, version: '1', meta: {}, file: 'x' });
  for (let i = 0; i < n; i++) {
    const ds = [m.datasets[i]!.id, m.datasets[(i + 1) % n]!.id];
    m.models.push({
      id: `m${String(i).padStart(3, '0')}`,
      version: '1',
      description: 'd',
      datasets: Object.fromEntries(ds.map((d) => [d, '1'])),
      gate: [],
      on_missing_baseline: 'skip',
      file: 'x',
    });
    for (const d of ds)
      edges.push({
        kind: 'trained_on',
        src_kind: 'dataset',
        src: d,
        src_version: '1',
        dst_kind: 'model',
        dst: m.models[i]!.id,
        dst_version: '1',
      });
  }
  const report = {
    status: 'noop',
    fingerprint: 'f'.repeat(64),
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
    weakened: [],
    removed: [],
    workflows: [],
    models: m.models.map((x) => ({
      id: x.id,
      version: '1',
      accepted_version: '1',
      status: 'unchanged',
      changed: false,
      stale: false,
      reasons: [],
      conditions: [],
      datasets: [],
      file: 'x',
    })),
    report_version: 1,
  } as unknown as Report;
  return buildSiteData({ report, manifests: m, lock: EMPTY_LOCK, history: [], edges }).files;
}

describe('site data', () => {
  it('puts every neighbourhood in the chunk its locator names, and neighbours mostly in the same chunk', () => {
    const files = chain();
    const chunks = [...files].filter(([f]) => /^graph\/c\d+\.json$/.test(f)).map(([, v]) => unpackChunk(v as PackedChunk));
    expect(chunks.every((c) => c.length <= CHUNK_SIZE)).toBe(true);
    expect(chunks.flat()).toHaveLength(400);
    let together = 0;
    let total = 0;
    for (const c of chunks) {
      for (const hood of c) {
        const locator = files.get(`graph/k/${encodeKey(hood.node.key)}.json`) as { chunk: number };
        expect(hood.node.chunk).toBe(locator.chunk);
        for (const { node } of [...hood.in, ...hood.out]) {
          total++;
          if (node.chunk === locator.chunk) together++;
        }
      }
    }
    // Breadth-first chunks keep most edges inside one file; random assignment would keep about 1 in 12 here.
    expect(together / total).toBeGreaterThan(0.8);
  });

  it('is deterministic', () => {
    expect(JSON.stringify([...chain()])).toBe(JSON.stringify([...chain()]));
  });

  it('tokenises for search the way the browser does, into safe shard names', () => {
    expect(tokens('Tox21 nuclear-receptor ds_mol_20210421')).toEqual(
      expect.arrayContaining(['tox21', 'nuclear-receptor', 'nuclear', 'receptor', 'ds_mol_20210421', 'mol']),
    );
    expect(shardOf('x')).toBe('x_');
    expect(shardOf('../')).toBe('__');
  });
});
