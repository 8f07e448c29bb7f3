// Reading the manifests and the lock through the parse cache: a file whose content the repository vouches for (git's
// index, or a revision's tree) and whose parse the cache holds is not read at all; every other file is read, parsed
// and validated as before, and its parse cached when it had no problem. The result, in file order, is exactly what
// parsing every file would give, and each file's fingerprint input (the SHA-256 of its text) is the same.
import { createHash } from 'node:crypto';
import { cacheDir, cacheKey, NO_CACHE, openParseCache, type ParseCache, parserVersion } from './adapters/parse-cache.ts';
import { parsePlainParallel } from './adapters/parse-pool.ts';
import { MAX_LOCK_BYTES, type ReadResult, type Repo } from './adapters/repo-fs.ts';
import {
  type DatasetDraft,
  type Kind,
  type ModelDraft,
  type ParsedManifests,
  type PlainParsed,
  withLines,
} from './core/input/manifests.ts';
import { type InputProblem, problem } from './core/input/problems.ts';
import { parseLock } from './core/lock/lock-file.ts';
import type { Lock, Workflow } from './core/types.ts';

type Entity = DatasetDraft | ModelDraft | Workflow;
/** Records a file's fingerprint input: the SHA-256 of its text. */
export type RememberHash = (file: string, sha256: string) => void;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Reading a manifest failed (a link, too large, unreadable): the problem the manifest read reports. */
function readProblem(p: string, r: Exclude<ReadResult, { ok: true }>): InputProblem {
  return problem(p, r.detail, { hint: r.reason === 'symlink' ? 'replace the link with the file itself' : 'check the file' });
}

/**
 * The manifests of `listed`, parsed: from the cache where it knows a file's content, else read and parsed (on worker
 * threads for many files). `problems` holds the files that could not be read.
 */
export async function readManifests(
  repo: Repo,
  listed: readonly { kind: Kind; path: string }[],
  cache: ParseCache,
  remember: RememberHash,
): Promise<{ parsed: ParsedManifests; problems: InputProblem[]; timings: { read: number; parse: number } }> {
  const t0 = performance.now();
  const files = [...listed].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const known = cache.file === null ? new Map<string, string>() : await repo.knownIds(files.map((f) => f.path));
  const problems: InputProblem[] = [];
  const hits = new Map<string, Entity>();
  const texts = new Map<string, string>();
  const toRead: { kind: Kind; path: string }[] = [];
  for (const f of files) {
    const blob = known.get(f.path);
    if (blob !== undefined) {
      const e = cache.get(cacheKey(`manifest:${f.kind}`, f.path, blob));
      if (e && isEntityOf(e.value, f.path)) {
        hits.set(f.path, e.value);
        remember(f.path, e.sha256);
        continue;
      }
    }
    toRead.push(f);
  }
  const reads = await readAll(
    repo,
    toRead.map((f) => f.path),
  );
  const misses: { kind: Kind; file: { path: string; text: string }; blob: string }[] = [];
  toRead.forEach(({ kind, path }, i) => {
    const r = reads[i]!;
    if (!r.ok) {
      problems.push(readProblem(path, r));
      return;
    }
    // Read to learn its content (outside git, or changed since checkout): the cache may still know its parse.
    const e = cache.get(cacheKey(`manifest:${kind}`, path, r.blob!));
    if (e && isEntityOf(e.value, path)) {
      hits.set(path, e.value);
      remember(path, e.sha256);
      texts.set(path, r.text);
    } else {
      remember(path, sha256(r.text));
      misses.push({ kind, file: { path, text: r.text }, blob: r.blob! });
    }
  });
  const t1 = performance.now();

  const fresh = await parsePlainParallel(misses);
  // What each fresh file gave, so that it can be cached and put back in file order among the cached ones.
  const byFile = new Map<string, { entities: Entity[]; problems: InputProblem[] }>();
  const of = (file: string) => {
    let g = byFile.get(file);
    if (!g) {
      g = { entities: [], problems: [] };
      byFile.set(file, g);
    }
    return g;
  };
  for (const list of [fresh.datasets, fresh.models, fresh.workflows]) for (const x of list) of(x.file).entities.push(x);
  for (const p of fresh.problems) of(p.file).problems.push(p);
  const parsedFresh = new Set(fresh.parsed);
  for (const m of misses) texts.set(m.file.path, m.file.text);
  for (const m of misses) {
    const g = byFile.get(m.file.path);
    if (!g || g.problems.length > 0 || g.entities.length !== 1 || !parsedFresh.has(m.file.path)) continue;
    if (cache.file !== null && isPlainJson(g.entities[0]))
      cache.put(cacheKey(`manifest:${m.kind}`, m.file.path, m.blob), { sha256: sha256(m.file.text), value: g.entities[0] });
  }

  const out: PlainParsed = { datasets: [], models: [], workflows: [], problems: [], parsed: [] };
  const push = (kind: Kind, x: Entity) => {
    if (kind === 'dataset') out.datasets.push(x as DatasetDraft);
    else if (kind === 'model') out.models.push(x as ModelDraft);
    else out.workflows.push(x as Workflow);
  };
  for (const { kind, path } of files) {
    const hit = hits.get(path);
    if (hit) {
      push(kind, hit);
      out.parsed.push(path);
      continue;
    }
    const g = byFile.get(path);
    if (g) {
      for (const x of g.entities) push(kind, x);
      out.problems.push(...g.problems);
    }
    if (parsedFresh.has(path)) out.parsed.push(path);
  }
  // A cached file's text is read again only if a message needs one of its lines.
  const parsed = withLines(out, (path) => {
    const text = texts.get(path);
    if (text !== undefined) return text;
    const r = repo.readSync(path);
    return r.ok ? r.text : '';
  });
  return { parsed, problems, timings: { read: t1 - t0, parse: performance.now() - t1 } };
}

export type LockRead =
  | { ok: true; parsed: () => ReturnType<typeof parseLock> }
  | { ok: false; reason: Exclude<ReadResult, { ok: true }>['reason']; detail: string };

/** The lock at `file` of `state`, parsed; from the cache when its content is known there. */
export async function readLock(state: Repo, file: string, cache: ParseCache, remember: RememberHash): Promise<LockRead> {
  const key = (blob: string) => cacheKey('lock', file, blob);
  if (cache.file !== null) {
    const blob = (await state.knownIds([file])).get(file);
    const e = blob === undefined ? undefined : cache.get(key(blob));
    if (e && isLock(e.value)) {
      remember(file, e.sha256);
      const lock = e.value;
      return { ok: true, parsed: () => ({ ok: true, lock }) };
    }
  }
  const r = await state.read(file, { maxBytes: MAX_LOCK_BYTES, id: true });
  if (!r.ok) return r;
  const e = cache.get(key(r.blob!));
  if (e && isLock(e.value)) {
    remember(file, e.sha256);
    const lock = e.value;
    return { ok: true, parsed: () => ({ ok: true, lock }) };
  }
  const digest = sha256(r.text);
  remember(file, digest);
  return {
    ok: true,
    parsed: () => {
      const parsed = parseLock(r.text, file);
      if (parsed.ok && cache.file !== null && isPlainJson(parsed.lock)) cache.put(key(r.blob!), { sha256: digest, value: parsed.lock });
      return parsed;
    },
  };
}

/** Reading many small files at once is faster than one by one, but unbounded parallelism exhausts file handles. */
const READ_CONCURRENCY = 64;

/** Reads files with their blob ids, several at a time; results in the order of `paths`. */
async function readAll(repo: Repo, paths: readonly string[]): Promise<ReadResult[]> {
  const out = new Array<ReadResult>(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      out[i] = await repo.read(paths[i]!, { id: true });
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, paths.length) }, worker));
  return out;
}

/** The shape a cached manifest must have to be used: anything else is a miss, parsed again. */
function isEntityOf(v: unknown, file: string): v is Entity {
  return typeof v === 'object' && v !== null && (v as Entity).file === file && typeof (v as Entity).id === 'string';
}

function isLock(v: unknown): v is Lock {
  const l = v as Lock;
  return (
    typeof v === 'object' && v !== null && typeof l.models === 'object' && typeof l.datasets === 'object' && typeof l.workflows === 'object'
  );
}

/**
 * Whether JSON gives `v` back exactly: plain objects and arrays of strings, booleans, null and finite numbers other
 * than -0. A value with anything else (Infinity from `.inf`, undefined) is parsed every time instead of cached.
 */
export function isPlainJson(v: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !isPlainJson(v[i], depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) if (!isPlainJson((v as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

/**
 * The parse cache an evaluation uses: `dir` as given (--cache), false for none, undefined for the default place.
 * Notices (a cache ignored, a folder refused) go to `notice`.
 */
export function openCache(
  opts: { dir: string | false | undefined; repoRoot: string; gitDir: string | null },
  notice: (line: string) => void,
): ParseCache {
  const where = cacheDir(opts);
  if (where.notice) notice(where.notice);
  if (where.dir === null) return NO_CACHE;
  const cache = openParseCache(where.dir, parserVersion());
  if (cache.notice) notice(cache.notice);
  return cache;
}

/** A file opened through the cache: its content's id, and values derived from its text, cached by that id. */
export interface CachedFile {
  ok: true;
  blob: string;
  /**
   * What `derive` makes of the file's text: from the cache when it holds it for this content, else computed (the file
   * read if it was not yet) and cached when `keep` says so. `kind` names what is derived, and from what else, if
   * anything (it is part of the key).
   */
  derive<T>(kind: string, derive: (text: string) => T, keep: (value: T) => boolean): T;
}

/** Opens files through the cache; every file opened is remembered for the fingerprint, as a read would be. */
export interface CachedReader {
  open(rel: string): Promise<CachedFile | Exclude<ReadResult, { ok: true }>>;
}

export function cachedReader(repo: Repo, cache: ParseCache, remember: RememberHash): CachedReader {
  const opened = new Map<string, Promise<CachedFile | Exclude<ReadResult, { ok: true }>>>();
  const open = async (rel: string): Promise<CachedFile | Exclude<ReadResult, { ok: true }>> => {
    let text: string | null = null;
    let blob = cache.file === null ? undefined : (await repo.knownIds([rel])).get(rel);
    const seen = blob === undefined ? undefined : cache.get(cacheKey('text', rel, blob));
    if (seen) remember(rel, seen.sha256);
    else {
      const r = await repo.read(rel, { id: true });
      if (!r.ok) return r;
      text = r.text;
      blob = r.blob!;
      const digest = sha256(text);
      remember(rel, digest);
      if (cache.file !== null) cache.put(cacheKey('text', rel, blob), { sha256: digest, value: null });
    }
    const id = blob!;
    const textNow = (): string => {
      if (text === null) {
        const r = repo.readSync(rel);
        text = r.ok ? r.text : '';
      }
      return text;
    };
    return {
      ok: true,
      blob: id,
      derive(kind, derive, keep) {
        const key = cacheKey(kind, rel, id);
        const hit = cache.get(key);
        if (hit) {
          const value = fromStored(hit.value);
          if (value !== undefined) return value as ReturnType<typeof derive>;
        }
        const t = textNow();
        const value = derive(t);
        if (cache.file !== null && keep(value)) {
          const stored = toStored(value);
          if (stored !== undefined) cache.put(key, { sha256: sha256(t), value: stored });
        }
        return value;
      },
    };
  };
  return {
    open(rel) {
      let p = opened.get(rel);
      if (!p) {
        p = open(rel);
        opened.set(rel, p);
      }
      return p;
    },
  };
}

/**
 * Values with Maps and absent fields (what DVC's files parse to) as JSON, tagged so that they come back exactly:
 * `{"\u0000": "map", "e": [...]}`, `{"\u0000": "u"}` for undefined, `{"\u0000": "o", "e": [...]}` for an object
 * that has a "\u0000" key itself. Undefined when the value holds anything else (then it is not cached).
 */
export function toStored(v: unknown, depth = 0): unknown {
  if (depth > 64) return undefined;
  if (v === undefined) return { '\u0000': 'u' };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : undefined;
  if (typeof v !== 'object') return undefined;
  const all = (xs: unknown[]) => {
    const out = xs.map((x) => toStored(x, depth + 1));
    return out.includes(undefined) ? undefined : out;
  };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v)) return undefined;
    return all(v);
  }
  if (v instanceof Map) {
    const e = all([...v].map(([k, x]) => [k, x]));
    return e === undefined ? undefined : { '\u0000': 'map', e };
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return undefined;
  const entries = Object.entries(v);
  if (Object.hasOwn(v, '\u0000')) {
    const e = all(entries);
    return e === undefined ? undefined : { '\u0000': 'o', e };
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) {
    const s = toStored(x, depth + 1);
    if (s === undefined) return undefined;
    out[k] = s;
  }
  return out;
}

/** The value toStored stored; undefined when it is not one toStored writes (the entry is then a miss). */
export function fromStored(v: unknown, depth = 0): unknown {
  if (depth > 66) return undefined;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const y = fromStored(x, depth + 1);
      if (y === undefined && !isUndefinedTag(x)) return undefined;
      out.push(y);
    }
    return out;
  }
  const o = v as Record<string, unknown>;
  if (Object.hasOwn(o, '\u0000')) {
    if (o['\u0000'] === 'u') return undefined;
    const e = fromStored(o.e, depth + 1);
    if (!Array.isArray(e) || !e.every((p) => Array.isArray(p) && p.length === 2)) return undefined;
    if (o['\u0000'] === 'map') return new Map(e as [unknown, unknown][]);
    if (o['\u0000'] === 'o' && e.every((p) => typeof p[0] === 'string')) return Object.fromEntries(e as [string, unknown][]);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    const y = fromStored(x, depth + 1);
    if (y === undefined && !isUndefinedTag(x)) return undefined;
    out[k] = y;
  }
  return out;
}

function isUndefinedTag(x: unknown): boolean {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    (x as Record<string, unknown>)['\u0000'] === 'u' &&
    Object.keys(x).length === 1
  );
}
