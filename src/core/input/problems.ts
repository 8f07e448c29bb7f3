// Input problems as data: every one names the file, the line where known, the field, and what to do.
import { cmp } from '../order.ts';

export interface InputProblem {
  /** Repository-relative path with forward slashes. */
  file: string;
  line?: number;
  /** Dotted path of the offending field inside the file, when there is one. */
  field?: string;
  message: string;
  hint?: string;
}

export function problem(file: string, message: string, extra: Omit<InputProblem, 'file' | 'message'> = {}): InputProblem {
  const p: InputProblem = { file, message };
  if (extra.line !== undefined) p.line = extra.line;
  if (extra.field !== undefined && extra.field !== '') p.field = extra.field;
  if (extra.hint !== undefined) p.hint = extra.hint;
  return p;
}

/** Stable order so reports do not depend on file-system order. */
export function sortProblems(list: readonly InputProblem[]): InputProblem[] {
  return [...list].sort(
    (a, b) => cmp(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0) || cmp(a.field ?? '', b.field ?? '') || cmp(a.message, b.message),
  );
}

export function formatProblem(p: InputProblem): string {
  // Messages already name their field; `field` is there for tools that want it separately.
  const where = p.line !== undefined ? `${p.file}:${p.line}` : p.file;
  const hint = p.hint ? `\n    hint: ${p.hint}` : '';
  return `${where}: ${p.message}${hint}`;
}
