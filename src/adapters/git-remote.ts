// The repository's own address, from git's configuration: the default OpenLineage namespace outside GitHub Actions.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The URL of the `origin` remote as git has it configured, or null when there is none. */
export async function originUrl(repoRoot: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['-C', repoRoot, 'config', '--get', 'remote.origin.url'], { timeout: 10_000 });
    const url = stdout.trim();
    return url === '' ? null : url;
  } catch {
    return null;
  }
}
