// Rule 7: a change that makes a gate easier to pass is named, even when everything passes.
import { type Condition, parseCondition, type Rhs } from '../input/condition.ts';
import { cmpDecimal, type Decimal, negDecimal, parseDecimal } from '../input/decimal.ts';
import { cmp } from '../order.ts';
import type { Lock, Manifests, Weakening } from '../types.ts';
import { structuralWeakenings } from './weaken-structure.ts';

export function findWeakenings(m: Manifests, lock: Lock): Weakening[] {
  const out: Weakening[] = [];
  for (const model of m.models) {
    const old = lock.models[model.id];
    if (!old) continue;
    const now = new Set(model.gate.map((c) => c.text));
    for (const text of old.gate) {
      if (now.has(text)) continue;
      const before = parseCondition(text);
      if (!before.ok) continue;
      const successors = model.gate.filter(
        (c) => c.metric === before.condition.metric && direction(c.op) === direction(before.condition.op),
      );
      if (successors.some((c) => atLeastAsStrict(c, before.condition))) continue;
      const comparable = successors.some((c) => bound(c.rhs).kind === bound(before.condition.rhs).kind);
      const list = successors.map((c) => c.text).join(', ');
      const message =
        successors.length === 0
          ? `condition removed: ${text}`
          : comparable
            ? `condition loosened: ${text} → ${list}`
            : `condition replaced: ${text} → ${list} (not comparable; review it)`;
      out.push({ entity: 'model', id: model.id, kind: 'condition', message, before: text, after: list || '(removed)' });
    }
    if (old.on_missing_baseline === 'fail' && model.on_missing_baseline !== 'fail')
      out.push({
        entity: 'model',
        id: model.id,
        kind: 'condition',
        message: 'on_missing_baseline relaxed: fail → skip (a condition without a baseline no longer fails)',
        before: 'on_missing_baseline: fail',
        after: 'on_missing_baseline: skip',
      });
  }
  for (const wf of m.workflows) {
    const old = lock.workflows[wf.id];
    if (!old) continue;
    if (wf.threshold < old.threshold)
      out.push({
        entity: 'workflow',
        id: wf.id,
        kind: 'threshold',
        message: `threshold lowered: ${old.threshold} → ${wf.threshold}`,
        before: String(old.threshold),
        after: String(wf.threshold),
      });
    if (old.max_drop !== undefined && wf.max_drop === undefined)
      out.push({
        entity: 'workflow',
        id: wf.id,
        kind: 'max_drop',
        message: `max_drop removed (was ${old.max_drop})`,
        before: String(old.max_drop),
        after: '(removed)',
      });
    else if (old.max_drop !== undefined && wf.max_drop !== undefined && wf.max_drop > old.max_drop) {
      out.push({
        entity: 'workflow',
        id: wf.id,
        kind: 'max_drop',
        message: `max_drop raised: ${old.max_drop} → ${wf.max_drop}`,
        before: String(old.max_drop),
        after: String(wf.max_drop),
      });
    }
    const moved = movedWeights(wf.nodes, old.nodes);
    if (moved.length > 0)
      out.push({
        entity: 'workflow',
        id: wf.id,
        kind: 'weights',
        message: `weights moved: ${moved.map((x) => x.text).join(', ')}`,
        before: moved.map((x) => `${x.id} ${x.before}`).join(', '),
        after: moved.map((x) => `${x.id} ${x.after}`).join(', '),
      });
  }
  out.push(...structuralWeakenings(m, lock));
  return out.sort((a, b) => cmp(a.entity, b.entity) || cmp(a.id, b.id) || cmp(a.kind, b.kind) || cmp(a.message, b.message));
}

type Direction = 'lower' | 'upper' | 'exact' | 'not';
function direction(op: string): Direction {
  if (op === '>=' || op === '>') return 'lower';
  if (op === '<=' || op === '<') return 'upper';
  return op === '==' ? 'exact' : 'not';
}

/**
 * Whether `now` demands at least what `before` did. Only comparable right-hand sides (both numbers, or both
 * baseline with the same kind of arithmetic) can be judged, exactly in decimal; anything else counts as a possible
 * weakening.
 */
function atLeastAsStrict(now: Condition, before: Condition): boolean {
  const a = bound(now.rhs);
  const b = bound(before.rhs);
  if (a.kind !== b.kind) return false;
  const d = direction(before.op);
  const order = cmpDecimal(a.value, b.value);
  if (d === 'exact' || d === 'not') return now.op === before.op && order === 0;
  const strictNow = now.op === '>' || now.op === '<';
  const strictBefore = before.op === '>' || before.op === '<';
  if (order === 0) return strictNow || !strictBefore;
  // A lower bound is stricter when higher; an upper bound when lower.
  return d === 'lower' ? order > 0 : order < 0;
}

/**
 * The bound as one comparable decimal within its kind: `baseline - n` is baseline + (-n), `baseline - n%` is
 * baseline + (-n)%, and `baseline * n` is compared by n (it is refused for baselines <= 0, so a larger n is a
 * higher bound).
 */
function bound(rhs: Rhs): { kind: 'number' | 'baseline+' | 'baseline%' | 'baseline*'; value: Decimal } {
  const n = parseDecimal(rhs.n)!;
  if (rhs.kind === 'number') return { kind: 'number', value: n };
  if (rhs.arith === '*') return { kind: 'baseline*', value: n };
  const signed = rhs.arith === '-' ? negDecimal(n) : n;
  if (rhs.percent) return { kind: 'baseline%', value: signed };
  return { kind: 'baseline+', value: rhs.arith === null ? { m: 0n, e: 0 } : signed };
}

/** Nodes present on both sides whose share of the total weight changed. */
function movedWeights(
  now: readonly { id: string; weight: number }[],
  before: Readonly<Record<string, { weight: number }>>,
): { id: string; before: string; after: string; text: string }[] {
  const sumNow = now.reduce((s, n) => s + n.weight, 0);
  const sumBefore = Object.values(before).reduce((s, n) => s + n.weight, 0);
  if (sumNow <= 0 || sumBefore <= 0) return [];
  const out: { id: string; before: string; after: string; text: string }[] = [];
  for (const n of [...now].sort((a, b) => cmp(a.id, b.id))) {
    const old = before[n.id];
    if (!old) continue;
    const a = old.weight / sumBefore;
    const b = n.weight / sumNow;
    // Shares are compared to a millionth so that 0.1/0.2/... re-expressed as 10/20/... does not count as a move.
    if (Math.abs(a - b) > 1e-6) out.push({ id: n.id, before: pct(a), after: pct(b), text: `${n.id} ${pct(a)} → ${pct(b)}` });
  }
  return out;
}

function pct(x: number): string {
  return `${Number((x * 100).toFixed(2))}%`;
}
