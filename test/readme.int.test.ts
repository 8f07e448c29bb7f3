// Every ```sh example in README.md runs, as a new user would type it into an interactive shell (no -e) (set-up and the test command itself excepted:
// CI runs those).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const SETUP = /\bnpm (ci|test|run bench)\b|apt-get|npm install --prefix/;
const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => !SETUP.test(b));

describe('README examples', () => {
  it('has runnable examples', () => expect(blocks.length).toBeGreaterThanOrEqual(2));
  it.each(blocks.map((b) => [b.split('\n')[0], b]))('%s', (_first, block) => {
    const out = execFileSync('bash', ['-o', 'pipefail', '-c', block], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
    expect(out).toMatch(/exit code: [01]|impact of/);
    expect(out).not.toContain('INVALID');
  });
});
