// Metric files as tools write them: JSON (with Python's NaN/Infinity tokens), YAML and TOML objects (nested keys
// flatten with '.'), CSV (long `metric,value`, or wide: one row) and dvclive's TSV (the last row; a folder of them is
// one metric per file). Only finite numbers count; anything else is remembered with its line so a gate can say why.
import { exactNumber, parseDecimal } from './decimal.ts';
import { parseDocument } from './document.ts';
import { parseJsonMetrics } from './metrics-json.ts';
import { parseTomlMetrics } from './metrics-toml.ts';
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
  /** The file the value came from, when the metrics are a folder of files. */
  file?: string;
}

export type Metrics = Map<string, MetricValue>;
export type MetricsParse = { ok: true; metrics: Metrics } | { ok: false; problems: InputProblem[] };

/** Deeper nesting than this is no metric file; stops stack abuse. */
const MAX_DEPTH = 32;

export type MetricFormat = 'json' | 'yaml' | 'toml' | 'csv' | 'tsv';

export function metricFormat(path: string): MetricFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.toml')) return 'toml';
  if (lower.endsWith('.tsv')) return 'tsv';
  return extensionFormat(path);
}

export const METRIC_FORMATS_HINT = 'name it *.json, *.yaml, *.yml, *.toml, *.csv or *.tsv, or point at a folder of dvclive *.tsv files';

export function parseMetrics(text: string, file: string): MetricsParse {
  const format = metricFormat(file);
  if (format === 'csv') return parseCsvMetrics(text, file);
  if (format === 'tsv') return parseTsvMetrics(text, file, null);
  if (format === 'json') return jsonMetrics(text, file);
  if (format === 'toml') return tomlMetrics(text, file);
  if (format === null) {
    return {
      ok: false,
      problems: [problem(file, 'the metric file is neither JSON, YAML, TOML, CSV nor TSV', { hint: METRIC_FORMATS_HINT })],
    };
  }
  const parsed = parseDocument(text, file, format);
  if (!parsed.ok) return parsed;
  const root = parsed.doc.value;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return notAnObject(file);
  return {
    ok: true,
    metrics: flatten(root, (path, value) => {
      const line = parsed.doc.lineAt(path);
      if (typeof value === 'number' && Number.isFinite(value)) return numberValue(value, parsed.doc.sourceAt?.(path), line);
      return { value: null, line, invalid: describe(value) };
    }),
  };
}

function notAnObject(file: string): MetricsParse {
  return {
    ok: false,
    problems: [
      problem(file, 'a metric file holds an object of metric names and numbers', { line: 1, hint: 'write e.g. {"test": {"auc": 0.91}}' }),
    ],
  };
}

/** Nested objects flattened with '.', each leaf turned into a value. */
function flatten(root: object, leaf: (path: string[], value: unknown) => MetricValue): Metrics {
  const metrics: Metrics = new Map();
  const walk = (value: unknown, path: string[]): void => {
    if (path.length > MAX_DEPTH) return;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !isTomlDate(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    metrics.set(path.join('.'), leaf(path, value));
  };
  walk(root, []);
  return metrics;
}

function isTomlDate(value: object): boolean {
  return value instanceof Date;
}

function jsonMetrics(text: string, file: string): MetricsParse {
  const parsed = parseJsonMetrics(text, file);
  if (!parsed.ok) return parsed;
  const metrics: Metrics = new Map();
  for (const [name, leaf] of parsed.leaves) {
    if (leaf.kind === 'number') {
      const x = Number(leaf.source);
      metrics.set(
        name,
        Number.isFinite(x)
          ? numberValue(x, leaf.source, leaf.line)
          : { value: null, line: leaf.line, invalid: `the number ${leaf.source}, which is beyond the range of a 64-bit float` },
      );
    } else metrics.set(name, { value: null, line: leaf.line, invalid: leaf.kind === 'nonfinite' ? leaf.source : leaf.what });
  }
  return { ok: true, metrics };
}

function tomlMetrics(text: string, file: string): MetricsParse {
  const parsed = parseTomlMetrics(text, file);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    metrics: flatten(parsed.value, (path, value) => {
      const line = parsed.lineOf(path);
      if (typeof value === 'number' && Number.isFinite(value)) {
        const raw = parsed.sourceOf(path)?.replace(/_/g, '');
        return numberValue(value, raw, line);
      }
      if (typeof value === 'bigint')
        return { value: null, line, invalid: `the integer ${value}, beyond what a 64-bit float holds exactly` };
      return { value: null, line, invalid: value instanceof Date ? 'a date' : describe(value) };
    }),
  };
}

/** A parsed finite number with its source text: the text when it spells that number in decimal, else the float's own. */
export function numberValue(value: number, source: string | undefined, line: number | undefined): MetricValue {
  const written = source !== undefined && parseDecimal(source) !== null && Number(source) === value ? source : String(value);
  const exact = exactNumber(written);
  if (!exact.ok) return { value: null, line, invalid: `the number ${written}, which ${exact.reason}` };
  return { value, line, text: written };
}

function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (typeof value === 'bigint') return 'an integer beyond a 64-bit float';
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

const TSV_NONFINITE: Record<string, string> = {
  nan: 'NaN',
  inf: 'Infinity',
  '-inf': '-Infinity',
  infinity: 'Infinity',
  '-infinity': '-Infinity',
};

/**
 * dvclive's layout: a header `step<TAB>name` (with `timestamp` before or after), one row per logged step; the metric
 * is the last row. `name` overrides the header's name (a folder names each file's metric by its path).
 */
export function parseTsvMetrics(text: string, file: string, name: string | null): MetricsParse {
  const layout = 'dvclive writes step<TAB>name (and timestamp) in the header, then one row per step';
  const rows = parseCsv(text, '\t');
  if (!rows.ok) return { ok: false, problems: [problem(file, rows.message, { line: rows.line, hint: 'close the quote or remove it' })] };
  const data = rows.rows.filter((r) => !(r.cells.length === 1 && r.cells[0]!.trim() === ''));
  const header = data[0];
  if (!header) return { ok: false, problems: [problem(file, 'the TSV file is empty', { hint: layout })] };
  const cols = header.cells.map((c) => c.trim());
  const valueCols = cols.map((c, i) => [c, i] as const).filter(([c]) => c !== 'step' && c !== 'timestamp');
  if (!cols.includes('step') || valueCols.length !== 1) {
    return {
      ok: false,
      problems: [
        problem(
          file,
          `the TSV header "${cols.join('\\t').slice(0, 80)}" is not dvclive's: it needs a step column and exactly one metric column`,
          {
            line: header.line,
            hint: `${layout}; for other tables use CSV (metric,value)`,
          },
        ),
      ],
    };
  }
  const [header_name, col] = valueCols[0]!;
  const metric = name ?? header_name;
  const last = data.at(-1)!;
  const metrics: Metrics = new Map();
  if (last === header) metrics.set(metric, { value: null, line: header.line, invalid: 'no logged step' });
  else {
    if (last.cells.length !== cols.length)
      return {
        ok: false,
        problems: [
          problem(file, `the last row has ${last.cells.length} cells but the header has ${cols.length}`, { line: last.line, hint: layout }),
        ],
      };
    const cell = last.cells[col]!.trim();
    const nonfinite = TSV_NONFINITE[cell.toLowerCase()];
    metrics.set(metric, nonfinite ? { value: null, line: last.line, invalid: nonfinite } : csvNumber(cell, last.line));
  }
  return { ok: true, metrics };
}

/** A folder of dvclive TSV files: one metric per file, named by its path below the folder without ".tsv". */
export function parseMetricFolder(files: readonly { path: string; text: string }[], folder: string): MetricsParse {
  const metrics: Metrics = new Map();
  const problems: InputProblem[] = [];
  for (const f of files) {
    const name = f.path.slice(folder.length + 1).replace(/\.tsv$/i, '');
    const one = parseTsvMetrics(f.text, f.path, name);
    if (!one.ok) problems.push(...one.problems);
    else for (const [k, v] of one.metrics) metrics.set(k, { ...v, file: f.path });
  }
  if (problems.length > 0) return { ok: false, problems };
  if (metrics.size === 0)
    return {
      ok: false,
      problems: [
        problem(folder, 'the metric folder holds no *.tsv file', {
          hint: 'point metrics at a file, or at the folder dvclive writes its plots/metrics into',
        }),
      ],
    };
  return { ok: true, metrics };
}

/** RFC 4180 rows with the line each starts on. */
export function parseCsv(
  text: string,
  delimiter = ',',
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
    } else if (ch === delimiter) {
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
