// A repository as it was at one git revision, read through git plumbing: the same Repo as the work tree's, read-only.
// Links are refused by their tree mode (120000), submodules by theirs (160000), sizes by ls-tree's before any read.
import { type Git, gitBlobId } from './git-rev.ts';
import { type BlobResult, MAX_FILE_BYTES, type ReadOptions, type ReadResult, type Repo } from './repo-fs.ts';

export async function openRevisionRepo(git: Git, sha: string): Promise<Repo> {
  const tree = await git.tree(sha);
  /** Where a path's leading folders hit something that is not a folder: a link, or a file. */
  const blockedAt = (parts: readonly string[]): ReadResult | null => {
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      const e = tree.get(rel);
      if (!e) continue;
      if (e.mode === '120000') return { ok: false, reason: 'symlink', detail: `${rel} is a symbolic link` };
      return { ok: false, reason: 'missing', detail: `${rel} is not a folder` };
    }
    return null;
  };
  const sorted = [...tree.keys()].sort();
  const entry = (rel: string, max: number): { ok: true; oid: string } | Exclude<ReadResult, { ok: true }> => {
    const bad = blockedAt(rel.split('/').slice(0, -1));
    if (bad && !bad.ok) return bad.reason === 'missing' ? { ok: false, reason: 'missing', detail: `${rel} does not exist` } : bad;
    const e = tree.get(rel);
    if (!e) return { ok: false, reason: 'missing', detail: `${rel} does not exist` };
    if (e.mode === '120000') return { ok: false, reason: 'symlink', detail: `${rel} is a symbolic link` };
    if (e.mode === '160000') return { ok: false, reason: 'not-a-file', detail: `${rel} is not a regular file` };
    if (e.size > max) return { ok: false, reason: 'too-large', detail: `${rel} is ${e.size} bytes; the limit is ${max}` };
    return { ok: true, oid: e.oid };
  };
  const readOnly = () => Promise.reject(new Error(`revision ${sha.slice(0, 12)} is read-only`));
  const read = new Map<string, number>();
  const text = (rel: string, oid: string, bytes: Buffer | null, opts: ReadOptions): ReadResult => {
    if (!bytes) return { ok: false, reason: 'unreadable', detail: `${rel} is not in this clone (object ${oid.slice(0, 12)})` };
    read.set(rel, bytes.length);
    if (!opts.id) return { ok: true, text: bytes.toString('utf8') };
    return { ok: true, text: bytes.toString('utf8'), blob: git.objectFormat === 'sha1' ? oid : gitBlobId(bytes) };
  };
  return {
    root: git.root,
    source: `revision ${sha.slice(0, 12)}`,
    async list(dir) {
      const prefix = `${dir}/`;
      if (blockedAt(dir.split('/'))) return [];
      return sorted.filter((p) => p.startsWith(prefix));
    },
    folderProblem(dir) {
      const r = blockedAt(dir.split('/'));
      return r && !r.ok && r.reason !== 'missing' ? r.detail : null;
    },
    async read(rel, opts = {}) {
      const e = entry(rel, opts.maxBytes ?? MAX_FILE_BYTES);
      if (!e.ok) return e;
      return text(rel, e.oid, await git.readObject(e.oid), opts);
    },
    readSync(rel, opts = {}) {
      const e = entry(rel, opts.maxBytes ?? MAX_FILE_BYTES);
      if (!e.ok) return e;
      return text(rel, e.oid, git.readObjectSync(e.oid), opts);
    },
    async knownIds(paths) {
      const out = new Map<string, string>();
      if (git.objectFormat !== 'sha1') return out;
      for (const rel of paths) {
        const e = entry(rel, Number.POSITIVE_INFINITY);
        if (e.ok) out.set(rel, e.oid);
      }
      return out;
    },
    filesRead: () => read,
    async blobIds(paths, opts = {}) {
      const out = new Map<string, BlobResult>();
      for (const rel of paths) {
        const e = entry(rel, opts.maxBytes ?? MAX_FILE_BYTES);
        if (!e.ok) out.set(rel, e);
        else if (git.objectFormat === 'sha1') out.set(rel, { ok: true, blob: e.oid });
        else {
          const bytes = await git.readObject(e.oid);
          out.set(
            rel,
            bytes ? { ok: true, blob: gitBlobId(bytes) } : { ok: false, reason: 'unreadable', detail: `${rel} is not in this clone` },
          );
        }
      }
      return out;
    },
    writeAtomic: readOnly,
    remove: readOnly,
  };
}
