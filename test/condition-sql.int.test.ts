// The condition SQL against exact rational arithmetic: 10,000 random conditions decided by real DuckDB in one run,
// plus the boundaries people hit (>= at exactly the threshold, negative and zero baselines).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/adapters/duckdb.ts';
import { computeAffected, evaluateGates, loadGraph } from '../src/adapters/graph-db.ts';
import { parseCondition } from '../src/core/input/condition.ts';
import { exactNumber, formatDecimal, parseDecimal } from '../src/core/input/decimal.ts';
import type { Lock, Manifests } from '../src/core/types.ts';

interface Case {
  op: string;
  rhs: string;
  baseline: string | null;
  actual: string;
}

/** Decides every case through loadGraph → computeAffected → evaluateGates, as `check` does. */
async function decide(cases: readonly Case[]) {
  const m: Manifests = { datasets: [], models: [], workflows: [] };
  const lock: Lock = { lock_version: 1, evaluations: 1, datasets: {}, models: {}, workflows: {} };
  const values: { model: string; metric: string; value: number; text: string }[] = [];
  cases.forEach((c, i) => {
    const id = `m${String(i).padStart(6, '0')}`;
    const cond = parseCondition(`x ${c.op} ${c.rhs}`);
    if (!cond.ok) throw new Error(`${c.rhs}: ${cond.message}`);
    m.models.push({ id, version: '2', description: 'd', datasets: {}, gate: [cond.condition], on_missing_baseline: 'skip', file: 'f' });
    if (c.baseline !== null) lock.models[id] = { version: '1', datasets: {}, gate: [], metrics: { x: Number(c.baseline) } };
    values.push({ model: id, metric: 'x', value: Number(c.actual), text: c.actual });
  });
  const db = await openDb();
  try {
    await loadGraph(db, m, lock);
    await computeAffected(db, true);
    const files = new Map(m.models.map((x) => [x.id, 'ok' as const]));
    const rows = await evaluateGates(db, { files, values });
    return rows.conditions;
  } finally {
    db.close();
  }
}

type Q = [bigint, bigint];
const q = (text: string): Q => {
  const d = parseDecimal(text)!;
  return d.e >= 0 ? [d.m * 10n ** BigInt(d.e), 1n] : [d.m, 10n ** BigInt(-d.e)];
};
const add = ([a, b]: Q, [c, d]: Q): Q => [a * d + c * b, b * d];
const mul = ([a, b]: Q, [c, d]: Q): Q => [a * c, b * d];
const abs = ([a, b]: Q): Q => [a < 0n ? -a : a, b];
const neg = ([a, b]: Q): Q => [-a, b];
const sign = ([a, b]: Q, [c, d]: Q) => {
  const l = a * d;
  const r = c * b;
  return l < r ? -1 : l > r ? 1 : 0;
};

/** What the condition means, in rationals: the oracle the SQL must agree with. */
function oracle(c: Case): 'pass' | 'fail' | 'skipped' {
  const m = /^baseline(?: ([+*-]) (\S+?)(%?))?$/.exec(c.rhs);
  let expected: Q;
  if (!m) expected = q(c.rhs);
  else {
    if (c.baseline === null) return 'skipped';
    const b = q(c.baseline);
    const [, arith, n, pct] = m;
    if (arith === undefined) expected = b;
    else if (arith === '*') {
      if (sign(b, [0n, 1n]) <= 0) return 'fail';
      expected = mul(b, q(n!));
    } else {
      const step = pct ? mul(abs(b), mul(q(n!), [1n, 100n])) : q(n!);
      expected = add(b, arith === '-' ? neg(step) : step);
    }
  }
  const s = sign(q(c.actual), expected);
  const ok = { '>=': s >= 0, '>': s > 0, '<=': s <= 0, '<': s < 0, '==': s === 0, '!=': s !== 0 }[c.op]!;
  return ok ? 'pass' : 'fail';
}

const exact = fc
  .tuple(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.oneof(fc.integer({ min: -8, max: 4 }), fc.integer({ min: -320, max: 300 })))
  .map(([m, e]) => formatDecimal(parseDecimal(`${m}e${e}`)!))
  .filter((t) => exactNumber(t).ok);

describe('condition SQL', () => {
  it('agrees with exact rational arithmetic on 10,000 random conditions', async () => {
    const arb = fc
      .record({
        op: fc.constantFrom('>=', '>', '<=', '<', '==', '!='),
        form: fc.constantFrom('number', 'baseline', '+', '-', '*', '+%', '-%'),
        n: exact,
        baseline: fc.option(exact, { freq: 8 }),
        actual: exact,
        // Half the cases put the actual value exactly on the bound, where binary floats go wrong.
        onBound: fc.boolean(),
      })
      .map(({ op, form, n, baseline, actual, onBound }): Case => {
        const rhs = form === 'number' ? n : form === 'baseline' ? 'baseline' : `baseline ${form[0]} ${form.endsWith('%') ? `${n}%` : n}`;
        const c: Case = { op, rhs, baseline, actual };
        if (onBound && baseline !== null && form !== 'number') {
          const bound = boundText(c);
          if (bound !== null) c.actual = bound;
        }
        return c;
      });
    const cases = fc.sample(arb, { numRuns: 10_000, seed: 14 });
    const rows = await decide(cases);
    expect(rows).toHaveLength(cases.length);
    const wrong = rows.filter((r, i) => r.result !== oracle(cases[i]!)).map((r) => ({ row: r, case: cases[rows.indexOf(r)] }));
    expect(wrong.slice(0, 5)).toEqual([]);
    // The boundary cases are really there: many comparisons land exactly on their bound.
    expect(cases.filter((c) => c.op === '>=' && oracle(c) === 'pass' && boundText(c) === c.actual).length).toBeGreaterThan(100);
  });

  it.each<[string, Case, 'pass' | 'fail' | 'skipped', string | null]>([
    ['+ n at exactly the bound', { op: '>=', rhs: 'baseline + 0.05', baseline: '0.8', actual: '0.85' }, 'pass', '0.85'],
    ['+ n just below', { op: '>=', rhs: 'baseline + 0.05', baseline: '0.8', actual: '0.8499999999999999' }, 'fail', '0.85'],
    ['- n at exactly the bound', { op: '>=', rhs: 'baseline - 0.02', baseline: '0.91', actual: '0.89' }, 'pass', '0.89'],
    ['- n, binary would say 0.30000000000000004', { op: '<=', rhs: 'baseline - 0.1', baseline: '0.4', actual: '0.3' }, 'pass', '0.3'],
    ['* n at exactly the bound', { op: '<=', rhs: 'baseline * 1.1', baseline: '0.3', actual: '0.33' }, 'pass', '0.33'],
    ['+ n% at exactly the bound', { op: '<=', rhs: 'baseline + 10%', baseline: '0.3', actual: '0.33' }, 'pass', '0.33'],
    ['- n% on a negative baseline', { op: '>=', rhs: 'baseline - 5%', baseline: '-100', actual: '-105' }, 'pass', '-105'],
    ['- n% on a negative baseline, worse', { op: '>=', rhs: 'baseline - 5%', baseline: '-100', actual: '-105.5' }, 'fail', '-105'],
    ['+ n% on a negative baseline', { op: '>=', rhs: 'baseline + 5%', baseline: '-100', actual: '-95' }, 'pass', '-95'],
    ['* n refused on a negative baseline', { op: '>=', rhs: 'baseline * 1.05', baseline: '-100', actual: '-104' }, 'fail', '-105'],
    ['* n refused on a zero baseline', { op: '<=', rhs: 'baseline * 0.95', baseline: '0', actual: '0' }, 'fail', '0'],
    ['+ n% on a zero baseline', { op: '<=', rhs: 'baseline + 5%', baseline: '0', actual: '0' }, 'pass', '0'],
    [
      'tiny baseline plus a large step',
      { op: '<=', rhs: 'baseline + 0.01', baseline: '1e-300', actual: '0.01' },
      'pass',
      `1${'0'.repeat(297)}1e-300`,
    ],
    ['no baseline', { op: '>=', rhs: 'baseline - 0.02', baseline: null, actual: '0.9' }, 'skipped', null],
  ])('%s', async (_name, c, result, expected) => {
    const [row] = await decide([c]);
    expect(row!.result).toBe(result);
    expect(oracle(c)).toBe(result);
    const text = row!.expected_m === null ? null : formatDecimal(parseDecimal(`${row!.expected_m}e${row!.expected_e}`)!);
    if (expected !== null) expect(text).toBe(formatDecimal(parseDecimal(expected)!));
    else expect(text).toBeNull();
  });
});

/** The exact bound as a number a float holds, when it is one; null otherwise. */
function boundText(c: Case): string | null {
  const m = /^baseline(?: ([+*-]) (\S+?)(%?))?$/.exec(c.rhs);
  if (!m || c.baseline === null) return null;
  const b = q(c.baseline);
  const [, arith, n, pct] = m;
  let e: Q = b;
  if (arith === '*') e = mul(b, q(n!));
  else if (arith !== undefined) {
    const step = pct ? mul(abs(b), mul(q(n!), [1n, 100n])) : q(n!);
    e = add(b, arith === '-' ? neg(step) : step);
  }
  // A power-of-ten denominator: write it out as a decimal.
  let [p, d] = e;
  let k = 0;
  while (d % 10n === 0n) {
    d /= 10n;
    k++;
  }
  if (d !== 1n) return null;
  const text = formatDecimal(parseDecimal(`${p}e-${k}`)!);
  return exactNumber(text).ok ? text : null;
}
