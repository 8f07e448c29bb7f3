// The Action as the runner installs it: the files of this repository in their own folder (the action's checkout),
// action.yml's own install command run there (offline, from npm's cache), then the entry run from that folder. This
// shows that what action.yml installs is enough for a check job and a site job, and that a check job gets no site
// generator.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actionCheckout, folderBytes, installStep, runInstall } from './helpers/action-checkout.ts';
import { type GitWorld, gitWorld, prepareRunner, seedExample, spawnCollect, webhookExample } from './helpers/action-run.ts';
import { closure, fitsThisMachine, type Packages } from './helpers/consumer.ts';
import { type FakeGitHub, startFakeGitHub } from './helpers/github-server.ts';

const TOKEN = 'ghs_INSTALLtoken0123456789SECRET';
let w: GitWorld;
let gh: FakeGitHub;
const folders: string[] = [];
beforeEach(async () => {
  w = gitWorld();
  gh = await startFakeGitHub({ bare: w.bare });
  gh.addToken(TOKEN, { login: 'github-actions[bot]', installation: true });
});
afterEach(async () => {
  await gh.close();
  w.cleanup();
  for (const d of folders.splice(0)) rmSync(d, { recursive: true, force: true });
  expect(gh.violations).toEqual([]);
});

/** A fresh action folder with action.yml's install step run in it, npm offline (from its cache). */
function installed(siteDir: string): string {
  const dir = actionCheckout();
  folders.push(dir);
  runInstall(dir, siteDir, { npm_config_offline: 'true' });
  return dir;
}

const prPayload = (sha: string) => {
  const e = webhookExample('pull_request', (x) => x.action === 'opened');
  const pr = e.pull_request as Record<string, any>;
  pr.number = 7;
  pr.head.sha = sha;
  pr.head.repo = { ...pr.head.repo, full_name: `${gh.owner}/${gh.repo}`, fork: false };
  pr.base.repo = { ...pr.base.repo, full_name: `${gh.owner}/${gh.repo}` };
  const repository = { ...(webhookExample('push').repository as object), full_name: `${gh.owner}/${gh.repo}`, name: gh.repo };
  return { ...e, number: 7, repository };
};

describe("the Action's own install", () => {
  it('a check job installs the command and the Actions toolkit, no site generator, and checks a PR with them', async () => {
    const step = installStep();
    expect(step['working-directory']).toBe('${{ github.action_path }}');
    expect(step.env).toEqual({ SITE_DIR: '${{ inputs.site-dir }}' });
    const dir = installed('');
    const names = readdirSync(path.join(dir, 'node_modules'));
    for (const name of ['astro', 'vite', 'd3-zoom', 'vitest', '@biomejs']) expect(names).not.toContain(name);
    expect(names).toEqual(expect.arrayContaining(['@actions', '@duckdb', 'ajv', 'yaml']));
    expect(folderBytes(path.join(dir, 'node_modules')) / 1e6).toBeLessThan(100);

    seedExample(w);
    const sha = w.commitAll('pending ds_mol update');
    const r = prepareRunner(gh, w, { event: 'pull_request', payload: prPayload(sha), sha, inputs: { token: TOKEN } });
    const run = await spawnCollect(process.execPath, [path.join(dir, 'src/action/index.ts')], r.env.GITHUB_WORKSPACE!, r.env);
    const { outputs } = r.finish();
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(1);
    expect(outputs.status).toBe('fail');
    expect(gh.comments.get(7)![0]!.body).toContain('mol_toxicity');
  });

  it("a site job adds the site workspace: everything the site's own dependencies need, at the locked versions", () => {
    // npm's dry run lists what this install step would add without downloading it. The site building from exactly
    // this set of packages is shown in package.int.test.ts; the Action's site-dir flow in action.int.test.ts.
    const dir = actionCheckout();
    folders.push(dir);
    const listed = (siteDir: string) => {
      const out = runInstall(dir, siteDir, { npm_config_offline: 'true', npm_config_dry_run: 'true' });
      return new Set([...out.matchAll(/^add (\S+) (\S+)$/gm)].map((m) => `${m[1]}@${m[2]}`));
    };
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Packages };
    const needed = (deps: Record<string, string>) =>
      [...closure(lock.packages, Object.keys(deps), fitsThisMachine)].map(
        (p) => `${p.slice(p.lastIndexOf('node_modules/') + 13)}@${lock.packages[p]!.version}`,
      );
    const siteDeps = (JSON.parse(readFileSync('site/package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies;
    const site = listed('_site');
    expect(needed(siteDeps).filter((p) => !site.has(p))).toEqual([]);
    expect(site.size).toBeGreaterThan(100);
    const check = listed('');
    expect([...check].filter((p) => p.startsWith('astro@') || p.startsWith('vite@'))).toEqual([]);
  });
});
