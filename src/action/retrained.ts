// The merge job of a retrain fan-out: the folders the retrain jobs uploaded are applied to the workspace before it is
// evaluated, within what core/plan/retrained.ts allows each model's job to change.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { findRepoRoot, openRepo } from '../adapters/repo-fs.ts';
import { type RetrainOutput, retrainChanges } from '../core/plan/retrained.ts';
import { evaluate } from '../evaluate.ts';
import { planOf } from '../planning.ts';
import type { ActionIo, EventContext } from './modes.ts';

/** Applies the retrain outputs below `dir` (one folder per job: retrained-<model>/<repository paths>); returns what it wrote. */
export async function applyRetrained(
  dir: string,
  root: string,
  ctx: EventContext,
  io: ActionIo,
  cache: { cache: string | false; notice: (line: string) => void } = { cache: false, notice: () => {} },
): Promise<{ ok: true; writes: { path: string; text: string }[] } | { ok: false }> {
  const rootAbs = path.join(ctx.workspace, root);
  const entries = await (async () => {
    using ev = await evaluate({ root: rootAbs, ...cache });
    const planned = await planOf(ev);
    return planned.ok ? planned.plan.chunks.flatMap((c) => c.include) : null;
  })();
  if (entries === null) {
    io.fail('lineage-gate: the plan to apply retrained models to is not valid; run mode plan to see why');
    return { ok: false };
  }
  const folders = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory()).map((d) => d.name);
  const outputs: RetrainOutput[] = [];
  for (const name of folders.sort()) {
    const abs = path.join(dir, name);
    const folder = openRepo(abs);
    const files = new Map<string, string>();
    for (const d of await readdir(abs, { recursive: true, withFileTypes: true })) {
      if (d.isDirectory()) continue;
      const rel = path.relative(abs, path.join(d.parentPath, d.name)).split(path.sep).join('/');
      // read() refuses links (and oversized files) itself, anywhere on the path.
      const r = await folder.read(rel);
      if (r.ok) files.set(rel, r.text);
      else io.warning(`lineage-gate: ${name}/${rel}: ${r.detail}; left out`);
    }
    outputs.push({ name, model: name.replace(/^retrained-/, ''), files });
  }
  const repo = openRepo(await findRepoRoot(rootAbs));
  const current = new Map<string, string | null>();
  for (const e of entries) {
    if (!e.pipeline) continue;
    const lock = e.pipeline.replace(/[^/]*$/, 'dvc.lock');
    const r = await repo.read(lock);
    current.set(lock, r.ok ? r.text : null);
  }
  const changes = retrainChanges(entries, outputs, (p) => current.get(p) ?? null);
  for (const line of changes.ignored) io.warning(`lineage-gate: ${line}`);
  if (changes.problems.length > 0) {
    io.fail(`lineage-gate: the retrained models could not be applied: ${changes.problems.join('; ')}`);
    return { ok: false };
  }
  for (const w of changes.writes) await repo.writeAtomic(w.path, w.text);
  const missing = entries.filter((e) => !outputs.some((o) => o.model === e.model)).map((e) => e.model);
  io.info(
    `lineage-gate: applied ${changes.applied.length} retrained file(s) from ${outputs.length} job(s)` +
      (changes.applied.length ? `:\n  ${changes.applied.join('\n  ')}` : '') +
      (missing.length ? `\nno output from the jobs of ${missing.join(', ')}: they stay stale` : ''),
  );
  return { ok: true, writes: changes.writes };
}
