// The lock file: reading it (fast for what we wrote, hardened for anything else) and writing it byte-for-byte deterministically.
import { parseDocument } from '../input/document.ts';
import type { InputProblem } from '../input/problems.ts';
import { schemaProblems } from '../input/schema.ts';
import { EMPTY_LOCK, type Lock } from '../types.ts';
import { readLockYaml, writeLockYaml } from './lock-yaml.ts';

export const LOCK_FILE = 'associations.lock.yaml';

const HEADER = "# Accepted associations, written by lineage-gate (accept, or the Action's PR). Do not edit by hand.\n";

export function parseLock(text: string | null, file: string): { ok: true; lock: Lock } | { ok: false; problems: InputProblem[] } {
  if (text === null) return { ok: true, lock: structuredClone(EMPTY_LOCK) };
  const hint = (p: InputProblem): InputProblem => ({
    ...p,
    hint: `${p.hint ? `${p.hint}; ` : ''}the lock is written by lineage-gate: restore it from the default branch (git checkout origin/HEAD -- ${file})`,
  });
  // What lineage-gate wrote reads fast; anything else goes through the full parser for located errors.
  const fast = readLockYaml(text);
  if (fast !== null && schemaProblems('lock', fast, file).length === 0) return { ok: true, lock: fast as unknown as Lock };
  const parsed = parseDocument(text, file, 'yaml');
  if (!parsed.ok) return { ok: false, problems: parsed.problems.map(hint) };
  const problems = schemaProblems('lock', parsed.doc.value, file, parsed.doc).map(hint);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, lock: parsed.doc.value as Lock };
}

/** Sorted keys, fixed formatting: the same lock always gives the same bytes. */
export function serializeLock(lock: Lock): string {
  return HEADER + writeLockYaml(lock as unknown as Parameters<typeof writeLockYaml>[0]);
}
