import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Condition, formatCondition, parseCondition } from '../src/core/input/condition.ts';
import { addDecimal, cmpDecimal, decimalOfFloat, exactNumber, formatDecimal, mulDecimal, parseDecimal } from '../src/core/input/decimal.ts';

const parsed = (src: string): Condition => {
  const r = parseCondition(src);
  if (!r.ok) throw new Error(`${src}: ${r.message}`);
  return r.condition;
};

describe('parseCondition', () => {
  it.each([
    ['test.auc >= 0.85', { metric: 'test.auc', op: '>=', rhs: { kind: 'number', n: '0.85' } }, 'test.auc >= 0.85'],
    ['test.auc >= 0.80', { rhs: { kind: 'number', n: '0.8' } }, 'test.auc >= 0.8'],
    [
      'rmse<=baseline*1.05',
      { metric: 'rmse', op: '<=', rhs: { kind: 'baseline', arith: '*', n: '1.05', percent: false } },
      'rmse <= baseline * 1.05',
    ],
    [
      '  acc > baseline - 0.02 ',
      { metric: 'acc', op: '>', rhs: { kind: 'baseline', arith: '-', n: '0.02', percent: false } },
      'acc > baseline - 0.02',
    ],
    ['f1 != baseline', { metric: 'f1', op: '!=', rhs: { kind: 'baseline', arith: null, n: '0', percent: false } }, 'f1 != baseline'],
    ['loss < -1e-3', { metric: 'loss', op: '<', rhs: { kind: 'number', n: '-0.001' } }, 'loss < -0.001'],
    ['val/auc-roc == 1', { metric: 'val/auc-roc', op: '==', rhs: { kind: 'number', n: '1' } }, 'val/auc-roc == 1'],
    ['x >= baseline + 0.5', { metric: 'x', op: '>=', rhs: { kind: 'baseline', arith: '+', n: '0.5' } }, 'x >= baseline + 0.5'],
    ['ll >= baseline - 5%', { metric: 'll', rhs: { kind: 'baseline', arith: '-', n: '5', percent: true } }, 'll >= baseline - 5%'],
    ['ll >= baseline + 2.5 %', { rhs: { kind: 'baseline', arith: '+', n: '2.5', percent: true } }, 'll >= baseline + 2.5%'],
    ['"metrics/mAP50-95(B)" >= 0.45', { metric: 'metrics/mAP50-95(B)', op: '>=' }, '"metrics/mAP50-95(B)" >= 0.45'],
    ['"plain" >= 1', { metric: 'plain' }, 'plain >= 1'],
    ['"a \\"b\\" \\\\ c" < 2', { metric: 'a "b" \\ c' }, '"a \\"b\\" \\\\ c" < 2'],
    ['x >= 1e21', { rhs: { kind: 'number', n: '1e+21' } }, 'x >= 1e+21'],
    ['x >= 0.0000001', { rhs: { kind: 'number', n: '1e-7' } }, 'x >= 1e-7'],
  ])('parses %j into a tree with a canonical text', (src, expected, text) => {
    const c = parsed(src);
    expect(c).toMatchObject(expected);
    expect(c.text).toBe(text);
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
    ['acc >= baseline * 5%', '"%" goes with'],
    ['acc >= 5%', 'unexpected text'],
    ['acc >= 1e999', 'beyond the range of a 64-bit float'],
    ['acc >= 0.30000000000000001', 'more precision than a 64-bit float'],
    ['acc >= NaN', 'expected a number'],
    ["acc' >= 1", 'expected one of'],
    ['acc >= 0.8 && process.exit()', 'unexpected text'],
    ['"acc >= 1', 'never closed'],
    ['"" >= 1', 'empty'],
    ['"a\\b" >= 1', 'escapes only'],
    ['"a\u0007b" >= 1', 'control characters'],
    ['"a"" >= 1', 'expected one of'],
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

/** Numbers as people write them: plain, signed, with trailing zeros, in scientific notation; all exact for a float. */
const writtenNumber = fc
  .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: -40, max: 40 }), fc.constantFrom('plain', 'sci', 'zeros'))
  .map(([m, e, style]) => {
    if (style === 'sci') return `${m}e${e}`;
    const text = formatDecimal(parseDecimal(`${m}e${e}`)!);
    return style === 'zeros' && text.includes('.') && !text.includes('e') ? `${text}00` : text;
  })
  .filter((t) => exactNumber(t).ok);

const metricName = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_./:-]{0,20}$/),
  fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }).filter((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s)),
);

const conditionText = fc
  .record({
    metric: metricName,
    op: fc.constantFrom('>=', '>', '<=', '<', '==', '!='),
    rhs: fc.oneof(
      writtenNumber,
      fc.constant('baseline'),
      fc.tuple(fc.constantFrom('+', '-', '*'), writtenNumber).map(([a, n]) => `baseline ${a} ${n}`),
      fc.tuple(fc.constantFrom('+', '-'), writtenNumber).map(([a, n]) => `baseline ${a} ${n}%`),
    ),
  })
  .map(
    ({ metric, op, rhs }) =>
      `${/^[A-Za-z_][A-Za-z0-9_./:-]*$/.test(metric) ? metric : `"${metric.replace(/[\\"]/g, (c) => `\\${c}`)}"`} ${op} ${rhs}`,
  );

describe('properties', () => {
  it('parse → print → parse is the identity, and printing is a fixpoint', () => {
    fc.assert(
      fc.property(conditionText, (src) => {
        const first = parsed(src);
        const again = parsed(formatCondition(first));
        expect(again).toEqual(first);
        expect(again.text).toBe(first.text);
      }),
      { numRuns: 10_000 },
    );
  });

  it('formats every float exactly as JavaScript does', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
        (x) => {
          expect(formatDecimal(decimalOfFloat(x))).toBe(String(x));
          expect(exactNumber(String(x)).ok).toBe(true);
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('adds, multiplies and compares like exact rational arithmetic', () => {
    const rational = (text: string): [bigint, bigint] => {
      const d = parseDecimal(text)!;
      return d.e >= 0 ? [d.m * 10n ** BigInt(d.e), 1n] : [d.m, 10n ** BigInt(-d.e)];
    };
    const eq = (d: { m: bigint; e: number }, [p, q]: [bigint, bigint]) => {
      const [a, b] = rational(`${d.m}e${d.e}`);
      return a * q === p * b;
    };
    fc.assert(
      fc.property(writtenNumber, writtenNumber, (x, y) => {
        const [p1, q1] = rational(x);
        const [p2, q2] = rational(y);
        const a = parseDecimal(x)!;
        const b = parseDecimal(y)!;
        expect(eq(addDecimal(a, b), [p1 * q2 + p2 * q1, q1 * q2])).toBe(true);
        expect(eq(mulDecimal(a, b), [p1 * p2, q1 * q2])).toBe(true);
        const l = p1 * q2;
        const r = p2 * q1;
        expect(cmpDecimal(a, b)).toBe(l < r ? -1 : l > r ? 1 : 0);
      }),
      { numRuns: 10_000 },
    );
  });
});
