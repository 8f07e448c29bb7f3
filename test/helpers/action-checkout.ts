// The Action as `uses:` gets it: this repository's files in a folder of their own, and action.yml's install step.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export interface InstallStep {
  run: string;
  env: Record<string, string>;
  'working-directory': string;
}

/** action.yml's `npm ci` step. */
export function installStep(): InstallStep {
  const action = parse(readFileSync('action.yml', 'utf8')) as { runs: { steps: Partial<InstallStep>[] } };
  const step = action.runs.steps.find((s) => s.run?.includes('npm ci'));
  if (!step) throw new Error('action.yml has no npm ci step');
  return step as InstallStep;
}

/** The repository's files (tracked, and new ones not ignored) in a fresh folder, without node_modules. */
export function actionCheckout(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lg-action-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && existsSync(f) && statSync(f).isFile());
  for (const f of files) {
    mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
    cpSync(f, path.join(dir, f));
  }
  return dir;
}

/** Runs the install step as the runner would (bash, its env with SITE_DIR as `inputs.site-dir`), in `dir`; npm's output. */
export function runInstall(dir: string, siteDir: string, env: Record<string, string> = {}): string {
  return execFileSync('bash', ['-e', '-c', installStep().run], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, ...env, SITE_DIR: siteDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Bytes of regular files under `dir`. */
export function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? folderBytes(path.join(dir, e.name)) : e.isFile() ? statSync(path.join(dir, e.name)).size : 0),
    0,
  );
}
