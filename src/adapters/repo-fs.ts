// The repository on disk: listing manifests, reading files without following symlinks, and atomic writes.
import { constants, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export type ReadFailure = 'missing' | 'symlink' | 'not-a-file' | 'too-large' | 'unreadable';
export type ReadResult = { ok: true; text: string } | { ok: false; reason: ReadFailure; detail: string };

/** No manifest or metric file needs more; larger ones are refused before they are read into memory. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface Repo {
  /** Absolute path of the repository root. */
  readonly root: string;
  /** Files below `dir` (repository-relative), recursively, sorted; symlinks are listed so they can be refused. */
  list(dir: string): Promise<string[]>;
  read(rel: string): Promise<ReadResult>;
  writeAtomic(rel: string, text: string): Promise<void>;
  remove(rel: string): Promise<void>;
}

export function openRepo(root: string): Repo {
  const abs = path.resolve(root);
  const full = (rel: string) => path.join(abs, ...rel.split('/'));
  return {
    root: abs,
    async list(dir) {
      const out: string[] = [];
      const walk = async (rel: string): Promise<void> => {
        let entries;
        try {
          entries = await fs.readdir(full(rel), { withFileTypes: true });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
          throw e;
        }
        for (const e of entries) {
          const child = `${rel}/${e.name}`;
          if (e.isDirectory()) await walk(child);
          else if (e.isFile() || e.isSymbolicLink()) out.push(child);
        }
      };
      await walk(dir);
      return out.sort();
    },
    async read(rel) {
      // Refuse a symlink anywhere on the way, so no path can lead outside the repository through one.
      const parts = rel.split('/');
      let cur = abs;
      for (let i = 0; i < parts.length; i++) {
        cur = path.join(cur, parts[i]!);
        let st;
        try {
          st = await fs.lstat(cur);
        } catch {
          return { ok: false, reason: 'missing', detail: `${rel} does not exist` };
        }
        if (st.isSymbolicLink()) return { ok: false, reason: 'symlink', detail: `${parts.slice(0, i + 1).join('/')} is a symbolic link` };
        if (i < parts.length - 1 && !st.isDirectory()) return { ok: false, reason: 'missing', detail: `${parts.slice(0, i + 1).join('/')} is not a folder` };
        if (i === parts.length - 1) {
          if (!st.isFile()) return { ok: false, reason: 'not-a-file', detail: `${rel} is not a regular file` };
          if (st.size > MAX_FILE_BYTES) return { ok: false, reason: 'too-large', detail: `${rel} is ${st.size} bytes; the limit is ${MAX_FILE_BYTES}` };
        }
      }
      try {
        const handle = await fs.open(cur, constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          return { ok: true, text: await handle.readFile({ encoding: 'utf8' }) };
        } finally {
          await handle.close();
        }
      } catch (e) {
        return { ok: false, reason: 'unreadable', detail: `${rel} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
      }
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
