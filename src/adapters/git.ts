// The local git repository, read-only: which commit is being evaluated and when it was made.
// git runs without a shell, with fixed arguments; nothing from manifests reaches its command line.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** HEAD's sha and committer date, or null outside a git repository. */
export async function headCommit(repoRoot: string): Promise<{ sha: string; date: string } | null> {
  try {
    const { stdout } = await run('git', ['-C', repoRoot, 'log', '-1', '--format=%H%n%cI'], { timeout: 10_000 });
    const [sha, date] = stdout.trim().split('\n');
    return sha && /^[0-9a-f]{40}$/.test(sha) && date ? { sha, date: new Date(date).toISOString() } : null;
  } catch {
    return null;
  }
}
