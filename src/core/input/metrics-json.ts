// JSON metric files as tools write them: standard JSON plus the NaN, Infinity and -Infinity tokens that Python's
// json.dump (and so dvclive) emits. Every leaf keeps its line and, for numbers, its source text.
import { type InputProblem, problem } from './problems.ts';

export type JsonLeaf =
  | { kind: 'number'; source: string; line: number }
  | { kind: 'nonfinite'; source: 'NaN' | 'Infinity' | '-Infinity'; line: number }
  | { kind: 'other'; what: string; line: number };

export type JsonMetricsParse = { ok: true; leaves: Map<string, JsonLeaf> } | { ok: false; problems: InputProblem[] };

/** Deeper nesting than this is no metric file; stops stack abuse. */
const MAX_DEPTH = 32;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\n\r]*/y;

class JsonError extends Error {
  readonly at: number;
  constructor(message: string, at: number) {
    super(message);
    this.at = at;
  }
}

/** Flattens nested objects with '.'; a list, string, boolean or null is a leaf that is not a number. */
export function parseJsonMetrics(text: string, file: string): JsonMetricsParse {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let pos = 0;
  const leaves = new Map<string, JsonLeaf>();
  const lineStarts: number[] = [0];
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const ws = () => {
    SPACE.lastIndex = pos;
    SPACE.exec(src);
    pos = SPACE.lastIndex;
  };
  const expect = (ch: string) => {
    if (src[pos] !== ch) throw new JsonError(`expected "${ch}"${src[pos] === undefined ? ' before the end of the file' : ''}`, pos);
    pos++;
  };
  const string = (): string => {
    STRING.lastIndex = pos;
    const m = STRING.exec(src);
    if (!m) throw new JsonError('expected a string in double quotes', pos);
    pos = STRING.lastIndex;
    return JSON.parse(m[0]) as string;
  };
  /** Reads one value; `path` is null inside lists, whose items are not metrics. */
  const value = (path: string[] | null, keyLine: number, depth: number): void => {
    if (depth > MAX_DEPTH) throw new JsonError(`nesting deeper than ${MAX_DEPTH} levels`, pos);
    ws();
    const start = pos;
    const ch = src[pos];
    const leaf = (l: JsonLeaf) => {
      if (path) leaves.set(path.join('.'), l);
    };
    if (ch === '{') {
      pos++;
      ws();
      const seen = new Set<string>();
      if (src[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        const keyAt = pos;
        const key = string();
        if (key === '__proto__') throw new JsonError('the key "__proto__" is not allowed', keyAt);
        if (seen.has(key)) throw new JsonError(`the key "${key}" appears twice in one object`, keyAt);
        seen.add(key);
        ws();
        expect(':');
        value(path ? [...path, key] : null, lineOf(keyAt), depth + 1);
        ws();
        if (src[pos] === ',') {
          pos++;
          continue;
        }
        expect('}');
        return;
      }
    }
    if (ch === '[') {
      pos++;
      ws();
      if (src[pos] === ']') pos++;
      else
        for (;;) {
          value(null, keyLine, depth + 1);
          ws();
          if (src[pos] === ',') {
            pos++;
            continue;
          }
          expect(']');
          break;
        }
      leaf({ kind: 'other', what: 'a list', line: keyLine });
      return;
    }
    if (ch === '"') {
      string();
      leaf({ kind: 'other', what: 'a string', line: keyLine });
      return;
    }
    for (const [word, what] of [
      ['true', 'a boolean'],
      ['false', 'a boolean'],
      ['null', 'null'],
    ] as const) {
      if (src.startsWith(word, pos)) {
        pos += word.length;
        leaf({ kind: 'other', what, line: keyLine });
        return;
      }
    }
    for (const token of ['NaN', 'Infinity', '-Infinity'] as const) {
      if (src.startsWith(token, pos)) {
        pos += token.length;
        leaf({ kind: 'nonfinite', source: token, line: keyLine });
        return;
      }
    }
    NUMBER.lastIndex = pos;
    const n = NUMBER.exec(src);
    if (!n) throw new JsonError(ch === undefined ? 'unexpected end of the file' : `unexpected character "${ch}"`, start);
    pos = NUMBER.lastIndex;
    leaf({ kind: 'number', source: n[0], line: keyLine });
  };

  try {
    ws();
    if (src[pos] !== '{') {
      return {
        ok: false,
        problems: [
          problem(file, 'a metric file holds an object of metric names and numbers', {
            line: lineOf(pos),
            hint: 'write e.g. {"test": {"auc": 0.91}}',
          }),
        ],
      };
    }
    value([], 1, 0);
    ws();
    if (pos !== src.length) throw new JsonError('unexpected text after the object', pos);
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    return {
      ok: false,
      problems: [problem(file, `JSON syntax: ${e.message}`, { line: lineOf(e.at), hint: 'fix the syntax at that line' })],
    };
  }
  return { ok: true, leaves };
}
