// How a model's conditions read in one line, for the terminal and the Markdown summary alike.
import type { ConditionResult } from '../types.ts';

/** Why conditions were skipped, grouped: "1 skipped: no accepted baseline yet"; null when none was. */
export function skippedSummary(conditions: readonly ConditionResult[]): string | null {
  const skipped = conditions.filter((c) => c.result === 'skipped');
  if (skipped.length === 0) return null;
  const why = [...new Set(skipped.map((c) => (c.note ?? 'not checked').split(';')[0]!.trim()))];
  return `${skipped.length} skipped: ${why.join(', ')}`;
}

/** The summary of a model whose gate holds: "all conditions hold", or how many held and how many were skipped. */
export function holdsSummary(conditions: readonly ConditionResult[]): string {
  const skipped = skippedSummary(conditions);
  if (skipped === null) return 'all conditions hold';
  const held = conditions.filter((c) => c.result === 'pass').length;
  return held > 0 ? `${held} ${held === 1 ? 'holds' : 'hold'}, ${skipped}` : skipped;
}
