import { describe, expect, it } from 'vitest';
import { parseMetrics } from '../src/core/input/metrics.ts';

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
    ['acc: 1\n', 'm.txt', 'neither JSON, YAML nor CSV'],
    ['a: &x 1\nb: *x\n', 'm.yaml', 'not allowed'],
  ])('refuses %j (%s)', (text, file, message) => {
    const r = parseMetrics(text, file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toContain(message);
  });
});
