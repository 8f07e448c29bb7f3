// Metric files: JSON or YAML objects (nested keys flatten with '.') or CSV (long `metric,value`, or wide: one row).
// Only finite numbers count; anything else is remembered with its line so a failing gate can say why.
import { exactNumber, parseDecimal } from './decimal.ts';
import { parseDocument } from './document.ts';
import { extensionFormat } from './paths.ts';
import { type InputProblem, problem } from './problems.ts';

export interface MetricValue {
  /** null when the value is not a finite number that can be compared exactly. */
  value: number | null;
  line: number | undefined;
  /** The number exactly as the file wrote it (conditions compare this decimal), when value is not null. */
  text?: string;
  /** What was found instead of a finite number, e.g. "NaN" or "a string". */
  invalid?: string;
}

export type Metrics = Map<string, MetricValue>;
export type MetricsParse = { ok: true; metrics: Metrics } | { ok: false; problems: InputProblem[] };

/** Deeper nesting than this is no metric file; stops stack abuse. */
const MAX_DEPTH = 32;

export function parseMetrics(text: string, file: string): MetricsParse {
  const format = extensionFormat(file);
  if (format === 'csv') return parseCsvMetrics(text, file);
  if (format === null) {
    return {
      ok: false,
      problems: [problem(file, 'the metric file is neither JSON, YAML nor CSV', { hint: 'name it *.json, *.yaml, *.yml or *.csv' })],
    };
  }
  const parsed = parseDocument(text, file, format);
  if (!parsed.ok) return parsed;
  const root = parsed.doc.value;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return {
      ok: false,
      problems: [
        problem(file, 'a metric file holds an object of metric names and numbers', { line: 1, hint: 'write e.g. {"test": {"auc": 0.91}}' }),
      ],
    };
  }
  const metrics: Metrics = new Map();
  const walk = (value: unknown, path: string[]): void => {
    if (path.length > MAX_DEPTH) return;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    const name = path.join('.');
    const line = parsed.doc.lineAt(path);
    if (typeof value === 'number' && Number.isFinite(value)) metrics.set(name, numberValue(value, parsed.doc.sourceAt?.(path), line));
    else metrics.set(name, { value: null, line, invalid: describe(value) });
  };
  walk(root, []);
  return { ok: true, metrics };
}

/** A parsed finite number with its source text: the text when it spells that number in decimal, else the float's own. */
export function numberValue(value: number, source: string | undefined, line: number | undefined): MetricValue {
  const written = source !== undefined && parseDecimal(source) !== null && Number(source) === value ? source : String(value);
  const exact = exactNumber(written);
  if (!exact.ok) return { value: null, line, invalid: `${written}, which ${exact.reason}` };
  return { value, line, text: written };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

const CSV_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function csvNumber(cell: string, line: number): MetricValue {
  const t = cell.trim();
  if (CSV_NUMBER.test(t)) {
    const v = Number(t);
    if (Number.isFinite(v)) return numberValue(v, t, line);
  }
  return { value: null, line, invalid: t === '' ? 'empty' : `"${t.slice(0, 40)}"` };
}

function parseCsvMetrics(text: string, file: string): MetricsParse {
  const rows = parseCsv(text);
  if (!rows.ok) return { ok: false, problems: [problem(file, rows.message, { line: rows.line, hint: 'close the quote or remove it' })] };
  const data = rows.rows.filter((r) => !(r.cells.length === 1 && r.cells[0]!.trim() === ''));
  const header = data[0];
  if (!header)
    return {
      ok: false,
      problems: [
        problem(file, 'the CSV file is empty', {
          hint: 'write a header "metric,value" and one row per metric, or one header row of metric names and one row of values',
        }),
      ],
    };
  const names = header.cells.map((c) => c.trim());
  const metrics: Metrics = new Map();
  if (names.length === 2 && names[0]!.toLowerCase() === 'metric' && names[1]!.toLowerCase() === 'value') {
    for (const row of data.slice(1)) {
      if (row.cells.length !== 2)
        return {
          ok: false,
          problems: [
            problem(file, `expected 2 cells (metric,value), found ${row.cells.length}`, {
              line: row.line,
              hint: 'one metric and one value per row',
            }),
          ],
        };
      metrics.set(row.cells[0]!.trim(), csvNumber(row.cells[1]!, row.line));
    }
    return { ok: true, metrics };
  }
  if (data.length !== 2) {
    return {
      ok: false,
      problems: [
        problem(file, `a wide CSV metric file has one header row and one data row; found ${data.length - 1} data rows`, {
          line: data[2]?.line ?? header.line,
          hint: 'use the long form "metric,value" for one metric per row',
        }),
      ],
    };
  }
  const values = data[1]!;
  if (values.cells.length !== names.length) {
    return {
      ok: false,
      problems: [
        problem(file, `the data row has ${values.cells.length} cells but the header has ${names.length}`, {
          line: values.line,
          hint: 'give one value per header name',
        }),
      ],
    };
  }
  for (const [i, n] of names.entries()) metrics.set(n, csvNumber(values.cells[i]!, values.line));
  return { ok: true, metrics };
}

/** RFC 4180 rows with the line each starts on. */
export function parseCsv(
  text: string,
): { ok: true; rows: { line: number; cells: string[] }[] } | { ok: false; message: string; line: number } {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else {
      cell += ch;
    }
  }
  if (quoted) return { ok: false, message: 'a quoted cell is never closed', line: quoteLine };
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return { ok: true, rows };
}
