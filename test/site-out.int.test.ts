// `lineage-gate site --out` anywhere: a relative folder, a folder whose path starts with the package's own path as
// text (Astro compares paths as strings), and a folder on another filesystem (a rename there fails with EXDEV).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function site(out: string, cwd = process.cwd()) {
  return spawnSync(
    process.execPath,
    [path.resolve('bin/lineage-gate.js'), 'site', '--root', path.resolve('examples/molecular-property/lineage'), '--out', out],
    { encoding: 'utf8', cwd },
  );
}
function expectSite(dir: string) {
  expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('Lineage overview');
  expect(existsSync(path.join(dir, 'models/mol_toxicity/index.html'))).toBe(true);
  expect(existsSync(path.join(dir, 'data/search/docs.json'))).toBe(true);
  expect(existsSync(path.join(dir, '.nojekyll'))).toBe(true);
  // Nothing of the build is left beside it.
  expect(existsSync(path.join(dir, '.prerender'))).toBe(false);
}

describe('site --out', () => {
  it('builds into a folder whose path starts with the package path as text, leaving nothing in the package', () => {
    const out = `${path.resolve('.')}-site-${process.pid}`;
    made.push(out);
    const r = site(out);
    expect(r.stderr).not.toContain('Error');
    expect(r.status).toBe(0);
    expectSite(out);
    expect(existsSync(path.resolve('.astro/.prerender'))).toBe(false);
  });

  it('builds into a relative folder, and into the same folder again (replacing it)', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'lg-out-'));
    made.push(cwd);
    expect(site('nested/out', cwd).status).toBe(0);
    expectSite(path.join(cwd, 'nested/out'));
    expect(site('nested/out', cwd).status).toBe(0);
    expectSite(path.join(cwd, 'nested/out'));
  });

  it('builds onto another filesystem', () => {
    // /dev/shm is a tmpfs on this machine and on CI: another device than the temporary folder the build runs in.
    expect(statSync('/dev/shm').dev).not.toBe(statSync(tmpdir()).dev);
    const out = mkdtempSync('/dev/shm/lg-site-');
    made.push(out);
    const r = site(path.join(out, 'site'));
    expect(r.stderr).not.toContain('EXDEV');
    expect(r.status).toBe(0);
    expectSite(path.join(out, 'site'));
  });
});
