// Gate conditions: `<metric> <op> <rhs>` parsed by our own grammar into data. Never eval'd, never SQL text.
//
//   condition := metric op rhs
//   metric    := bare | quoted
//   bare      := [A-Za-z_][A-Za-z0-9_./:-]*
//   quoted    := '"' ( any printable character but " and \ | '\"' | '\\' )+ '"'     e.g. "metrics/mAP50-95(B)"
//   op        := ">=" | ">" | "<=" | "<" | "==" | "!="
//   rhs       := number | "baseline" [ ("+" | "-") number ["%"] | "*" number ]
//
// Numbers are kept as exact decimals: `baseline + 0.05` with baseline 0.8 is 0.85, not 0.8500000000000001.
import { type Decimal, exactNumber, formatDecimal } from './decimal.ts';

export type Op = '>=' | '>' | '<=' | '<' | '==' | '!=';
export const OPS: readonly Op[] = ['>=', '>', '<=', '<', '==', '!='];

/** `n` is the literal as an exact decimal in canonical text (see formatDecimal). */
export type Rhs = { kind: 'number'; n: string } | { kind: 'baseline'; arith: '+' | '-' | '*' | null; n: string; percent: boolean };

export interface Condition {
  /** Canonical text: one space around the operator, the metric quoted only when it must be, numbers normalised. */
  text: string;
  metric: string;
  op: Op;
  rhs: Rhs;
}

export type ConditionParse = { ok: true; condition: Condition } | { ok: false; message: string; column: number };

/** Long enough for any honest metric name; stops pathological input early. */
const MAX_CONDITION_LENGTH = 200;
const BARE = /^[A-Za-z_][A-Za-z0-9_./:-]*/;
const BARE_WHOLE = /^[A-Za-z_][A-Za-z0-9_./:-]*$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const OP = /^(>=|<=|==|!=|>|<)/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function parseCondition(source: string): ConditionParse {
  if (source.length > MAX_CONDITION_LENGTH) return fail(`is longer than ${MAX_CONDITION_LENGTH} characters`, MAX_CONDITION_LENGTH);
  let pos = 0;
  const skip = (): void => {
    while (pos < source.length && (source[pos] === ' ' || source[pos] === '\t')) pos++;
  };
  const rest = (): string => source.slice(pos);
  const number = (what: string): { ok: true; n: Decimal } | { ok: false; fail: ConditionParse } => {
    const n = NUMBER.exec(rest());
    if (!n) return { ok: false, fail: fail(what, pos) };
    const exact = exactNumber(n[0]);
    if (!exact.ok) return { ok: false, fail: fail(`the number ${n[0]} ${exact.reason}`, pos) };
    pos += n[0].length;
    return { ok: true, n: exact.decimal };
  };

  skip();
  let metric: string;
  if (source[pos] === '"') {
    const q = readQuoted(source, pos);
    if (!q.ok) return fail(q.message, q.at);
    metric = q.name;
    pos = q.end;
  } else {
    const bare = BARE.exec(rest());
    if (!bare) return fail('must start with a metric name (letters, digits, _ . / : -), or a name in double quotes', pos);
    metric = bare[0];
    pos += bare[0].length;
  }
  skip();
  const op = OP.exec(rest());
  if (!op) return fail(`expected one of ${OPS.join(' ')} after ${quoteMetric(metric)}`, pos);
  pos += op[0].length;
  skip();

  let rhs: Rhs;
  if (rest().startsWith('baseline')) {
    pos += 'baseline'.length;
    skip();
    const arith = rest()[0];
    if (arith === '+' || arith === '-' || arith === '*') {
      pos++;
      skip();
      const n = number(`expected a number after "baseline ${arith}"`);
      if (!n.ok) return n.fail;
      skip();
      const percent = rest()[0] === '%';
      if (percent) {
        if (arith === '*') return fail('"%" goes with "baseline + n%" or "baseline - n%", not with "*"', pos);
        pos++;
      }
      rhs = { kind: 'baseline', arith, n: formatDecimal(n.n), percent };
    } else {
      rhs = { kind: 'baseline', arith: null, n: '0', percent: false };
    }
  } else {
    const n = number('expected a number or "baseline" on the right-hand side');
    if (!n.ok) return n.fail;
    rhs = { kind: 'number', n: formatDecimal(n.n) };
  }
  skip();
  if (pos !== source.length) return fail(`unexpected text "${source.slice(pos, pos + 20)}" after the condition`, pos);

  const condition: Condition = { metric, op: op[0] as Op, rhs, text: '' };
  condition.text = formatCondition(condition);
  return { ok: true, condition };
}

function readQuoted(source: string, start: number): { ok: true; name: string; end: number } | { ok: false; message: string; at: number } {
  let name = '';
  for (let i = start + 1; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '"') {
      if (name === '') return { ok: false, message: 'the quoted metric name is empty', at: start };
      return { ok: true, name, end: i + 1 };
    }
    if (ch === '\\') {
      const next = source[i + 1];
      if (next !== '"' && next !== '\\') return { ok: false, message: 'in a quoted metric name, \\ escapes only " and \\', at: i };
      name += next;
      i++;
    } else if (CONTROL.test(ch)) {
      return { ok: false, message: 'a metric name cannot hold control characters', at: i };
    } else {
      name += ch;
    }
  }
  return { ok: false, message: 'the quoted metric name is never closed', at: start };
}

function fail(message: string, column: number): ConditionParse {
  return { ok: false, message, column: column + 1 };
}

/** The metric as a condition writes it: bare when the grammar allows, else in double quotes. */
export function quoteMetric(name: string): string {
  return BARE_WHOLE.test(name) ? name : `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function formatRhs(rhs: Rhs): string {
  if (rhs.kind === 'number') return rhs.n;
  return rhs.arith === null ? 'baseline' : `baseline ${rhs.arith} ${rhs.n}${rhs.percent ? '%' : ''}`;
}

export function formatCondition(c: Pick<Condition, 'metric' | 'op' | 'rhs'>): string {
  return `${quoteMetric(c.metric)} ${c.op} ${formatRhs(c.rhs)}`;
}
