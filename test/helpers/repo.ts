// Builds lineage repositories inline for tests: a tree of files in a fresh temporary folder.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export type Tree = Record<string, string>;

export interface TestRepo {
  dir: string;
  root: string;
  write(rel: string, text: string): void;
  read(rel: string): string;
  exists(rel: string): boolean;
  remove(rel: string): void;
  list(rel: string): string[];
}

const created: string[] = [];
export function cleanup(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A repository (marked by a .git folder) with the given files; `root` is its lineage root. */
export function makeRepo(tree: Tree = {}, order?: string[]): TestRepo {
  const dir = mkdtempSync(path.join(tmpdir(), 'lg-test-'));
  created.push(dir);
  mkdirSync(path.join(dir, '.git'));
  const repo: TestRepo = {
    dir,
    root: path.join(dir, 'lineage'),
    write(rel, text) {
      const p = path.join(dir, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
    },
    read: (rel) => readFileSync(path.join(dir, rel), 'utf8'),
    exists: (rel) => existsSync(path.join(dir, rel)),
    remove: (rel) => rmSync(path.join(dir, rel), { force: true }),
    list: (rel) => (existsSync(path.join(dir, rel)) ? readdirSync(path.join(dir, rel)).sort() : []),
  };
  for (const rel of order ?? Object.keys(tree)) repo.write(rel, tree[rel]!);
  return repo;
}

/** A copy of the shipped example as its own repository. */
export function copyExample(): TestRepo {
  const repo = makeRepo();
  cpSync(path.resolve('examples/molecular-property'), repo.dir, { recursive: true });
  return repo;
}

export const y = (value: unknown): string => stringify(value);

export function dataset(id: string, version: string, extra: Record<string, unknown> = {}): [string, string] {
  return [`lineage/datasets/${id}.yaml`, y({ id, version, ...extra })];
}

export function model(
  id: string,
  version: string,
  opts: {
    datasets?: Record<string, string>;
    gate?: string[];
    metrics?: Record<string, unknown> | string;
    extra?: Record<string, unknown>;
  } = {},
): [string, string][] {
  const files: [string, string][] = [];
  const m: Record<string, unknown> = { id, version, description: `Model ${id}`, datasets: opts.datasets ?? {}, gate: opts.gate ?? [] };
  if (opts.metrics !== undefined) {
    m.metrics = `../../results/${id}.json`;
    files.push([`results/${id}.json`, typeof opts.metrics === 'string' ? opts.metrics : JSON.stringify(opts.metrics)]);
  }
  files.unshift([`lineage/models/${id}.yaml`, y({ ...m, ...opts.extra })]);
  return files;
}

export function workflow(
  id: string,
  version: string,
  threshold: number,
  nodes: { id: string; model: string; dataset: string; weight: number; metric: string; needs?: string[] }[],
  extra: Record<string, unknown> = {},
): [string, string] {
  return [`lineage/workflows/${id}.yaml`, y({ id, version, threshold, nodes, ...extra })];
}

export function tree(...entries: ([string, string] | [string, string][])[]): Tree {
  const out: Tree = {};
  for (const e of entries) {
    if (Array.isArray(e[0])) for (const [k, v] of e as [string, string][]) out[k] = v;
    else out[(e as [string, string])[0]] = (e as [string, string])[1];
  }
  return out;
}

/** Makes a test repository a real git repository; `commit` stages everything and returns the new commit's sha. */
export function initGit(repo: TestRepo): { git(...args: string[]): string; commit(message: string): string } {
  rmSync(path.join(repo.dir, '.git'), { recursive: true, force: true });
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
    GIT_AUTHOR_DATE: '2026-11-01T10:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-01T10:00:00Z',
  };
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo.dir, ...args], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q', '-b', 'main');
  return {
    git,
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
}
