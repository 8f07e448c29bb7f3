// Exact decimal numbers m·10^e, for gate conditions: values are compared as written, never rounded to binary.
// A number is accepted when a 64-bit float reads it back to the same decimal (what every tool's float printing
// writes), so the lock, which stores floats, records each accepted metric exactly as its file wrote it.

export interface Decimal {
  /** Digits without trailing zeros; 0n for zero. */
  m: bigint;
  /** Power of ten; 0 for zero. */
  e: number;
}

const SYNTAX = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d{1,6}))?$/;

/** A decimal number in plain or scientific notation (`-1.5e-3`, `.5`, `2.`), or null. */
export function parseDecimal(text: string): Decimal | null {
  const s = SYNTAX.exec(text);
  if (!s) return null;
  const int = s[2] ?? '';
  const frac = s[3] ?? s[4] ?? '';
  const digits = `${int}${frac}`.replace(/^0+/, '');
  const e = Number(s[5] ?? 0) - frac.length;
  const m = digits === '' ? 0n : BigInt(digits);
  return normalize(s[1] === '-' ? -m : m, e);
}

export function normalize(m: bigint, e: number): Decimal {
  if (m === 0n) return { m: 0n, e: 0 };
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return { m, e };
}

/** Significant digits of the mantissa. */
export function digitCount(d: Decimal): number {
  return (d.m < 0n ? -d.m : d.m).toString().length;
}

/** The decimal as JavaScript writes numbers (0.85, 1e-7, 1.5e+21), with every digit kept. */
export function formatDecimal(d: Decimal): string {
  if (d.m === 0n) return '0';
  const sign = d.m < 0n ? '-' : '';
  const digits = (d.m < 0n ? -d.m : d.m).toString();
  const k = digits.length;
  const n = d.e + k;
  let body: string;
  if (k <= n && n <= 21) body = digits + '0'.repeat(n - k);
  else if (0 < n && n <= 21) body = `${digits.slice(0, n)}.${digits.slice(n)}`;
  else if (-6 < n && n <= 0) body = `0.${'0'.repeat(-n)}${digits}`;
  else {
    const exp = n - 1;
    body = `${digits[0]}${k > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
  }
  return sign + body;
}

export function cmpDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const sa = a.m < 0n ? -1 : a.m > 0n ? 1 : 0;
  const sb = b.m < 0n ? -1 : b.m > 0n ? 1 : 0;
  if (sa !== sb || sa === 0) return sa < sb ? -1 : sa > sb ? 1 : 0;
  // Same sign: the order of magnitude decides before any digits are shifted, so no huge power is ever built.
  const ma = a.e + digitCount(a);
  const mb = b.e + digitCount(b);
  if (ma !== mb) return (ma < mb ? -1 : 1) * sa > 0 ? 1 : -1;
  const e = Math.min(a.e, b.e);
  const x = a.m * 10n ** BigInt(a.e - e);
  const y = b.m * 10n ** BigInt(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const e = Math.min(a.e, b.e);
  return normalize(a.m * 10n ** BigInt(a.e - e) + b.m * 10n ** BigInt(b.e - e), e);
}

export function mulDecimal(a: Decimal, b: Decimal): Decimal {
  return normalize(a.m * b.m, a.e + b.e);
}

export function negDecimal(a: Decimal): Decimal {
  return { m: -a.m, e: a.e };
}

export function absDecimal(a: Decimal): Decimal {
  return a.m < 0n ? negDecimal(a) : a;
}

/** The decimal a float prints as: its shortest round-trip form. */
export function decimalOfFloat(x: number): Decimal {
  const d = parseDecimal(String(x));
  if (d === null) throw new Error(`not a finite number: ${x}`);
  return d;
}

export type ExactNumber = { ok: true; decimal: Decimal } | { ok: false; reason: string };

/**
 * A number as written, when lineage-gate can compare and record it exactly: finite, and read back by a 64-bit
 * float as the same decimal (at most 17 significant digits, inside the float's range).
 */
export function exactNumber(text: string): ExactNumber {
  const d = parseDecimal(text);
  if (d === null) return { ok: false, reason: 'is not a number' };
  const x = Number(text);
  if (!Number.isFinite(x)) return { ok: false, reason: 'is beyond the range of a 64-bit float' };
  if (cmpDecimal(decimalOfFloat(x), d) !== 0) {
    return {
      ok: false,
      reason: `has more precision than a 64-bit float holds (it would be recorded as ${String(x)}); write at most 17 significant digits, as float printing does`,
    };
  }
  return { ok: true, decimal: d };
}
