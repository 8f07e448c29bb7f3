// Reads the history records of an evaluation's accepted state (the work tree's, or --base's). They are repository
// files like any other, so each is checked against its schema; one that fails is left out with a warning.
import { schemaProblems } from './core/input/schema.ts';
import { HISTORY_DIR, type HistoryRecord } from './core/lock/history.ts';
import type { Evaluation } from './evaluate.ts';

export async function readHistory(ev: Pick<Evaluation, 'state' | 'rootRel'>): Promise<{ records: HistoryRecord[]; warnings: string[] }> {
  const records: HistoryRecord[] = [];
  const warnings: string[] = [];
  const dir = ev.rootRel ? `${ev.rootRel}/${HISTORY_DIR}` : HISTORY_DIR;
  for (const file of await ev.state.list(dir)) {
    if (!file.endsWith('.json')) continue;
    const r = await ev.state.read(file);
    let value: unknown = null;
    try {
      value = r.ok ? JSON.parse(r.text) : null;
    } catch {
      value = null;
    }
    // The report inside is kept as written: records from older releases lack fields today's report has.
    const valid =
      value !== null && schemaProblems('history', value, file).length === 0 && Number.isFinite(Date.parse((value as HistoryRecord).at));
    if (valid) records.push(value as HistoryRecord);
    else warnings.push(`${file}: not a lineage-gate history record; left out`);
  }
  records.sort((a, b) => a.sequence - b.sequence);
  return { records, warnings };
}
