// The fast reader against the hardened one: generated tricky YAML and JSON, the bench generator's repository and the
// example must give identical values, lines and errors, and the manifests users write must take the fast path.
// LINEAGE_GATE_FUZZ_RUNS=N runs N generated documents of each kind (default 10,000) with a seed from
// LINEAGE_GATE_FUZZ_SEED (default fixed).
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { applyChange, generate, SIZES } from '../bench/generate.ts';
import { parseDocument } from '../src/core/input/document.ts';
import { readFastJson, readFastYaml } from '../src/core/input/fast-yaml.ts';
import { compareReaders } from './helpers/same-document.ts';
import { jsonDocument, yamlDocument } from './helpers/yaml-corpus.ts';

const RUNS = Number(process.env.LINEAGE_GATE_FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.LINEAGE_GATE_FUZZ_SEED ?? 20261202);

function fuzz(arb: fc.Arbitrary<string>, format: 'yaml' | 'json') {
  let fast = 0;
  let runs = 0;
  fc.assert(
    fc.property(arb, (text) => {
      const c = compareReaders(text, 'f.yaml', format);
      runs++;
      if (c.fast) fast++;
      if (c.difference) throw new Error(`${c.difference}\n--- text ---\n${text}`);
    }),
    { numRuns: RUNS, seed: SEED },
  );
  return { fast, runs };
}

describe('the fast reader gives what the hardened reader gives', () => {
  it(`on ${RUNS} generated YAML documents, a good share of them read fast`, () => {
    const { fast, runs } = fuzz(yamlDocument, 'yaml');
    expect(runs).toBe(RUNS);
    // Both paths must be exercised, or the comparison says little.
    expect(fast).toBeGreaterThan(runs * 0.15);
    expect(fast).toBeLessThan(runs * 0.9);
  });

  it(`on ${RUNS} generated JSON documents, a good share of them read fast`, () => {
    const { fast, runs } = fuzz(jsonDocument, 'json');
    expect(fast).toBeGreaterThan(runs * 0.25);
    expect(fast).toBeLessThan(runs * 0.95);
  });

  const tmp = path.join(os.tmpdir(), `lineage-gate-fast-yaml-${process.pid}`);
  afterAll(() => void import('node:fs').then((fs) => fs.rmSync(tmp, { recursive: true, force: true })));

  it("on every file of the bench generator's repository and of the example, all of them read fast", () => {
    const g = generate(tmp, SIZES.S);
    applyChange(g, SIZES.S, 'one-percent');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ya?ml|json|dvc)$|^dvc\.lock$/.test(e.name)) files.push(p);
      }
    };
    walk(tmp);
    walk(path.resolve('examples'));
    expect(files.length).toBeGreaterThan(600);
    const slow: string[] = [];
    for (const f of files) {
      const c = compareReaders(readFileSync(f, 'utf8'), f, f.endsWith('.json') ? 'json' : 'yaml');
      expect(c.difference, f).toBeNull();
      if (!c.fast) slow.push(f);
    }
    expect(slow).toEqual([]);
  });
});

describe('what the fast reader leaves to the hardened reader, which refuses it', () => {
  // Each of these is a way to slip something past a reader that only looks at the surface of the text.
  const refused: [string, string, RegExp, number][] = [
    ['an alias', 'a: &x 1\nb: *x\n', /anchors|aliases/, 1],
    ['an anchor on a mapping', 'a: &x\n  b: 1\n', /anchors/, 2],
    ['an explicit tag', 'id: !!str 5\n', /explicit tags/, 1],
    ['a custom tag in a flow sequence', 'gate: [!x "a"]\n', /explicit tags/, 1],
    ['a %YAML 1.1 directive, where yes is true', '%YAML 1.1\n---\nflag: yes\n', /directives/, 1],
    ['a duplicate key', 'id: a\nversion: "1"\nid: b\n', /unique/, 3],
    ['a duplicate key written once quoted', 'id: a\n"id": b\n', /unique/, 2],
    ['a duplicate key written once single-quoted', "meta:\n  x: 1\n  'x': 2\n", /unique/, 3],
    ['a number key and its string twin', '1: a\n"1": b\n', /unique/, 2],
    ['a duplicate key in a flow mapping', 'datasets: {ds: "1", "ds": "2"}\n', /unique/, 1],
    ['a duplicate key spelled with an escape', 'a: 1\n"\\x61": 2\n', /unique/, 2],
    ['a __proto__ key', 'meta:\n  __proto__:\n    polluted: true\n', /__proto__/, 2],
    ['a quoted __proto__ key in a flow mapping', 'meta: {"__proto__": {polluted: true}}\n', /__proto__/, 1],
    ['a second document', 'id: a\n---\nid: b\n', /exactly one document/, 2],
  ];
  for (const [what, text, message, line] of refused) {
    it(`${what}: refused with its line`, () => {
      expect(readFastYaml(text)).toBeNull();
      const r = parseDocument(text, 'f.yaml', 'yaml');
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.problems).toContainEqual(expect.objectContaining({ file: 'f.yaml', line, message: expect.stringMatching(message) }));
    });
  }

  it('JSON: a key repeated through a \\u escape, and __proto__, are refused', () => {
    for (const text of ['{"a": 1, "\\u0061": 2}', '{"__proto__": {"polluted": true}}', '{"a": 1,\n "a": 2}']) {
      expect(readFastJson(text)).toBeNull();
      expect(parseDocument(text, 'f.json', 'json').ok).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads the YAML 1.2 core schema exactly: 1.1 booleans and octals stay strings, 1.2 numbers are numbers', () => {
    const r = readFastYaml(
      'a: yes\nb: on\nc: 010\nd: 0o10\ne: 0x1f\nf: 1_000\ng: .inf\nh: -.5\ni: 3.10\nj: "3.10"\nk: ~\nl: True\nm: 2021-04-21\n',
    );
    expect(r?.value).toEqual({
      a: 'yes',
      b: 'on',
      c: 10,
      d: 8,
      e: 31,
      f: '1_000',
      g: Infinity,
      h: -0.5,
      i: 3.1,
      j: '3.10',
      k: null,
      l: true,
      m: '2021-04-21',
    });
  });

  it('keeps lines exact: keys, items of block and flow sequences, block scalars', () => {
    const text =
      '# head\nid: a\ndescription: |\n  two\n  lines\nnodes:\n  - id: n1\n    weight: 1\n\n  - { id: n2, weight: 2 }\ngate: ["x >= 1",\n  "y"]\n';
    expect(readFastYaml(text)).toBeNull(); // a flow sequence over two lines is left to the hardened reader
    const one = text.replace('",\n  "y"]', '", "y"]');
    const r = readFastYaml(one)!;
    expect(r.value).toEqual({
      id: 'a',
      description: 'two\nlines\n',
      nodes: [
        { id: 'n1', weight: 1 },
        { id: 'n2', weight: 2 },
      ],
      gate: ['x >= 1', 'y'],
    });
    expect([r.lineAt([]), r.lineAt(['description']), r.lineAt(['nodes', 0, 'weight']), r.lineAt(['nodes', 1, 'weight'])]).toEqual([
      2, 3, 8, 10,
    ]);
    expect([r.lineAt(['gate', 1]), r.lineAt(['nodes', 5]), r.lineAt(['nodes', 'id'])]).toEqual([11, 6, 6]);
  });
});
