// The repository on disk: listing manifests, reading files without following symlinks, blob ids, and atomic writes.

import { randomBytes } from 'node:crypto';
import { closeSync, constants, type Dirent, promises as fs, fstatSync, lstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { type Git, gitBlobId } from './git-rev.ts';

export type ReadFailure = 'missing' | 'symlink' | 'not-a-file' | 'too-large' | 'unreadable';
/** `blob`: the git blob id of the bytes read (SHA-1 form), when asked for with `{ id: true }`. */
export type ReadResult = { ok: true; text: string; blob?: string } | { ok: false; reason: ReadFailure; detail: string };
export interface ReadOptions {
  maxBytes?: number;
  /** Also give the blob id of the bytes read (the parse cache's key). */
  id?: boolean;
}
/** A file's git blob id in its SHA-1 form (sha1 of "blob <size>\0" and the bytes), the same with or without git. */
export type BlobResult = { ok: true; blob: string } | { ok: false; reason: ReadFailure; detail: string };

/** No manifest or metric file needs more; larger ones are refused before they are read into memory. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** The lock grows with the repository (about 13 MiB at 30,000 models); it is ours, but still bounded. */
export const MAX_LOCK_BYTES = 256 * 1024 * 1024;

export interface Repo {
  /** Absolute path of the repository root. */
  readonly root: string;
  /** Files below `dir` (repository-relative), recursively, sorted; symlinks are listed so they can be refused. */
  list(dir: string): Promise<string[]>;
  /** Why `dir` cannot be listed safely (a link, or not a folder), or null when it is a real folder or absent. */
  folderProblem(dir: string): string | null;
  read(rel: string, opts?: ReadOptions): Promise<ReadResult>;
  /** The same read, synchronously: for the line of a field in a file whose parse came from the cache. */
  readSync(rel: string, opts?: ReadOptions): ReadResult;
  /**
   * Blob ids the repository vouches for without a read: files git's index records as unchanged in the work tree,
   * whose bytes are exactly the blob's (no checkout conversion), in real folders; a revision's files. Others are
   * left out: read them.
   */
  knownIds(paths: readonly string[]): Promise<Map<string, string>>;
  /** Every file whose bytes this repository read, with its size: what an evaluation cost in reading. */
  filesRead(): ReadonlyMap<string, number>;
  /**
   * Blob ids of files, refusing links and oversized files as read() does. From git's index when git knows the
   * file is unchanged (no read at all), else by reading and hashing it.
   */
  blobIds(paths: readonly string[], opts?: { maxBytes?: number }): Promise<Map<string, BlobResult>>;
  /** Where the files come from, for messages: "the work tree" or "revision 1a2b3c4d5e6f". */
  readonly source: string;
  writeAtomic(rel: string, text: string): Promise<void>;
  remove(rel: string): Promise<void>;
}

/** `git` (optional) lets blobIds answer from the index; pass the work tree whose top level is `root`. */
export function openRepo(root: string, git: Git | null = null): Repo {
  const abs = path.resolve(root);
  const full = (rel: string) => path.join(abs, ...rel.split('/'));
  /** Folders (repository-relative) known to be real folders, not links: each is checked once. */
  const verified = new Set<string>(['']);
  /** Refuses a link or a non-folder anywhere among `folders` (the leading parts of a path); null when all are real. */
  const checkFolders = (folders: string[]): ReadResult | null => {
    for (let i = 1; i <= folders.length; i++) {
      const rel = folders.slice(0, i).join('/');
      if (verified.has(rel)) continue;
      let st: Stats;
      try {
        st = lstatSync(full(rel));
      } catch {
        return { ok: false, reason: 'missing', detail: `${rel} does not exist` };
      }
      if (st.isSymbolicLink()) return { ok: false, reason: 'symlink', detail: `${rel} is a symbolic link` };
      if (!st.isDirectory()) return { ok: false, reason: 'missing', detail: `${rel} is not a folder` };
      verified.add(rel);
    }
    return null;
  };
  type Bytes = { ok: true; bytes: Buffer } | { ok: false; reason: ReadFailure; detail: string };
  const read = new Map<string, number>();
  const readBytes = (rel: string, max: number): Bytes => {
    const r = readBytesOnce(rel, max);
    if (r.ok) read.set(rel, r.bytes.length);
    return r;
  };
  const readText = (rel: string, opts: ReadOptions): ReadResult => {
    const r = readBytes(rel, opts.maxBytes ?? MAX_FILE_BYTES);
    if (!r.ok) return r;
    return opts.id ? { ok: true, text: r.bytes.toString('utf8'), blob: gitBlobId(r.bytes) } : { ok: true, text: r.bytes.toString('utf8') };
  };
  const readBytesOnce = (rel: string, max: number): Bytes => {
    const parts = rel.split('/');
    const bad = checkFolders(parts.slice(0, -1));
    // Name the file the user asked for; a missing folder on the way is the same answer to them.
    if (bad && !bad.ok) return bad.reason !== 'missing' ? bad : { ok: false, reason: 'missing', detail: `${rel} does not exist` };
    // Files are read synchronously: for thousands of small cached files that is several times faster than
    // a thread-pool round trip per system call, and nothing else runs meanwhile.
    let fd: number;
    try {
      fd = openSync(full(rel), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { ok: false, reason: 'symlink', detail: `${rel} is a symbolic link` };
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', detail: `${rel} does not exist` };
      return { ok: false, reason: 'unreadable', detail: `${rel} cannot be read (${code ?? 'error'})` };
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return { ok: false, reason: 'not-a-file', detail: `${rel} is not a regular file` };
      if (st.size > max) return { ok: false, reason: 'too-large', detail: `${rel} is ${st.size} bytes; the limit is ${max}` };
      return { ok: true, bytes: readFileSync(fd) };
    } catch (e) {
      return { ok: false, reason: 'unreadable', detail: `${rel} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    } finally {
      closeSync(fd);
    }
  };
  return {
    root: abs,
    source: 'the work tree',
    folderProblem(dir) {
      const r = checkFolders(dir.split('/'));
      return r && !r.ok && r.reason !== 'missing' ? r.detail : null;
    },
    async list(dir) {
      const out: string[] = [];
      const walk = async (rel: string): Promise<void> => {
        let entries: Dirent[];
        try {
          entries = await fs.readdir(full(rel), { withFileTypes: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
          throw e;
        }
        // readdir reports a link as a link, so a folder reached here was never reached through one...
        verified.add(rel);
        for (const e of entries) {
          const child = `${rel}/${e.name}`;
          if (e.isDirectory()) await walk(child);
          else if (e.isFile() || e.isSymbolicLink()) out.push(child);
        }
      };
      // ...provided the folders above `dir` are real too.
      if (checkFolders(dir.split('/')) === null) await walk(dir);
      return out.sort();
    },
    async read(rel, opts = {}) {
      return readText(rel, opts);
    },
    readSync: (rel, opts = {}) => readText(rel, opts),
    filesRead: () => read,
    async knownIds(paths) {
      const out = new Map<string, string>();
      if (git?.objectFormat !== 'sha1') return out;
      const index = await git.index();
      const dirty = await git.dirty();
      const clean = paths.filter((rel) => {
        const e = index.get(rel);
        return (
          e !== undefined &&
          (e.mode === '100644' || e.mode === '100755') &&
          !dirty.has(rel) &&
          checkFolders(rel.split('/').slice(0, -1)) === null
        );
      });
      const exact = await git.unconverted(clean);
      for (const rel of clean) if (exact.has(rel)) out.set(rel, index.get(rel)!.oid);
      return out;
    },
    async blobIds(paths, opts = {}) {
      const max = opts.maxBytes ?? MAX_FILE_BYTES;
      const out = new Map<string, BlobResult>();
      const sha1Index = git?.objectFormat === 'sha1';
      const index = sha1Index ? await git!.index() : null;
      const dirty = sha1Index ? await git!.dirty() : null;
      const viaGit: string[] = [];
      for (const rel of paths) {
        const bad = checkFolders(rel.split('/').slice(0, -1));
        if (bad && !bad.ok) {
          out.set(rel, bad.reason === 'missing' ? { ok: false, reason: 'missing', detail: `${rel} does not exist` } : bad);
          continue;
        }
        const e = index?.get(rel);
        if (e && !dirty!.has(rel)) {
          // Unchanged since it was staged: the index knows its id, and its mode says what it is.
          if (e.mode === '120000') out.set(rel, { ok: false, reason: 'symlink', detail: `${rel} is a symbolic link` });
          else if (e.mode === '160000') out.set(rel, { ok: false, reason: 'not-a-file', detail: `${rel} is not a regular file` });
          else out.set(rel, { ok: true, blob: e.oid });
          continue;
        }
        const r = readBytes(rel, max);
        if (!r.ok) out.set(rel, r);
        else {
          out.set(rel, { ok: true, blob: gitBlobId(r.bytes) });
          if (sha1Index && !/[\n\r]/.test(rel)) viaGit.push(rel);
        }
      }
      // Changed or untracked files: the id `git add` would give them (clean filters, line endings), so the lock agrees
      // with what gets committed. Without git, or if git cannot say, the bytes' own id stands.
      if (viaGit.length > 0) {
        const ids = await git!.hashFiles(viaGit).catch(() => null);
        if (ids)
          viaGit.forEach((rel, i) => {
            out.set(rel, { ok: true, blob: ids[i]! });
          });
      }
      return out;
    },
    async writeAtomic(rel, text) {
      const target = full(rel);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await fs.writeFile(tmp, text, { flag: 'wx' });
        await fs.rename(tmp, target);
      } catch (e) {
        await fs.rm(tmp, { force: true });
        throw e;
      }
    },
    async remove(rel) {
      await fs.rm(full(rel), { force: true });
    },
  };
}

/**
 * The repository a lineage root belongs to: the nearest folder above it with a .git entry; without one, the
 * working directory when the root lies inside it, else the root itself.
 */
export async function findRepoRoot(start: string, cwd: string = process.cwd()): Promise<string> {
  const abs = path.resolve(start);
  let dir = abs;
  for (;;) {
    try {
      await fs.lstat(path.join(dir, '.git'));
      return dir;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  const rel = path.relative(cwd, abs);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)) ? path.resolve(cwd) : abs;
}
