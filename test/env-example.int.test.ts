// README's local debugging works as written: `.env.example`, copied to `.env`, runs the Action's check on the shipped
// example through @github/local-action, and makes no request (comment off, no real token).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

it('npx local-action run . src/action/index.ts .env, with .env copied from .env.example', () => {
  expect(readFileSync('README.md', 'utf8')).toContain('`cp .env.example .env && npx local-action run . src/action/index.ts .env`');
  const dir = mkdtempSync(path.join(tmpdir(), 'lg-env-'));
  try {
    const env = path.join(dir, '.env');
    copyFileSync('.env.example', env);
    const r = spawnSync(path.resolve('node_modules/.bin/local-action'), ['run', '.', 'src/action/index.ts', env], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('::set-output name=status::fail');
    expect(r.stdout).toMatch(
      /::error title=lineage-gate%3A model mol_toxicity failed gate 1,file=examples\/molecular-property\/lineage\/models\/mol_toxicity.yaml,line=\d+::test.auc = 0.86/,
    );
    expect(r.stdout).not.toMatch(/::error::lineage-gate:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
