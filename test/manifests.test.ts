// Manifest parsing and the cross-file checks as pure functions (core/input/manifests.ts), without DuckDB or files:
// text in, typed entities and located problems out.
import { describe, expect, it } from 'vitest';
import { type Kind, parseManifestsPlain, validateManifests, withLines } from '../src/core/input/manifests.ts';
import type { Dataset, Manifests, Model } from '../src/core/types.ts';

const file = (kind: Kind, path: string, text: string) => ({ kind, file: { path, text } });
const parse = (...files: ReturnType<typeof file>[]) => withLines(parseManifestsPlain(files), files);

describe('parseManifestsPlain', () => {
  it('turns each file into its entity, with paths resolved from the manifest and defaults filled in', () => {
    const p = parse(
      file('dataset', 'lineage/datasets/d.yaml', 'id: d\nversion: "3.10"\n'),
      file(
        'model',
        'lineage/models/m.yaml',
        'id: m\nversion: "1"\ndescription: x\ndatasets: { d: "3.10" }\nmetrics: ../../results/m.json\ngate: ["acc >= 0.5"]\n',
      ),
      file(
        'workflow',
        'lineage/workflows/w.json',
        '{"id":"w","version":"1","threshold":0.5,"nodes":[{"id":"n","model":"m","dataset":"d","weight":1,"metric":"acc"}]}',
      ),
    );
    expect(p.problems).toEqual([]);
    expect(p.datasets).toEqual([{ id: 'd', version: '3.10', meta: {}, file: 'lineage/datasets/d.yaml' }]);
    expect(p.models[0]).toMatchObject({
      id: 'm',
      version: '1',
      datasets: { d: '3.10' },
      metrics: 'results/m.json',
      on_missing_baseline: 'skip',
    });
    expect(p.models[0]!.gate.map((c) => [c.metric, c.op])).toEqual([['acc', '>=']]);
    expect(p.workflows[0]!.nodes[0]!.needs).toEqual([]);
    expect(p.lines.get('lineage/models/m.yaml')?.(['gate', 0])).toBe(6);
  });

  it('names the file, line and field of a schema violation, a bad condition and a path leaving the repository', () => {
    const p = parse(
      file('model', 'lineage/models/a.yaml', 'id: a\nversion: "1"\n'),
      file('model', 'lineage/models/b.yaml', 'id: b\nversion: "1"\ndescription: x\ngate:\n  - "acc >=> 1"\n'),
      file('model', 'lineage/models/c.yaml', 'id: c\nversion: "1"\ndescription: x\nmetrics: ../../../../etc/passwd\n'),
    );
    expect(p.problems.map((e) => [e.file, e.line, e.field])).toEqual([
      ['lineage/models/a.yaml', expect.any(Number), expect.anything()],
      ['lineage/models/b.yaml', 5, 'gate.0'],
      ['lineage/models/c.yaml', 4, 'metrics'],
    ]);
    expect(p.problems[1]!.message).toMatch(/^gate\.0: the condition "acc >=> 1" .* \(column \d+\)$/);
  });

  it('skips files that are not YAML or JSON, and refuses YAML aliases', () => {
    const p = parse(
      file('dataset', 'lineage/datasets/notes.md', '# not a manifest'),
      file('dataset', 'lineage/datasets/x.yaml', 'id: &a x\nversion: *a\n'),
    );
    expect(p.datasets).toEqual([]);
    expect([...new Set(p.problems.map((e) => e.file))]).toEqual(['lineage/datasets/x.yaml']);
  });
});

describe('validateManifests', () => {
  const ds = (id: string): Dataset => ({ id, version: '1', meta: {}, file: `lineage/datasets/${id}.yaml` });
  const model = (id: string, datasets: Record<string, string>): Model => ({
    id,
    version: '1',
    description: id,
    datasets,
    gate: [],
    on_missing_baseline: 'skip',
    file: `lineage/models/${id}.yaml`,
  });
  const none = new Map();

  it('accepts a consistent set', () => {
    const m: Manifests = {
      datasets: [ds('d')],
      models: [model('m', { d: '1' })],
      workflows: [
        {
          id: 'w',
          version: '1',
          threshold: 0.5,
          file: 'w.yaml',
          nodes: [{ id: 'n', model: 'm', dataset: 'd', weight: 1, metric: 'acc', needs: [] }],
        },
      ],
    };
    expect(validateManifests(m, none)).toEqual([]);
  });

  it('finds duplicates (by case too), unknown references, a cycle and weights that sum to zero', () => {
    const m: Manifests = {
      datasets: [ds('d'), { ...ds('d'), file: 'lineage/datasets/z.yaml' }],
      models: [model('m', { d: '1', nope: '1' }), { ...model('M', {}), file: 'lineage/models/n.yaml' }],
      workflows: [
        {
          id: 'w',
          version: '1',
          threshold: 0.5,
          file: 'w.yaml',
          nodes: [
            { id: 'a', model: 'm', dataset: 'd', weight: 0, metric: 'acc', needs: ['b'] },
            { id: 'b', model: 'x', dataset: 'd', weight: 0, metric: 'acc', needs: ['a'] },
          ],
        },
      ],
    };
    expect(validateManifests(m, none).map((e) => e.message)).toEqual([
      'dataset id "d" is already declared in lineage/datasets/d.yaml',
      'model id "M" differs only in case from "m" in lineage/models/m.yaml',
      'datasets: unknown dataset "nope"',
      'nodes.1.model: unknown model "x"; did you mean "M"?',
      'nodes form a cycle: a → b → a',
      'the node weights sum to zero',
    ]);
  });
});
