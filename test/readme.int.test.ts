// Every ```sh example in README.md runs, as a new user would type it into an interactive shell (no -e) (set-up and the test command itself excepted:
// CI runs those).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Installing from npm is set-up too: test/package.int.test.ts installs the packed tarball and runs npx lineage-gate.
const SETUP = /\bnpm (ci|test|install|run bench)\b|apt-get/;
const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => !SETUP.test(b));

describe('README examples', () => {
  it('has runnable examples', () => expect(blocks.length).toBeGreaterThanOrEqual(2));
  it.each(blocks.map((b) => [b.split('\n')[0], b]))('%s', (_first, block) => {
    const out = execFileSync('bash', ['-o', 'pipefail', '-c', block], {
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
    });
    expect(out).toMatch(/exit code: [01]|impact of|site: \d+ pages in/);
    expect(out).not.toContain('INVALID');
  });
});

describe('README output', () => {
  it("quotes the example's terminal output exactly as the CLI prints it", () => {
    const readme = readFileSync('README.md', 'utf8');
    const quoted = /`check` prints:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(quoted).toBeDefined();
    const run = spawnSync(process.execPath, ['bin/lineage-gate.js', 'check', '--root', 'examples/molecular-property/lineage'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(quoted).toBe(run.stdout);
  });
});
