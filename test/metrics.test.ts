import { describe, expect, it } from 'vitest';
import { parseMetricFolder, parseMetrics } from '../src/core/input/metrics.ts';

const values = (text: string, file: string) => {
  const r = parseMetrics(text, file);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return Object.fromEntries([...r.metrics].map(([k, v]) => [k, v.value ?? v.invalid]));
};

describe('parseMetrics', () => {
  it('flattens nested JSON and YAML with dots; only finite numbers count', () => {
    expect(values('{"test": {"acc": 0.9, "n": "12"}, "loss": 0.1}', 'm.json')).toEqual({
      'test.acc': 0.9,
      'test.n': 'a string',
      loss: 0.1,
    });
    expect(values('test:\n  acc: .nan\n  auc: .inf\n  f1: -.inf\nok: 1\nlist: [1]\nnone: null\n', 'm.yaml')).toEqual({
      'test.acc': 'NaN',
      'test.auc': 'Infinity',
      'test.f1': '-Infinity',
      ok: 1,
      list: 'a list',
      none: 'null',
    });
  });

  it('keeps the line of each value', () => {
    const r = parseMetrics('a: 1\nb:\n  c: .nan\n', 'm.yml');
    expect(r.ok && r.metrics.get('b.c')).toEqual({ value: null, line: 3, invalid: 'NaN' });
  });

  it('reads long and wide CSV, with quotes and CRLF', () => {
    expect(values('metric,value\r\ntest.acc,0.9\r\n"f1, macro",0.5\r\nbad,NaN\r\n', 'm.csv')).toEqual({
      'test.acc': 0.9,
      'f1, macro': 0.5,
      bad: '"NaN"',
    });
    expect(values('acc,auc\n0.91,1e-2\n', 'm.csv')).toEqual({ acc: 0.91, auc: 0.01 });
    expect(values('acc,auc\n0.91,Infinity\n', 'm.csv')).toEqual({ acc: 0.91, auc: '"Infinity"' });
  });

  it.each([
    ['[1, 2]', 'm.json', 'holds an object'],
    ['acc,auc\n1,2\n3,4\n', 'm.csv', 'one header row and one data row'],
    ['acc,auc\n1\n', 'm.csv', 'the data row has 1 cells'],
    ['metric,value\n"acc,1\n', 'm.csv', 'never closed'],
    ['acc: 1\n', 'm.txt', 'neither JSON, YAML, TOML, CSV nor TSV'],
    ['{"acc": 1, "acc": 0.99}', 'm.json', 'appears twice'],
    ['{"__proto__": {"x": 1}}', 'm.json', '"__proto__" is not allowed'],
    ['{"acc": nan}', 'm.json', 'unexpected character "n"'],
    ['{"acc": 0.9,}', 'm.json', 'expected a string'],
    ['{"acc": 0.9} x', 'm.json', 'unexpected text after'],
    [`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, 'm.json', 'nesting deeper than 32'],
    ['acc = \n', 'm.toml', 'TOML syntax'],
    ['step\tacc\tauc\n0\t1\t2\n', 'm.tsv', "is not dvclive's"],
    ['acc\n1\n', 'm.tsv', "is not dvclive's"],
    ['step\tacc\n0\t1\t3\n', 'm.tsv', 'the last row has 3 cells'],
    ['a: &x 1\nb: *x\n', 'm.yaml', 'not allowed'],
  ])('refuses %j (%s)', (text, file, message) => {
    const r = parseMetrics(text, file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toContain(message);
  });

  it('reads JSON as Python writes it: NaN and Infinity are per-metric non-finite values with their line', () => {
    const text = '{\n  "loss": NaN,\n  "test": {\n    "acc": 0.80,\n    "big": Infinity,\n    "low": -Infinity\n  },\n  "ok": -1.5e-3\n}\n';
    const r = parseMetrics(text, 'metrics.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.fromEntries(r.metrics)).toEqual({
      loss: { value: null, line: 2, invalid: 'NaN' },
      'test.acc': { value: 0.8, line: 4, text: '0.80' },
      'test.big': { value: null, line: 5, invalid: 'Infinity' },
      'test.low': { value: null, line: 6, invalid: '-Infinity' },
      ok: { value: -0.0015, line: 8, text: '-1.5e-3' },
    });
  });

  it('keeps numbers as written in YAML and CSV, and refuses those a float would change', () => {
    const r = parseMetrics('acc: 0.80\np: 0.30000000000000001\nh: 0x10\n', 'm.yaml');
    expect(r.ok && Object.fromEntries(r.metrics)).toEqual({
      acc: { value: 0.8, line: 1, text: '0.80' },
      p: { value: null, line: 2, invalid: expect.stringContaining('the number 0.30000000000000001, which has more precision') },
      h: { value: 16, line: 3, text: '16' },
    });
    const c = parseMetrics('metric,value\nacc,0.850\n', 'm.csv');
    expect(c.ok && c.metrics.get('acc')).toEqual({ value: 0.85, line: 2, text: '0.850' });
  });

  it('reads TOML with lines and numbers as written', () => {
    const text =
      '# written by a tool\nacc = 0.80\n\n[test]\nauc = 0.9_1\nloss = nan\n"mAP50-95(B)" = 0.45\nname = "x"\nwhen = 2024-01-01\nbig = 123456789012345678901\n[train.inner]\nf1 = 1e-2\n';
    const r = parseMetrics(text, 'metrics.toml');
    if (!r.ok) throw new Error(r.problems[0]!.message);
    expect(Object.fromEntries(r.metrics)).toEqual({
      acc: { value: 0.8, line: 2, text: '0.80' },
      'test.auc': { value: 0.91, line: 5, text: '0.91' },
      'test.loss': { value: null, line: 6, invalid: 'NaN' },
      'test.mAP50-95(B)': { value: 0.45, line: 7, text: '0.45' },
      'test.name': { value: null, line: 8, invalid: 'a string' },
      'test.when': { value: null, line: 9, invalid: 'a date' },
      'test.big': { value: null, line: 10, invalid: expect.stringContaining('beyond what a 64-bit float holds') },
      'train.inner.f1': { value: 0.01, line: 12, text: '1e-2' },
    });
    const bad = parseMetrics('a = 1\nb = = 2\n', 'm.toml');
    expect(!bad.ok && bad.problems[0]).toMatchObject({ file: 'm.toml', line: 2 });
  });

  it("reads dvclive's TSV: the last row is the metric; nan and inf are non-finite", () => {
    const r = parseMetrics('step\tloss\ttimestamp\n0\t0.9\t1700000000000\n1\t0.45\t1700000001000\n', 'loss.tsv');
    expect(r.ok && Object.fromEntries(r.metrics)).toEqual({ loss: { value: 0.45, line: 3, text: '0.45' } });
    const old = parseMetrics('timestamp\tstep\tacc\n1\t0\t0.5\n2\t1\tnan\n', 'acc.tsv');
    expect(old.ok && Object.fromEntries(old.metrics)).toEqual({ acc: { value: null, line: 3, invalid: 'NaN' } });
    const empty = parseMetrics('step\tacc\n', 'acc.tsv');
    expect(empty.ok && empty.metrics.get('acc')).toMatchObject({ value: null, invalid: 'no logged step' });
  });

  it('reads a folder of dvclive TSV files as one metric per file, named by its path below the folder', () => {
    const r = parseMetricFolder(
      [
        { path: 'dvclive/plots/metrics/train/loss.tsv', text: 'step\tloss\n0\t0.5\n1\t0.25\n' },
        { path: 'dvclive/plots/metrics/val/acc.tsv', text: 'step\tacc\n0\tinf\n' },
      ],
      'dvclive/plots/metrics',
    );
    expect(r.ok && Object.fromEntries(r.metrics)).toEqual({
      'train/loss': { value: 0.25, line: 3, text: '0.25', file: 'dvclive/plots/metrics/train/loss.tsv' },
      'val/acc': { value: null, line: 2, invalid: 'Infinity', file: 'dvclive/plots/metrics/val/acc.tsv' },
    });
    const none = parseMetricFolder([], 'empty');
    expect(!none.ok && none.problems[0]!.message).toContain('holds no *.tsv file');
  });
});
