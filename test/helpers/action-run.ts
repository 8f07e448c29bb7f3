// Runs the real Action entry point as the runner would: a subprocess with INPUT_* and GITHUB_* variables, an event
// payload from @octokit/webhooks-examples, a workspace cloned from a bare repository, and the fake GitHub as API.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeGitHub } from './github-server.ts';

const EXAMPLES = JSON.parse(readFileSync('node_modules/@octokit/webhooks-examples/api.github.com/index.json', 'utf8')) as {
  name: string;
  examples: Record<string, unknown>[];
}[];
export function webhookExample(name: string, pick: (e: Record<string, unknown>) => boolean = () => true): Record<string, unknown> {
  const found = EXAMPLES.find((e) => e.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

export const ENTRY = path.resolve('src/action/index.ts');

/** A bare repository (the GitHub side) and a work tree that pushes to it. */
export interface GitWorld {
  dir: string;
  bare: string;
  work: string;
  git(...args: string[]): string;
  commitAll(message: string): string;
  cleanup(): void;
}

export function gitWorld(): GitWorld {
  const dir = mkdtempSync(path.join(tmpdir(), 'lg-gh-'));
  const bare = path.join(dir, 'remote.git');
  const work = path.join(dir, 'work');
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
    GIT_AUTHOR_DATE: '2026-11-01T10:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-01T10:00:00Z',
  };
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  execFileSync('git', ['init', '-q', '-b', 'main', work]);
  const git = (...args: string[]) => execFileSync('git', ['-C', work, ...args], { encoding: 'utf8', env }).trim();
  git('remote', 'add', 'origin', bare);
  return {
    dir,
    bare,
    work,
    git,
    commitAll(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      git('push', '-q', 'origin', 'HEAD:main');
      return git('rev-parse', 'HEAD');
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Puts the drug-discovery example at the root of the work tree (lineage/, results/, data/). */
export function seedExample(w: GitWorld): void {
  cpSync(path.resolve('examples/molecular-property'), w.work, { recursive: true });
}

export interface ActionResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  report: unknown;
}

export interface Runner {
  dir: string;
  env: Record<string, string>;
  finish(): { outputs: Record<string, string>; summary: string; report: unknown };
}

/** A runner's folders and environment for one job: workspace checkout, event file, output and summary files. */
export function prepareRunner(
  gh: FakeGitHub,
  w: GitWorld,
  opts: { event: string; payload: Record<string, unknown>; sha: string; inputs: Record<string, string>; checkout?: string },
): Runner {
  const runner = mkdtempSync(path.join(tmpdir(), 'lg-runner-'));
  const workspace = path.join(runner, 'workspace');
  execFileSync('git', ['clone', '-q', w.bare, workspace]);
  execFileSync('git', ['-C', workspace, 'checkout', '-q', opts.checkout ?? opts.sha]);
  const eventPath = path.join(runner, 'event.json');
  writeFileSync(eventPath, JSON.stringify(opts.payload));
  const outputFile = path.join(runner, 'output');
  const summaryFile = path.join(runner, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  mkdirSync(path.join(runner, 'temp'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: runner,
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_EVENT_NAME: opts.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: opts.sha,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: path.join(runner, 'temp'),
  };
  for (const [k, v] of Object.entries(opts.inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  return {
    dir: runner,
    env,
    finish() {
      const outputs = parseOutputs(readFileSync(outputFile, 'utf8'));
      let report: unknown = null;
      try {
        report = JSON.parse(readFileSync(outputs.report ?? path.join(runner, 'temp/lineage-gate/report.json'), 'utf8'));
      } catch {
        report = null;
      }
      const summary = readFileSync(summaryFile, 'utf8');
      rmSync(runner, { recursive: true, force: true });
      return { outputs, summary, report };
    },
  };
}

export async function spawnCollect(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, stderr };
}

export async function runAction(
  gh: FakeGitHub,
  w: GitWorld,
  opts: { event: string; payload: Record<string, unknown>; sha: string; inputs: Record<string, string>; checkout?: string },
): Promise<ActionResult> {
  const r = prepareRunner(gh, w, opts);
  const { code, stdout, stderr } = await spawnCollect(process.execPath, [ENTRY], r.env.GITHUB_WORKSPACE!, r.env);
  return { code, stdout, stderr, ...r.finish() };
}

/** GITHUB_OUTPUT holds `name<<DELIMITER`, the value, then the delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}
