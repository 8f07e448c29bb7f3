// The ids by which the lock knows metric files: a file's git blob id, or for a folder of dvclive files one SHA-1
// over the relative path and blob id of each file in it. In a git work tree unchanged files cost no read.
import { createHash } from 'node:crypto';
import type { BlobResult, Repo } from './adapters/repo-fs.ts';

export async function metricIds(repo: Repo, paths: readonly string[]): Promise<Map<string, BlobResult>> {
  const out = await repo.blobIds(paths);
  for (const p of paths) {
    const r = out.get(p)!;
    // A folder reads as "not a file" from disk and as "missing" from a revision, which lists no folders.
    if (r.ok || (r.reason !== 'not-a-file' && r.reason !== 'missing')) continue;
    const listed = await repo.list(p);
    if (listed.length === 0) continue;
    const ids = await repo.blobIds(listed);
    const bad = listed.map((f) => ids.get(f)!).find((x) => !x.ok);
    if (bad) {
      out.set(p, bad);
      continue;
    }
    const h = createHash('sha1').update('lineage-gate metric folder v1\n');
    for (const f of listed) h.update(`${f.slice(p.length + 1)}\0${(ids.get(f) as { blob: string }).blob}\n`);
    out.set(p, { ok: true, blob: h.digest('hex') });
  }
  return out;
}
