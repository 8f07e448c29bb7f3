// The accepted state a change carries is checked against the base: its lock and history must be unchanged, or be
// exactly what `accept` computes from the base's lock and the change's manifests. Anything else (an edited baseline,
// a deleted record, a lock written by hand) is an input error naming the file, the line and what differs.

import { planAcceptance } from './acceptance.ts';
import { type BlobResult, MAX_FILE_BYTES, MAX_LOCK_BYTES, type Repo } from './adapters/repo-fs.ts';
import { parseDocument } from './core/input/document.ts';
import { type InputProblem, problem } from './core/input/problems.ts';
import { schemaProblems } from './core/input/schema.ts';
import { HISTORY_DIR } from './core/lock/history.ts';
import { type Difference, historyDifferences, lockDifferences, MAX_DIFFERENCES } from './core/lock/integrity.ts';
import { LOCK_FILE, parseLock } from './core/lock/lock-file.ts';
import type { Evaluation } from './evaluate.ts';

export type AcceptedState = 'unchanged' | 'accepted';
export type Reevaluate = (opts: { all: boolean; only: string[] }) => Promise<Evaluation>;

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * `ev` judged the change's manifests against the base's lock. `reevaluate` runs the same evaluation with other
 * options, for a history record that says accept ran with --all or --only.
 */
export async function verifyAcceptedState(
  ev: Evaluation,
  only: readonly string[],
  reevaluate: Reevaluate,
): Promise<{ state: AcceptedState; problems: InputProblem[] }> {
  const under = (p: string) => (ev.rootRel ? `${ev.rootRel}/${p}` : p);
  const lockPath = under(LOCK_FILE);
  const base = ev.base?.name ?? 'the base';
  const restore = (file: string) => `restore it from the base (git checkout ${base} -- ${file})`;
  const lockHint = `the lock is written only by \`lineage-gate accept\` (or the Action's lock pull request): ${restore(lockPath)}, or run \`lineage-gate accept --base ${base}\` and commit what it writes`;
  const problems: InputProblem[] = [];

  const [was, now] = await Promise.all([
    ev.state.read(lockPath, { maxBytes: MAX_LOCK_BYTES }),
    ev.repo.read(lockPath, { maxBytes: MAX_LOCK_BYTES }),
  ]);
  if (!now.ok && now.reason !== 'missing') return { state: 'unchanged', problems: [problem(lockPath, now.detail, { hint: lockHint })] };
  const wasText = was.ok ? was.text : null;
  const nowText = now.ok ? now.text : null;
  const [before, after] = await Promise.all([historyIds(ev.state, under(HISTORY_DIR)), historyIds(ev.repo, under(HISTORY_DIR))]);
  const added: string[] = [];
  for (const [file, id] of after) {
    if (!id.ok) problems.push(problem(file, id.detail, { hint: 'a history record is a plain JSON file that accept writes' }));
    else if (!before.has(file)) added.push(file);
    else if ((before.get(file) as { blob?: string }).blob !== id.blob)
      problems.push(
        problem(file, 'this history record was changed; accept writes each record once and never again', { hint: restore(file) }),
      );
  }
  for (const file of before.keys())
    if (!after.has(file))
      problems.push(problem(file, 'this history record was deleted; records are never removed', { hint: restore(file) }));

  if (wasText === nowText) {
    for (const file of added)
      problems.push(
        problem(file, 'a history record was added, but the lock did not change: accept writes both together', {
          hint: `remove it, or commit the lock that \`lineage-gate accept --base ${base}\` writes with it`,
        }),
      );
    return { state: 'unchanged', problems };
  }
  if (nowText === null) {
    problems.push(
      problem(lockPath, 'the lock was deleted; it holds what was accepted and only accept changes it', { hint: restore(lockPath) }),
    );
    return { state: 'unchanged', problems };
  }
  if (added.length !== 1) {
    // Not an acceptance (that adds one record), so say what differs from the lock the base has.
    const baseLock = parseLockOrNull(wasText, lockPath);
    if (baseLock) problems.push(...lockProblems(lockPath, nowText, baseLock, lockHint, `the lock at ${base}`));
    problems.push(
      problem(
        lockPath,
        added.length === 0
          ? 'the lock changed, but no history record was added: accept writes one with every change of the lock'
          : `the lock changed, and ${added.length} history records were added (${added.join(', ')}): accept adds exactly one`,
        { hint: lockHint },
      ),
    );
    return { state: 'unchanged', problems };
  }

  // The one new record says when accept ran and with which options; everything else must follow from the base.
  const recordFile = added[0]!;
  const recordRead = await ev.repo.read(recordFile, { maxBytes: MAX_FILE_BYTES });
  const record = recordRead.ok ? parseDocument(recordRead.text, recordFile, 'json') : null;
  if (!recordRead.ok || !record?.ok)
    return {
      state: 'unchanged',
      problems: [
        ...problems,
        ...(record && !record.ok ? record.problems : [problem(recordFile, recordRead.ok ? 'not JSON' : recordRead.detail)]),
      ],
    };
  const claimed = record.doc.value as { at?: unknown; report?: { all?: unknown; only?: unknown } };
  const schema = schemaProblems('history', claimed, recordFile, record.doc);
  if (schema.length > 0) return { state: 'unchanged', problems: [...problems, ...schema] };
  const at = claimed.at as string;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z$/.test(at) || Number.isNaN(Date.parse(at)))
    problems.push(
      problem(recordFile, 'at is not a time as accept writes it (ISO 8601 in UTC, e.g. 2026-11-27T12:00:00.000Z)', {
        line: record.doc.lineAt(['at']),
        field: 'at',
        hint: lockHint,
      }),
    );
  const claimedAll = claimed.report?.all === true;
  const claimedOnly = Array.isArray(claimed.report?.only) ? (claimed.report.only as unknown[]) : [];
  if (!claimedOnly.every((x) => typeof x === 'string' && ID.test(x)))
    problems.push(
      problem(recordFile, 'report.only must list model or workflow ids', { line: record.doc.lineAt(['report', 'only']), hint: lockHint }),
    );
  if (problems.length > 0) return { state: 'unchanged', problems };

  const sameOptions =
    claimedAll === ev.report.all && JSON.stringify([...(claimedOnly as string[])].sort()) === JSON.stringify([...only].sort());
  const judged = sameOptions ? ev : await reevaluate({ all: claimedAll, only: claimedOnly as string[] });
  try {
    const plan = judged.report.status === 'invalid' ? null : planAcceptance(judged, new Date(at).toISOString());
    if (!plan) {
      problems.push(
        problem(lockPath, `the lock changed, but accept computes no change from ${base}'s lock and these manifests`, { hint: lockHint }),
      );
      return { state: 'unchanged', problems };
    }
    if (plan.lockText !== nowText) problems.push(...lockProblems(lockPath, nowText, plan.lock, lockHint));
    if (plan.files[1] !== recordFile)
      problems.push(
        problem(recordFile, `accept names this record ${plan.files[1]} (its sequence and the evaluation's fingerprint)`, {
          hint: lockHint,
        }),
      );
    else if (plan.historyText !== recordRead.text) {
      const found = historyDifferences(claimed, JSON.parse(plan.historyText));
      problems.push(
        ...located(recordFile, found, (p) => record.doc.lineAt(p), lockHint, 'its bytes differ from the record accept writes (formatting)'),
      );
    }
    return { state: problems.length > 0 ? 'unchanged' : 'accepted', problems };
  } finally {
    if (judged !== ev) judged.close();
  }
}

function parseLockOrNull(text: string | null, file: string) {
  const r = parseLock(text, file);
  return r.ok ? r.lock : null;
}

/** Each history file with its blob id (or why it has none). */
async function historyIds(repo: Repo, dir: string): Promise<Map<string, BlobResult>> {
  const files = await repo.list(dir);
  return files.length === 0 ? new Map() : repo.blobIds(files);
}

function lockProblems(
  file: string,
  text: string,
  expected: Parameters<typeof lockDifferences>[1],
  hint: string,
  against = 'what accept computes',
): InputProblem[] {
  const parsed = parseLock(text, file);
  if (!parsed.ok)
    return [
      problem(file, 'the lock differs from what accept computes, and is not a lock lineage-gate wrote', { hint }),
      ...parsed.problems,
    ];
  // Lines only for the message: parsing a large lock in full is slow, and this runs only on a forgery.
  const doc = parseDocument(text, file, 'yaml');
  const lineAt = (p: (string | number)[]) => (doc.ok ? doc.doc.lineAt(p) : undefined);
  return located(
    file,
    lockDifferences(parsed.lock, expected, against),
    lineAt,
    hint,
    `its bytes differ from ${against} (formatting or comments)`,
  );
}

function located(
  file: string,
  found: Difference[],
  lineAt: (p: (string | number)[]) => number | undefined,
  hint: string,
  bytesOnly: string,
): InputProblem[] {
  if (found.length === 0) return [problem(file, bytesOnly, { hint })];
  const shown = found.slice(0, MAX_DIFFERENCES).map((d) => problem(file, d.message, { line: lineAt(d.path), hint }));
  // After the last one shown, in file order.
  const last = lineAt(found[MAX_DIFFERENCES - 1]?.path ?? []);
  if (found.length > MAX_DIFFERENCES)
    shown.push(problem(file, `… and ${found.length - MAX_DIFFERENCES} more differences`, { line: last, hint }));
  return shown;
}
