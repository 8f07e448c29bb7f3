// Gate conditions: `<metric> <op> <rhs>` parsed by our own grammar into data. Never eval'd, never SQL text.
//
//   condition := metric op rhs
//   metric    := [A-Za-z_][A-Za-z0-9_./:-]*
//   op        := ">=" | ">" | "<=" | "<" | "==" | "!="
//   rhs       := number | "baseline" [ ("+" | "-" | "*") number ]

export type Op = '>=' | '>' | '<=' | '<' | '==' | '!=';
export const OPS: readonly Op[] = ['>=', '>', '<=', '<', '==', '!='];

export type Rhs = { kind: 'number'; value: number } | { kind: 'baseline'; arith: '+' | '-' | '*' | null; n: number };

export interface Condition {
  /** Canonical text: one space around the operator, numbers as written by JS. */
  text: string;
  metric: string;
  op: Op;
  rhs: Rhs;
}

export type ConditionParse = { ok: true; condition: Condition } | { ok: false; message: string; column: number };

/** Long enough for any honest metric name; stops pathological input early. */
const MAX_CONDITION_LENGTH = 200;
const METRIC = /^[A-Za-z_][A-Za-z0-9_./:-]*/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const OP = /^(>=|<=|==|!=|>|<)/;

export function parseCondition(source: string): ConditionParse {
  if (source.length > MAX_CONDITION_LENGTH) return fail(`is longer than ${MAX_CONDITION_LENGTH} characters`, MAX_CONDITION_LENGTH);
  let pos = 0;
  const skip = (): void => {
    while (pos < source.length && (source[pos] === ' ' || source[pos] === '\t')) pos++;
  };
  const rest = (): string => source.slice(pos);

  skip();
  const metric = METRIC.exec(rest());
  if (!metric) return fail('must start with a metric name (letters, digits, _ . / : -)', pos);
  pos += metric[0].length;
  skip();
  const op = OP.exec(rest());
  if (!op) return fail(`expected one of ${OPS.join(' ')} after "${metric[0]}"`, pos);
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
      const n = NUMBER.exec(rest());
      if (!n || !Number.isFinite(Number(n[0]))) return fail(`expected a number after "baseline ${arith}"`, pos);
      pos += n[0].length;
      rhs = { kind: 'baseline', arith, n: Number(n[0]) };
    } else {
      rhs = { kind: 'baseline', arith: null, n: 0 };
    }
  } else {
    const n = NUMBER.exec(rest());
    if (!n || !Number.isFinite(Number(n[0]))) return fail('expected a number or "baseline" on the right-hand side', pos);
    pos += n[0].length;
    rhs = { kind: 'number', value: Number(n[0]) };
  }
  skip();
  if (pos !== source.length) return fail(`unexpected text "${source.slice(pos, pos + 20)}" after the condition`, pos);

  const condition: Condition = { metric: metric[0], op: op[0] as Op, rhs, text: '' };
  condition.text = formatCondition(condition);
  return { ok: true, condition };
}

function fail(message: string, column: number): ConditionParse {
  return { ok: false, message, column: column + 1 };
}

export function formatRhs(rhs: Rhs): string {
  if (rhs.kind === 'number') return String(rhs.value);
  return rhs.arith === null ? 'baseline' : `baseline ${rhs.arith} ${rhs.n}`;
}

export function formatCondition(c: Pick<Condition, 'metric' | 'op' | 'rhs'>): string {
  return `${c.metric} ${c.op} ${formatRhs(c.rhs)}`;
}
