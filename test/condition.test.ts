import { describe, expect, it } from 'vitest';
import { parseCondition } from '../src/core/input/condition.ts';

describe('parseCondition', () => {
  it.each([
    ['test.auc >= 0.85', { metric: 'test.auc', op: '>=', rhs: { kind: 'number', value: 0.85 } }, 'test.auc >= 0.85'],
    ['rmse<=baseline*1.05', { metric: 'rmse', op: '<=', rhs: { kind: 'baseline', arith: '*', n: 1.05 } }, 'rmse <= baseline * 1.05'],
    ['  acc > baseline - 0.02 ', { metric: 'acc', op: '>', rhs: { kind: 'baseline', arith: '-', n: 0.02 } }, 'acc > baseline - 0.02'],
    ['f1 != baseline', { metric: 'f1', op: '!=', rhs: { kind: 'baseline', arith: null, n: 0 } }, 'f1 != baseline'],
    ['loss < -1e-3', { metric: 'loss', op: '<', rhs: { kind: 'number', value: -0.001 } }, 'loss < -0.001'],
    ['val/auc-roc == 1', { metric: 'val/auc-roc', op: '==', rhs: { kind: 'number', value: 1 } }, 'val/auc-roc == 1'],
    ['x >= baseline + 0.5', { metric: 'x', op: '>=', rhs: { kind: 'baseline', arith: '+', n: 0.5 } }, 'x >= baseline + 0.5'],
  ])('parses %j into a tree with a canonical text', (src, expected, text) => {
    const r = parseCondition(src);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.condition).toMatchObject(expected);
      expect(r.condition.text).toBe(text);
    }
  });

  it.each([
    ['acc', 'expected one of'],
    ['>= 0.8', 'must start with a metric name'],
    ['acc >= ', 'expected a number or "baseline"'],
    ['acc >= 0.8; DROP TABLE model', 'unexpected text'],
    ['acc >= 0 OR 1=1 --', 'unexpected text'],
    ['acc >= (SELECT max(value) FROM metric)', 'expected a number'],
    ['acc >= baseline / 2', 'unexpected text'],
    ['acc >= baseline - x', 'expected a number after "baseline -"'],
    ['acc >= 1e999', 'expected a number'],
    ['acc >= NaN', 'expected a number'],
    ["acc' >= 1", 'expected one of'],
    ['acc >= 0.8 && process.exit()', 'unexpected text'],
    [`${'a'.repeat(201)} >= 1`, 'longer than 200'],
  ])('rejects %j', (src, message) => {
    const r = parseCondition(src);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(message);
      expect(r.column).toBeGreaterThan(0);
    }
  });
});
