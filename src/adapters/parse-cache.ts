// The parse cache: what reading and validating a file gave, keyed by the file's content (its git blob id), its path
// and what it was read as, so that a run parses only the files that changed. One compact file, read fully or not at
// all: a cache that is damaged, truncated, of another lineage-gate or not a cache at all is ignored with a one-line
// notice and rebuilt. What it holds only ever comes from this code's own parses (see README, "The parse cache").
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  promises as fs,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One cached read: the SHA-256 of the text (the fingerprint's input) and the value the text parsed to. */
export interface CacheEntry {
  sha256: string;
  value: unknown;
}

export interface ParseCache {
  /** The file on disk, or null when the cache is off. */
  readonly file: string | null;
  /** Why the cache on disk was not used, in one line, or null. */
  readonly notice: string | null;
  get(key: string): CacheEntry | undefined;
  put(key: string, entry: CacheEntry): void;
  /** How this run used it, for the benchmark and tests. */
  stats(): { loaded: number; hits: number; added: number };
  /**
   * Writes the entries this run used or added, when enough changed to be worth it: always after a run without a
   * usable cache, else once 1 in 32 entries are new or unused. Atomic; a failure to write is a notice, not an error.
   */
  save(): Promise<string | null>;
}

/** The key of one cached read: what the text was read as, where it lies, and its content's blob id. */
export function cacheKey(kind: string, file: string, blob: string): string {
  return `${kind}\u0000${file}\u0000${blob}`;
}

const MAGIC = 'lineage-gate parse cache\n';
const FORMAT = 1;
const FILE_NAME = 'parse-cache';
/** Larger than any cache a real repository needs; a larger file is not read. */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;
/** Rewrite once (new + unused entries) × REWRITE_SHARE reaches the entries loaded. */
const REWRITE_SHARE = 32;

/** A cache that holds nothing and keeps nothing. */
export const NO_CACHE: ParseCache = {
  file: null,
  notice: null,
  get: () => undefined,
  put: () => {},
  stats: () => ({ loaded: 0, hits: 0, added: 0 }),
  save: async () => null,
};

/** `version`: what produced the entries (parserVersion()); a cache written by anything else is foreign. */
export function openParseCache(dir: string, version: string): ParseCache {
  const file = path.join(dir, FILE_NAME);
  const loaded = load(file, version);
  const entries: Map<string, CacheEntry> = loaded.entries;
  const used = new Set<string>();
  const added = new Map<string, CacheEntry>();
  return {
    file,
    notice: loaded.notice,
    get(key) {
      const e = added.get(key) ?? entries.get(key);
      if (e) used.add(key);
      return e;
    },
    put(key, entry) {
      added.set(key, entry);
      used.add(key);
    },
    stats: () => ({ loaded: entries.size, hits: [...used].filter((k) => entries.has(k) && !added.has(k)).length, added: added.size }),
    async save() {
      const hits = [...used].filter((k) => entries.has(k) && !added.has(k)).length;
      const changed = added.size + (entries.size - hits);
      if (changed === 0 || (loaded.usable && changed * REWRITE_SHARE < entries.size)) return null;
      const keep = [...used].sort();
      const body = JSON.stringify(
        keep.map((k) => {
          const e = (added.get(k) ?? entries.get(k))!;
          return [k, e.sha256, e.value];
        }),
      );
      const header = JSON.stringify({
        format: FORMAT,
        version,
        bytes: Buffer.byteLength(body),
        sha256: sha256(body),
        entries: keep.length,
      });
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const tmp = path.join(dir, `.${FILE_NAME}.${randomBytes(6).toString('hex')}.tmp`);
        try {
          const whole = Buffer.from(`${MAGIC}${header}\n${body}`);
          await fs.writeFile(tmp, whole, { flag: 'wx', mode: 0o600 });
          await fs.rename(tmp, file);
          const digest = createHash('sha256').update(whole).digest('hex');
          memo.set(file, { digest, version, entries: new Map(keep.map((k) => [k, (added.get(k) ?? entries.get(k))!])) });
        } catch (e) {
          await fs.rm(tmp, { force: true });
          throw e;
        }
        return null;
      } catch (e) {
        return `lineage-gate: could not write the parse cache ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}); the next run parses everything again`;
      }
    },
  };
}

type Loaded = { entries: Map<string, CacheEntry>; usable: boolean; notice: string | null };

function noneOf(file: string, why: string | null): Loaded {
  return {
    entries: new Map<string, CacheEntry>(),
    usable: false,
    notice: why === null ? null : `lineage-gate: the parse cache ${file} ${why}; it was ignored and will be rebuilt`,
  };
}

/**
 * What this process last read or wrote at a path, by the SHA-256 of the whole file: an evaluation that starts another
 * (the base's manifests, a re-evaluation) does not decode the same bytes twice. The values are shared, so nothing may
 * change a parse it was given (nothing does: each step builds new objects, and the tests compare runs in one process).
 */
const memo = new Map<string, { digest: string; version: string; entries: Map<string, CacheEntry> }>();

function load(file: string, version: string): Loaded {
  let bytes: Buffer;
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return noneOf(file, 'is not a file');
      if (st.size > MAX_CACHE_BYTES) return noneOf(file, `is ${st.size} bytes, more than a parse cache can be`);
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return noneOf(file, null);
    return noneOf(file, code === 'ELOOP' ? 'is a symbolic link' : `cannot be read (${code ?? 'error'})`);
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  const known = memo.get(file);
  if (known && known.digest === digest && known.version === version) return { entries: known.entries, usable: true, notice: null };
  const loaded = decodeCache(bytes, version, file);
  if (loaded.usable) memo.set(file, { digest, version, entries: loaded.entries });
  else memo.delete(file);
  return loaded;
}

/** The entries of a cache file's bytes, all of them or none (with why, unless it is merely another version's). */
export function decodeCache(bytes: Buffer, version: string, file: string): Loaded {
  const none = (why: string | null) => noneOf(file, why);
  if (!bytes.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) return none('is not a lineage-gate parse cache');
  const nl = bytes.indexOf(10, MAGIC.length);
  if (nl < 0) return none('is incomplete (it ends inside its header)');
  let header: { format?: unknown; version?: unknown; bytes?: unknown; sha256?: unknown; entries?: unknown };
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length, nl).toString('utf8')) as typeof header;
  } catch {
    return none('has a damaged header');
  }
  if (header === null || typeof header !== 'object') return none('has a damaged header');
  // Written by another version of lineage-gate (after an upgrade, as expected): replaced without a word.
  if (header.format !== FORMAT || header.version !== version) return none(null);
  const body = bytes.subarray(nl + 1);
  if (typeof header.bytes !== 'number' || body.length !== header.bytes)
    return none(`is incomplete or overlong (${body.length} bytes of content where its header says ${String(header.bytes)})`);
  if (typeof header.sha256 !== 'string' || createHash('sha256').update(body).digest('hex') !== header.sha256)
    return none('is damaged (its checksum does not match its content)');
  let list: unknown;
  try {
    list = JSON.parse(body.toString('utf8'));
  } catch {
    return none('is damaged (its content is not what this version writes)');
  }
  if (!Array.isArray(list) || list.length !== header.entries) return none('is damaged (its content is not what this version writes)');
  const entries = new Map<string, CacheEntry>();
  for (const item of list) {
    if (!Array.isArray(item) || item.length !== 3 || typeof item[0] !== 'string' || typeof item[1] !== 'string' || !SHA256.test(item[1]))
      return none('is damaged (its content is not what this version writes)');
    entries.set(item[0], { sha256: item[1], value: item[2] });
  }
  return { entries, usable: true, notice: null };
}

const SHA256 = /^[0-9a-f]{64}$/;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Where the cache lives. `dir` as given (--cache), false for none, undefined for the default: under the repository's
 * git folder, else in a folder of this user's own in the temporary folder. Never inside the repository's files, where
 * a change under review could put a cache of its own making.
 */
export function cacheDir(opts: { dir: string | false | undefined; repoRoot: string; gitDir: string | null }): {
  dir: string | null;
  notice: string | null;
} {
  if (opts.dir === false) return { dir: null, notice: null };
  const repoRoot = path.resolve(opts.repoRoot);
  if (opts.dir !== undefined) {
    const dir = path.resolve(opts.dir);
    const inside = (parent: string) => {
      const rel = path.relative(parent, dir);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    };
    const gitDir = opts.gitDir ?? path.join(repoRoot, '.git');
    if (inside(repoRoot) && !inside(gitDir))
      return {
        dir: null,
        notice: `lineage-gate: --cache ${opts.dir} lies inside the repository, where a change under review could bring a cache of its own; the cache is not used (give a folder outside it, or leave out --cache for one under .git)`,
      };
    return { dir, notice: null };
  }
  if (opts.gitDir) return { dir: path.join(opts.gitDir, 'lineage-gate'), notice: null };
  return privateTempDir(repoRoot);
}

/** A folder only this user can write, in the temporary folder, one per repository. */
function privateTempDir(repoRoot: string): { dir: string | null; notice: string | null } {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const base = path.join(os.tmpdir(), `lineage-gate-cache-${uid ?? os.userInfo().username}`);
  try {
    mkdirSync(base, { recursive: true, mode: 0o700 });
    const st = lstatSync(base);
    // Another user could have made it first, to serve this user a cache of their own.
    if (!st.isDirectory() || (uid !== null && (st.uid !== uid || (st.mode & 0o022) !== 0)))
      return {
        dir: null,
        notice: `lineage-gate: ${base} is not a folder of this user's own; no parse cache is used (give --cache DIR)`,
      };
  } catch (e) {
    return { dir: null, notice: `lineage-gate: no parse cache: ${base} cannot be made (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  pruneOnce(base);
  return { dir: path.join(base, createHash('sha256').update(repoRoot).digest('hex').slice(0, 16)), notice: null };
}

/** Caches not rewritten for a week are removed (at worst a run parses everything again), so the temporary folder does not fill up. */
const STALE_MS = 7 * 24 * 3600 * 1000;
let pruned = false;
function pruneOnce(base: string): void {
  if (pruned) return;
  pruned = true;
  try {
    const now = Date.now();
    for (const name of readdirSync(base)) {
      if (!/^[0-9a-f]{16}$/.test(name)) continue;
      // A folder's time moves whenever its cache is rewritten (a new file renamed into it).
      const st = lstatSync(path.join(base, name), { throwIfNoEntry: false });
      if (st?.isDirectory() && now - st.mtimeMs > STALE_MS) rmSync(path.join(base, name), { recursive: true, force: true });
    }
  } catch {
    // Tidying is a courtesy; it never stands in the way of a run.
  }
}

/** The parser's identity: every source file that decides what a file parses to, the schemas, and the libraries used. */
export function parserVersion(): string {
  if (version !== null) return version;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const h = createHash('sha256').update(`format ${FORMAT}\n`);
  const add = (dir: string, only?: (name: string) => boolean) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (only && !only(name)) continue;
      try {
        h.update(`${name}\0`)
          .update(readFileSync(path.join(dir, name)))
          .update('\0');
      } catch {
        // A folder (none today): its files are not parser sources.
      }
    }
  };
  add(path.join(here, '..', 'core', 'input'));
  add(path.join(here, '..', 'core', 'lock'));
  add(path.join(here, '..', 'core'), (n) => /^(types|order)\./.test(n));
  add(here, (n) => /^parse-cache\./.test(n));
  add(path.join(here, '..', '..', 'schemas'), (n) => n.endsWith('.json'));
  const require = createRequire(import.meta.url);
  for (const dep of ['yaml', 'ajv']) {
    try {
      h.update(`${dep}@${(require(`${dep}/package.json`) as { version: string }).version}\n`);
    } catch {
      h.update(`${dep}@unknown\n`);
    }
  }
  version = h.digest('hex');
  return version;
}
let version: string | null = null;
