// Git as data, read-only and without a shell: revision names validated, then resolved and read through plumbing
// (rev-parse, ls-tree, one long-lived cat-file --batch), and the work tree's blob ids taken from the index.
// Nothing is checked out; nothing from a manifest reaches git's command line.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** One entry of a tree (ls-tree -r -l) or of the index (ls-files -s). */
export interface GitEntry {
  /** 100644, 100755, 120000 (a symbolic link) or 160000 (a submodule). */
  mode: string;
  /** Object id: for 'sha1' repositories, the git blob id. */
  oid: string;
  /** Size in bytes; -1 when git did not say (the index). */
  size: number;
}

export type Resolved = { ok: true; sha: string } | { ok: false; message: string; hint: string };

export interface Git {
  /** The work tree's top-level folder, as git reports it. */
  readonly root: string;
  /** The repository's git folder (`.git`, or the worktree's folder under it), absolute. */
  readonly gitDir: string;
  readonly shallow: boolean;
  readonly objectFormat: 'sha1' | 'sha256';
  /** A revision name (already validated by isRevisionName) → the commit it names. */
  resolve(rev: string): Promise<Resolved>;
  /** Every file of a commit's tree, by repository-relative path; read once per commit. */
  tree(sha: string): Promise<ReadonlyMap<string, GitEntry>>;
  /** An object's bytes, through one cat-file --batch process shared by every read; null when it is not there. */
  readObject(oid: string): Promise<Buffer | null>;
  /** The same, synchronously and in a process of its own: for the rare read that cannot wait (a line in a message). */
  readObjectSync(oid: string): Buffer | null;
  /** The index (stage 0) by path; conflicted paths are left out. Read once. */
  index(): Promise<ReadonlyMap<string, GitEntry>>;
  /** Tracked paths whose work-tree file differs from the index (changed or deleted). Read once. */
  dirty(): Promise<ReadonlySet<string>>;
  /**
   * Of these tracked paths, those whose work-tree bytes are exactly their blob's, because no conversion can apply at
   * checkout: no smudge filter, no line-ending conversion, no ident, no working-tree encoding. Read once per path set.
   */
  unconverted(paths: readonly string[]): Promise<ReadonlySet<string>>;
  /** Blob ids of work-tree files as `git add` would store them (clean filters and line endings applied). */
  hashFiles(paths: readonly string[]): Promise<string[]>;
  /** Fetches `ref` (a full sha or refs/... name) from `remote`; the token, if any, goes to git in its environment. */
  fetch(remote: string, ref: string, opts?: { depth?: number; token?: string; serverUrl?: string }): Promise<void>;
  /** Stops the cat-file process. Safe to call twice. */
  close(): void;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** Commit-ish names people type: branches, tags, shas, HEAD~2, origin/main, main@{1}, v1^{commit}. */
const REVISION = /^[A-Za-z0-9_][A-Za-z0-9._/@{}~^+-]{0,254}$/;

/** Whether `name` is a revision lineage-gate will hand to git: no option, no range, no `rev:path`, no space. */
export function isRevisionName(name: string): boolean {
  return REVISION.test(name) && !name.includes('..') && !name.includes('//') && !name.endsWith('.lock') && !name.endsWith('/');
}

export function isSha(s: string): boolean {
  return SHA.test(s);
}

/** The id git gives a blob of these bytes in a SHA-1 repository: sha1("blob <size>\0" + bytes). */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

const MAX_BUFFER = 512 * 1024 * 1024;

/** git's environment: no prompts, no optional index locks, and the caller's GIT_DIR and friends left out. */
function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', ...extra };
}

function run(
  cwd: string,
  args: readonly string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      ['-C', cwd, ...args],
      { encoding: 'buffer', maxBuffer: MAX_BUFFER, env: opts.env ?? gitEnv(), timeout: opts.timeout ?? 120_000 },
      (error, stdout, stderr) => {
        const err = stderr.toString('utf8');
        if (error) reject(Object.assign(new Error(`git ${args[0]}: ${err.trim() || error.message}`), { stderr: err }));
        else resolve({ stdout, stderr: err });
      },
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

/**
 * The git work tree whose top level is `root`, or null when `root` is not one (no git, no repository, a `.git` that
 * is not git's, or a repository whose top level is elsewhere: git is never allowed to find one further up).
 */
export async function openGit(root: string): Promise<Git | null> {
  const abs = path.resolve(root);
  const env = gitEnv({ GIT_CEILING_DIRECTORIES: path.dirname(abs) });
  let lines: string[];
  try {
    const { stdout } = await run(
      abs,
      ['rev-parse', '--show-toplevel', '--is-shallow-repository', '--show-object-format', '--absolute-git-dir'],
      { env },
    );
    lines = stdout.toString('utf8').trim().split('\n');
  } catch {
    return null;
  }
  const [top, shallow, format, gitDir] = lines;
  if (!top || !gitDir || realpath(top) !== realpath(abs)) return null;
  return makeGit(abs, gitDir, shallow === 'true', format === 'sha256' ? 'sha256' : 'sha1', env);
}

function realpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function makeGit(root: string, gitDir: string, shallow: boolean, objectFormat: 'sha1' | 'sha256', env: NodeJS.ProcessEnv): Git {
  const git = (args: readonly string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
    run(root, args, { env: opts.env ?? env, input: opts.input });
  const trees = new Map<string, Promise<Map<string, GitEntry>>>();
  let index: Promise<Map<string, GitEntry>> | null = null;
  let dirty: Promise<Set<string>> | null = null;
  let batch: BatchReader | null = null;

  let conversions: Promise<boolean> | null = null;

  return {
    root,
    gitDir,
    shallow,
    objectFormat,
    async resolve(rev) {
      if (!isRevisionName(rev))
        return {
          ok: false,
          message: `"${rev.slice(0, 80)}" is not a revision name lineage-gate will pass to git`,
          hint: 'name a branch, tag or commit, e.g. origin/main, HEAD~1 or a full sha',
        };
      try {
        const { stdout } = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
        const sha = stdout.toString('utf8').trim();
        if (isSha(sha)) return { ok: true, sha };
      } catch {
        // Below: say why, in the terms of a clone that may be shallow.
      }
      const missing = isSha(rev) ? `commit ${rev} is not in this clone` : `"${rev}" does not name a commit in this repository`;
      return {
        ok: false,
        message: shallow ? `${missing} (the clone is shallow)` : missing,
        hint: shallow
          ? `a shallow clone lacks older commits: fetch this one (git fetch --depth=1 origin ${isSha(rev) ? rev : '<its sha or branch>'}), or check out with more history (actions/checkout: fetch-depth: 0)`
          : 'fetch it first (git fetch origin), or check the name',
      };
    },
    tree(sha) {
      if (!isSha(sha)) return Promise.reject(new Error(`not a commit id: ${sha}`));
      let t = trees.get(sha);
      if (!t) {
        t = git(['ls-tree', '-r', '-z', '-l', '--full-tree', sha]).then(({ stdout }) => parseLsTree(stdout));
        trees.set(sha, t);
      }
      return t;
    },
    readObject(oid) {
      if (!isSha(oid)) return Promise.reject(new Error(`not an object id: ${oid}`));
      batch ??= new BatchReader(root, env);
      return batch.read(oid);
    },
    readObjectSync(oid) {
      if (!isSha(oid)) throw new Error(`not an object id: ${oid}`);
      try {
        return execFileSync('git', ['-C', root, 'cat-file', 'blob', oid], {
          env,
          maxBuffer: MAX_BUFFER,
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      } catch {
        return null;
      }
    },
    index() {
      index ??= git(['ls-files', '-s', '-z']).then(({ stdout }) => parseLsFiles(stdout));
      return index;
    },
    dirty() {
      dirty ??= git(['diff-files', '-z', '--name-only', '--no-renames']).then(
        ({ stdout }) => new Set(splitZ(stdout).filter((p) => p !== '')),
      );
      return dirty;
    },
    async unconverted(paths) {
      conversions ??= mayConvert(git, gitDir, env, () => this.index());
      if (!(await conversions)) return new Set(paths);
      // Some conversion is configured somewhere: ask git which attributes apply to each path, and trust only those
      // with none that changes bytes at checkout.
      const safe = paths.filter((p) => !/[\n\r\0]/.test(p));
      if (safe.length === 0) return new Set();
      const { stdout } = await git(['check-attr', '-z', '--stdin', ...CONVERTING_ATTRIBUTES], { input: `${safe.join('\0')}\0` });
      const parts = splitZ(stdout);
      const converted = new Set<string>();
      for (let i = 0; i + 2 < parts.length; i += 3) {
        const [p, attr, value] = [parts[i]!, parts[i + 1]!, parts[i + 2]!];
        // `text` alone converts only with a line-ending setting, which autocrlf or eol would show; being strict costs
        // only a read.
        if (value !== 'unspecified' && !(attr === 'text' && value === 'unset')) converted.add(p);
      }
      return new Set(safe.filter((p) => !converted.has(p)));
    },
    async hashFiles(paths) {
      if (paths.length === 0) return [];
      if (paths.some((p) => /[\n\r]/.test(p))) throw new Error('a path with a line break cannot be hashed through git');
      const { stdout } = await git(['hash-object', '--stdin-paths'], { input: `${paths.join('\n')}\n` });
      const ids = stdout.toString('utf8').trim().split('\n');
      if (ids.length !== paths.length || !ids.every(isSha)) throw new Error('git hash-object gave an unexpected answer');
      return ids;
    },
    async fetch(remote, ref, opts = {}) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(remote)) throw new Error(`not a remote name lineage-gate will use: ${remote}`);
      if (!isSha(ref) && !/^refs\/(?:heads|tags|pull)\/[A-Za-z0-9._/-]+$/.test(ref))
        throw new Error(`not a ref lineage-gate will fetch: ${ref}`);
      const extra: Record<string, string> = {};
      if (opts.token) {
        // As actions/checkout does, but in git's environment for this one command: no file holds the token.
        const server = (opts.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
        extra.GIT_CONFIG_COUNT = '1';
        extra.GIT_CONFIG_KEY_0 = `http.${server}/.extraheader`;
        extra.GIT_CONFIG_VALUE_0 = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${opts.token}`).toString('base64')}`;
      }
      const depth = opts.depth !== undefined ? [`--depth=${Math.max(1, Math.floor(opts.depth))}`] : [];
      await git(['fetch', '--no-tags', '--quiet', ...depth, '--end-of-options', remote, ref], { env: { ...env, ...extra } });
    },
    close() {
      batch?.close();
      batch = null;
    },
  };
}

/** The attributes that make git change a file's bytes between its blob and the work tree. */
const CONVERTING_ATTRIBUTES = ['text', 'eol', 'filter', 'ident', 'working-tree-encoding', 'crlf'];

/**
 * Whether any conversion at checkout is possible at all: line endings by core.autocrlf, a smudge filter, or an
 * attributes file anywhere git reads one (tracked, in the git folder, the user's or the system's). Usually not, and
 * then the index's blob ids name the work tree's bytes exactly.
 */
async function mayConvert(
  git: (args: readonly string[]) => Promise<{ stdout: Buffer }>,
  gitDir: string,
  env: NodeJS.ProcessEnv,
  index: () => Promise<ReadonlyMap<string, GitEntry>>,
): Promise<boolean> {
  let config: string[] = [];
  try {
    const { stdout } = await git([
      'config',
      '-z',
      '--get-regexp',
      '^(core\\.autocrlf|core\\.attributesfile|filter\\..*\\.(smudge|process))$',
    ]);
    config = splitZ(stdout);
  } catch {
    // Exit code 1: none of them is set.
  }
  for (const entry of config) {
    const [name, value = ''] = entry.split('\n');
    if (name === 'core.autocrlf' && value.trim().toLowerCase() !== 'false' && value.trim().toLowerCase() !== 'input') return true;
    if (name?.startsWith('filter.') || name === 'core.attributesfile') return true;
  }
  for (const p of (await index()).keys()) if (p === '.gitattributes' || p.endsWith('/.gitattributes')) return true;
  const home = env.HOME ?? env.USERPROFILE;
  // The system file is $(prefix)/etc/gitattributes, and /etc/gitattributes for a git installed under /usr.
  const execPath = (await git(['--exec-path']).catch(() => ({ stdout: Buffer.from('') }))).stdout.toString('utf8').trim();
  const prefix = execPath ? path.dirname(path.dirname(execPath)) : null;
  const candidates = [
    path.join(gitDir, 'info', 'attributes'),
    env.XDG_CONFIG_HOME
      ? path.join(env.XDG_CONFIG_HOME, 'git', 'attributes')
      : home
        ? path.join(home, '.config', 'git', 'attributes')
        : null,
    '/etc/gitattributes',
    prefix ? path.join(prefix, 'etc', 'gitattributes') : null,
  ];
  return candidates.some((c) => c !== null && existsSync(c));
}

function splitZ(buf: Buffer): string[] {
  const text = buf.toString('utf8');
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}

/** `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL` for each blob (and submodule) of the tree. */
function parseLsTree(buf: Buffer): Map<string, GitEntry> {
  const out = new Map<string, GitEntry>();
  for (const rec of splitZ(buf)) {
    const tab = rec.indexOf('\t');
    const [mode, , oid, size] = rec.slice(0, tab).split(/ +/);
    out.set(rec.slice(tab + 1), { mode: mode!, oid: oid!, size: size === '-' ? -1 : Number(size) });
  }
  return out;
}

/** `<mode> SP <oid> SP <stage> TAB <path> NUL`; entries in conflict (stage 1-3) are left out. */
function parseLsFiles(buf: Buffer): Map<string, GitEntry> {
  const out = new Map<string, GitEntry>();
  const conflicted = new Set<string>();
  for (const rec of splitZ(buf)) {
    const tab = rec.indexOf('\t');
    const [mode, oid, stage] = rec.slice(0, tab).split(' ');
    const p = rec.slice(tab + 1);
    if (stage !== '0') conflicted.add(p);
    else out.set(p, { mode: mode!, oid: oid!, size: -1 });
  }
  for (const p of conflicted) out.delete(p);
  return out;
}

/**
 * One `git cat-file --batch` for many reads: requests are answered in order, so a FIFO of waiting readers matches
 * each `<oid> <type> <size>\n<bytes>\n` (or `<oid> missing\n`) to its request.
 */
class BatchReader {
  private readonly child;
  private readonly waiting: { resolve: (b: Buffer | null) => void; reject: (e: Error) => void }[] = [];
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed: Error | null = null;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('git', ['-C', cwd, 'cat-file', '--batch'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.buffered += c.length;
      this.drain();
    });
    let stderr = '';
    this.child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const fail = (e: Error) => {
      this.failed = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    this.child.on('error', fail);
    this.child.on('close', (code) => {
      if (this.waiting.length > 0) fail(new Error(`git cat-file stopped (${code}): ${stderr.trim()}`));
    });
    this.hold(false);
  }

  /** An idle reader must not keep the process alive; one with reads pending must. */
  private hold(on: boolean): void {
    const all = [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as { ref?(): void; unref?(): void }[];
    for (const x of all) (on ? x.ref : x.unref)?.call(x);
  }

  read(oid: string): Promise<Buffer | null> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.waiting.length === 0) this.hold(true);
    return new Promise<Buffer | null>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${oid}\n`);
    }).finally(() => {
      if (this.waiting.length === 0) this.hold(false);
    });
  }

  private drain(): void {
    for (;;) {
      if (this.waiting.length === 0 || this.buffered === 0) return;
      // Headers are short: join chunks only until one holds the whole header line.
      let nl = this.chunks[0]!.indexOf(10);
      while (nl < 0 && this.chunks.length > 1) {
        this.chunks.splice(0, 2, Buffer.concat([this.chunks[0]!, this.chunks[1]!]));
        nl = this.chunks[0]!.indexOf(10);
      }
      if (nl < 0) return;
      const header = this.chunks[0]!.subarray(0, nl).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.take(nl + 1);
        this.waiting.shift()!.resolve(null);
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (!Number.isSafeInteger(size)) {
        this.failed = new Error(`git cat-file: unexpected header ${header.slice(0, 100)}`);
        for (const w of this.waiting.splice(0)) w.reject(this.failed);
        return;
      }
      // A large object arrives in many chunks: wait for all of it, then join once.
      const need = nl + 1 + size + 1;
      if (this.buffered < need) return;
      let n = 0;
      let covered = 0;
      while (covered < need) covered += this.chunks[n++]!.length;
      const all = n === 1 ? this.chunks[0]! : Buffer.concat(this.chunks.slice(0, n));
      const body = Buffer.from(all.subarray(nl + 1, nl + 1 + size));
      const tail = all.subarray(need);
      this.chunks.splice(0, n, ...(tail.length > 0 ? [tail] : []));
      this.buffered -= need;
      this.waiting.shift()!.resolve(body);
    }
  }

  private take(n: number): void {
    const rest = this.chunks[0]!.subarray(n);
    this.chunks.splice(0, 1, ...(rest.length > 0 ? [rest] : []));
    this.buffered -= n;
  }

  close(): void {
    this.child.stdin.end();
  }
}
