// Parsing on several threads gives exactly what one thread gives: entities, problems with their lines, and order.
import { describe, expect, it } from 'vitest';
import { PARALLEL_MIN_FILES, parseManifestsParallel, parseThreads } from '../src/adapters/parse-pool.ts';
import type { Kind, SourceFile } from '../src/core/input/manifests.ts';

function files(): { kind: Kind; file: SourceFile }[] {
  const out: { kind: Kind; file: SourceFile }[] = [];
  for (let i = 0; i < 120; i++) {
    const id = `ds_${String(i).padStart(3, '0')}`;
    // Every 17th dataset is broken in a different way: YAML syntax, an unknown field, a duplicate key.
    const text =
      i % 17 === 3
        ? `id: ${id}\nversion: [unclosed\n`
        : i % 17 === 9
          ? `id: ${id}\nversion: "1"\ncolour: red\n`
          : i % 17 === 12
            ? `id: ${id}\nversion: "1"\nversion: "2"\n`
            : `id: ${id}\nversion: "${i}.0"\ndescription: Assay panel ${i}\nmeta:\n  source: lab-${i % 5}\n`;
    out.push({ kind: 'dataset', file: { path: `lineage/datasets/${id}.yaml`, text } });
  }
  for (let i = 0; i < 200; i++) {
    const id = `model_${String(i).padStart(3, '0')}`;
    const gate = i % 23 === 5 ? 'auc >=' : 'test.auc >= 0.8';
    out.push({
      kind: 'model',
      file: {
        path: `lineage/models/${id}.yaml`,
        text: `id: ${id}\nversion: "2.${i}"\ndescription: Predicts property ${i}\ndatasets:\n  ds_${String(i % 120).padStart(3, '0')}: "${i % 120}.0"\nmetrics: ../metrics/${id}.json\ngate:\n  - "${gate}"\n`,
      },
    });
  }
  for (let i = 0; i < 20; i++) {
    const id = `wf_${i}`;
    out.push({
      kind: 'workflow',
      file: {
        path: `lineage/workflows/${id}.json`,
        text: JSON.stringify(
          {
            id,
            version: '1',
            threshold: 0.5,
            nodes: [
              {
                id: 'a',
                model: `model_${String(i).padStart(3, '0')}`,
                dataset: `ds_${String(i).padStart(3, '0')}`,
                weight: 1,
                metric: 'test.auc',
              },
            ],
          },
          null,
          2,
        ),
      },
    });
  }
  return out.sort((a, b) => (a.file.path < b.file.path ? -1 : 1));
}

describe('parsing on worker threads', () => {
  it('yields the same entities, problems, order and line lookups as one thread', async () => {
    const input = files();
    const one = await parseManifestsParallel(input, { workers: 0 });
    expect(one.problems.length).toBeGreaterThan(10);
    expect(one.models.length).toBeGreaterThan(150);
    for (const workers of [1, 2]) {
      const many = await parseManifestsParallel(input, { workers, fallback: false });
      expect(many.datasets).toEqual(one.datasets);
      expect(many.models).toEqual(one.models);
      expect(many.workflows).toEqual(one.workflows);
      expect(many.problems).toEqual(one.problems);
      expect([...many.lines.keys()]).toEqual([...one.lines.keys()]);
      for (const path of ['lineage/models/model_150.yaml', 'lineage/datasets/ds_100.yaml'])
        expect(many.lines.get(path)!(['version'])).toBe(one.lines.get(path)!(['version']));
    }
  });

  it('uses threads only for large repositories, unless told', () => {
    expect(parseThreads(100, {})).toBe(0);
    expect(parseThreads(PARALLEL_MIN_FILES, {})).toBeGreaterThanOrEqual(0);
    expect(parseThreads(100, { LINEAGE_GATE_PARSE_THREADS: '2' })).toBe(2);
    expect(parseThreads(1e6, { LINEAGE_GATE_PARSE_THREADS: '0' })).toBe(0);
    // Nonsense is ignored rather than trusted.
    expect(parseThreads(100, { LINEAGE_GATE_PARSE_THREADS: '-1; rm -rf /' })).toBe(0);
  });
});
