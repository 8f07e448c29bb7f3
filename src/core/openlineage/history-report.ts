// The part of a history record's report that the export reads, taken field by field. Records written by older
// releases lack fields today's report has, and a record is a repository file anyone can edit: whatever does not have
// the expected type is left out rather than trusted.
import type { ConditionResult, DatasetResult, ModelResult, NodeResult, Report, WorkflowResult } from '../types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = <T>(v: unknown, pick: (x: Obj) => T | null): T[] =>
  Array.isArray(v) ? v.flatMap((x) => (isObj(x) ? (pick(x) ?? []) : [])) : [];
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter(str) : []);
const status = (v: unknown): 'pass' | 'fail' | null => (v === 'pass' || v === 'fail' ? v : null);

export type HistoryReport = Pick<Report, 'datasets' | 'models' | 'workflows'>;

export function historyReport(report: unknown): HistoryReport {
  const r = isObj(report) ? report : {};
  return {
    datasets: list(r.datasets, (d): DatasetResult | null =>
      str(d.id) && str(d.version)
        ? { id: d.id, version: d.version, accepted_version: null, changed: true, dvc: null, file: str(d.file) ? d.file : '' }
        : null,
    ),
    models: list(r.models, (m): ModelResult | null => {
      const s = status(m.status);
      if (!str(m.id) || !str(m.version) || !s) return null;
      return {
        id: m.id,
        version: m.version,
        accepted_version: str(m.accepted_version) ? m.accepted_version : null,
        status: s,
        changed: m.changed === true,
        stale: m.stale === true,
        reasons: strings(m.reasons),
        conditions: list(m.conditions, (c): ConditionResult | null => {
          const result = c.result === 'pass' || c.result === 'fail' || c.result === 'skipped' ? c.result : null;
          if (!str(c.text) || !str(c.metric) || !str(c.op) || !result) return null;
          const out: ConditionResult = {
            text: c.text,
            metric: c.metric,
            op: c.op,
            expected: num(c.expected),
            actual: num(c.actual),
            expected_text: str(c.expected_text) ? c.expected_text : null,
            actual_text: str(c.actual_text) ? c.actual_text : null,
            result,
          };
          if (str(c.note)) out.note = c.note;
          return out;
        }),
        datasets: list(m.datasets, (d) =>
          str(d.id) && str(d.trained_on) ? { id: d.id, trained_on: d.trained_on, current: str(d.current) ? d.current : null } : null,
        ),
        file: str(m.file) ? m.file : '',
      };
    }),
    workflows: list(r.workflows, (w): WorkflowResult | null => {
      const s = status(w.status);
      const threshold = num(w.threshold);
      if (!str(w.id) || !str(w.version) || !s || threshold === null) return null;
      return {
        id: w.id,
        version: w.version,
        accepted_version: str(w.accepted_version) ? w.accepted_version : null,
        status: s,
        score: num(w.score),
        threshold,
        max_drop: num(w.max_drop),
        accepted_score: num(w.accepted_score),
        reasons: strings(w.reasons),
        file: str(w.file) ? w.file : '',
        nodes: list(w.nodes, (n): NodeResult | null => {
          const weight = num(n.weight);
          if (![n.id, n.model, n.model_version, n.dataset, n.dataset_version, n.metric].every(str) || weight === null) return null;
          return {
            id: n.id as string,
            model: n.model as string,
            model_version: n.model_version as string,
            dataset: n.dataset as string,
            dataset_version: n.dataset_version as string,
            metric: n.metric as string,
            weight,
            needs: strings(n.needs),
            score: num(n.score),
            contribution: num(n.contribution),
            headroom: num(n.headroom),
          };
        }),
      };
    }),
  };
}
