// History records: one file per accepted evaluation, named by sequence and fingerprint so branches never conflict.
import { sortDeep } from '../order.ts';
import type { Report } from '../types.ts';

export const HISTORY_DIR = 'history';

export interface HistoryRecord {
  sequence: number;
  fingerprint: string;
  at: string;
  status: 'pass' | 'fail';
  accepted: {
    datasets: Record<string, string>;
    models: Record<string, { version: string; metrics: Record<string, number> }>;
    workflows: Record<string, { version: string; score: number; threshold: number }>;
  };
  rejected: { models: string[]; workflows: string[] };
  report: Partial<Report>;
}

export function historyFileName(h: Pick<HistoryRecord, 'sequence' | 'fingerprint'>): string {
  return `${HISTORY_DIR}/${String(h.sequence).padStart(6, '0')}-${h.fingerprint.slice(0, 12)}.json`;
}

export function serializeHistory(h: HistoryRecord): string {
  return `${JSON.stringify(sortDeep(h), null, 2)}\n`;
}

/**
 * The report without unchanged entities, so history stays small at scale, and without what depends on how the run
 * was asked (the base it was judged against), so the same evaluation always gives the same record.
 */
export function compactReport(r: Report): Partial<Report> {
  const { base: _, ...rest } = r;
  return {
    ...rest,
    datasets: r.datasets.filter((d) => d.changed),
    models: r.models.filter((x) => x.status !== 'unchanged'),
    workflows: r.workflows.filter((w) => w.status !== 'unchanged'),
  };
}
