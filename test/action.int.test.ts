// The Action end to end: the real entry point against a local GitHub that checks every request against the
// official OpenAPI description, with webhook payloads from @octokit/webhooks-examples and real git.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMENT_MARKER, PROPOSAL_MARKER } from '../src/core/render/github-text.ts';
import type { Lock } from '../src/core/types.ts';
import { type GitWorld, gitWorld, prepareRunner, runAction, seedExample, spawnCollect, webhookExample } from './helpers/action-run.ts';
import { rewriteMetricFile } from './helpers/dvc.ts';
import { type FakeGitHub, startFakeGitHub } from './helpers/github-server.ts';

const TOKEN = 'ghs_FAKEtoken0123456789SECRET';
const READONLY = 'ghs_READONLYtoken987654321SECRET';
let w: GitWorld;
let gh: FakeGitHub;

beforeEach(async () => {
  w = gitWorld();
  gh = await startFakeGitHub({ bare: w.bare });
  gh.addToken(TOKEN, { login: 'github-actions[bot]', installation: true });
  gh.addToken(READONLY, { login: 'github-actions[bot]', installation: true, write: false });
});
afterEach(async () => {
  await gh.close();
  w.cleanup();
  // Every request the Action made was one GitHub's OpenAPI description allows.
  expect(gh.violations).toEqual([]);
});

const repository = () => ({
  ...(webhookExample('push').repository as object),
  full_name: `${gh.owner}/${gh.repo}`,
  name: gh.repo,
  default_branch: 'main',
});

function prPayload(sha: string, opts: { fork?: boolean } = {}) {
  const e = webhookExample('pull_request', (x) => x.action === 'opened');
  const pr = e.pull_request as Record<string, any>;
  pr.number = 7;
  pr.head.sha = sha;
  pr.head.repo = { ...pr.head.repo, full_name: opts.fork ? 'mallory/lineage' : `${gh.owner}/${gh.repo}`, fork: !!opts.fork };
  pr.base.repo = { ...pr.base.repo, full_name: `${gh.owner}/${gh.repo}` };
  pr.title = 'Update ds_mol_20210421 ::warning::pwned @everyone';
  return { ...e, number: 7, repository: repository() };
}
const pushPayload = (sha: string) => ({
  ...webhookExample('push'),
  ref: 'refs/heads/main',
  after: sha,
  head_commit: { id: sha, timestamp: '2026-11-02T09:30:00Z', message: 'data update' },
  repository: repository(),
});
const dispatchPayload = () => ({
  ...webhookExample('workflow_dispatch'),
  ref: 'refs/heads/main',
  inputs: { all: 'true' },
  repository: repository(),
});

/**
 * Everything the run left anywhere must be free of the token. The one exception is the `::add-mask::` command by
 * which core.setSecret registers it: the runner consumes that line and masks the value from then on.
 */
function expectNoToken(...texts: string[]) {
  const unregistered = (t: string) =>
    t
      .split('\n')
      .filter((line) => !/^::add-mask::/.test(line))
      .join('\n');
  for (const t of [
    ...texts.map(unregistered),
    JSON.stringify([...gh.comments.values()]),
    JSON.stringify(gh.pulls),
    JSON.stringify(gh.requests.map((r) => r.body)),
  ]) {
    expect(t).not.toContain(TOKEN);
    expect(t).not.toContain(READONLY);
  }
}

/** The PR branch as git sees it: files changed against the evaluated commit and its head commit. */
function branch(name = 'lineage-gate/accept') {
  const head = gh.git('rev-parse', `refs/heads/${name}`);
  return {
    head,
    parents: gh.git('log', '-1', '--format=%P', head).split(' '),
    author: gh.git('log', '-1', '--format=%an', head),
    changed: (from: string) => gh.git('diff', '--name-only', from, head).split('\n').filter(Boolean),
    message: gh.git('log', '-1', '--format=%B', head),
  };
}

describe('pull_request: check', () => {
  it('comments once, then edits the same comment; annotates failing manifests; fails the check', async () => {
    seedExample(w);
    const sha = w.commitAll('pending ds_mol update');
    const first = await runAction(gh, w, { event: 'pull_request', payload: prPayload(sha), sha, inputs: { token: TOKEN } });
    expect(first.code).toBe(1);
    expect(first.outputs).toMatchObject({ status: 'fail', 'pull-request-operation': 'none' });
    expect(first.outputs.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(first.report).toMatchObject({ status: 'fail', fingerprint: first.outputs.fingerprint });
    expect(first.stdout.split('\n')[0]).toBe(`::add-mask::${TOKEN}`);
    expect(first.stdout).toMatch(
      /^::error title=lineage-gate%3A model mol_toxicity failed gate 1,file=lineage\/models\/mol_toxicity.yaml,line=5::test.auc = 0.86, needs >= 0.89/m,
    );
    expect(first.stdout).toMatch(
      /^::error title=lineage-gate%3A workflow wf_property_prediction failed gate 2,file=lineage\/workflows\/wf_property_prediction.yaml,line=5::/m,
    );
    expect(first.summary).toContain('## lineage-gate: fail');
    const comments = gh.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(comments[0]!.body).toContain('mol_toxicity');

    const second = await runAction(gh, w, { event: 'pull_request', payload: prPayload(sha), sha, inputs: { token: TOKEN } });
    expect(second.code).toBe(1);
    expect(gh.comments.get(7)).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/issues/comments/'))).toHaveLength(1);
    expectNoToken(first.stdout, first.stderr, first.summary, JSON.stringify(first.outputs), second.stdout, second.stderr);
  });

  it('leaves a look-alike comment by someone else alone', async () => {
    seedExample(w);
    const sha = w.commitAll('pending');
    gh.comments.set(7, [{ id: 1, body: `${COMMENT_MARKER}\nI am not the bot`, login: 'mallory' }]);
    await runAction(gh, w, { event: 'pull_request', payload: prPayload(sha), sha, inputs: { token: TOKEN, 'fail-on': 'never' } });
    const comments = gh.comments.get(7)!;
    expect(comments).toHaveLength(2);
    expect(comments[0]).toEqual({ id: 1, body: `${COMMENT_MARKER}\nI am not the bot`, login: 'mallory' });
    expect(comments[1]!.login).toBe('github-actions[bot]');
  });

  it('on a fork PR with a read-only token reports through summary, annotations and exit status, and writes nothing', async () => {
    seedExample(w);
    const sha = w.commitAll('pending');
    const r = await runAction(gh, w, { event: 'pull_request', payload: prPayload(sha, { fork: true }), sha, inputs: { token: READONLY } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('comes from a fork');
    expect(r.summary).toContain('mol_toxicity');
    expect(gh.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expectNoToken(r.stdout, r.stderr, r.summary);
  });

  it('handles a 403 from a read-only token on a same-repository PR: warns, writes nothing', async () => {
    seedExample(w);
    const sha = w.commitAll('pending');
    const r = await runAction(gh, w, {
      event: 'pull_request',
      payload: prPayload(sha),
      sha,
      inputs: { token: READONLY, 'fail-on': 'never' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::warning::GitHub refused creating a comment \(HTTP 403\)/);
    expect(gh.comments.get(7) ?? []).toEqual([]);
    expect(gh.requests.filter((q) => q.method === 'POST').map((q) => q.status)).toEqual([403]);
  });

  it('keeps manifest text from issuing workflow commands, and fails on invalid input whatever fail-on says', async () => {
    seedExample(w);
    const file = path.join(w.work, 'lineage/models/mol_toxicity.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('gate: ["test.auc >= 0.85",', 'gate: ["test.auc >= 0.85\\n::warning::pwned\\n::add-mask::x",'),
    );
    const sha = w.commitAll('hostile');
    const r = await runAction(gh, w, { event: 'pull_request', payload: prPayload(sha), sha, inputs: { token: TOKEN, 'fail-on': 'never' } });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('invalid');
    // Inside stop-commands markers the runner ignores workflow commands; annotations escape newlines.
    const lines = r.stdout.split('\n');
    let stopped: string | null = null;
    for (const line of lines) {
      const start = /^::stop-commands::(\w+)$/.exec(line);
      if (start) stopped = start[1]!;
      else if (stopped && line === `::${stopped}::`) stopped = null;
      else if (!stopped && line !== `::add-mask::${TOKEN}`) expect(line).not.toMatch(/^::(warning|add-mask)::/);
    }
    expect(r.stdout).toMatch(
      /^::error title=lineage-gate%3A invalid input,file=lineage\/models\/mol_toxicity.yaml,line=5::gate.0: the condition "test.auc >= 0.85%0A::warning::pwned%0A::add-mask::x" unexpected text/m,
    );
  });
});

describe('push / workflow_dispatch: propose', () => {
  it('opens a PR with exactly the lock change as one commit on the evaluated commit, then updates it, then closes it when obsolete', async () => {
    seedExample(w);
    const sha = w.commitAll('merge the data update');
    const created = await runAction(gh, w, {
      event: 'push',
      payload: pushPayload(sha),
      sha,
      inputs: { token: TOKEN, labels: 'lineage, data', 'pr-title': 'Accept lineage\n@everyone ::warning::x' },
    });
    expect(created.code).toBe(0);
    expect(created.outputs).toMatchObject({ status: 'fail', 'pull-request-operation': 'created', 'pull-request-number': '1' });
    expect(created.outputs['pull-request-url']).toBe(`https://github.com/${gh.owner}/${gh.repo}/pull/1`);
    const b = branch();
    expect(b.parents).toEqual([sha]);
    expect(b.author).toBe('github-actions[bot]');
    expect(b.changed(sha)).toEqual([
      'lineage/associations.lock.yaml',
      expect.stringMatching(/^lineage\/history\/000003-[0-9a-f]{12}\.json$/),
    ]);
    expect(b.message).toContain(`Lineage-Gate-Evaluated: ${sha}`);
    const pr = gh.pulls[0]!;
    expect(pr).toMatchObject({
      state: 'open',
      head: 'lineage-gate/accept',
      base: 'main',
      labels: ['lineage', 'data'],
      title: 'Accept lineage @everyone ::warning::x',
    });
    expect(pr.body.startsWith(PROPOSAL_MARKER)).toBe(true);
    // The lock on the branch is what `accept` would write: the toxicity model keeps its old entry.
    const lock = gh.git('show', `${b.head}:lineage/associations.lock.yaml`);
    // The example is a DVC project: the retrained activity model's version is the hash dvc.lock records for it.
    const activity = /train_activity:[\s\S]*?outs:\n {4}- path: models\/mol_activity\.pkl\n {6}hash: md5\n {6}md5: ([0-9a-f]{32})/.exec(
      readFileSync('examples/molecular-property/dvc.lock', 'utf8'),
    )![1];
    expect(lock).toMatch(new RegExp(`mol_activity:\\n(?:.*\\n)*?\\s+version: "${activity}"`));
    const accepted = (parse(readFileSync('examples/molecular-property/lineage/associations.lock.yaml', 'utf8')) as Lock).models
      .mol_toxicity!.version;
    expect(lock).toMatch(new RegExp(`mol_toxicity:\\n(?:.*\\n)*?\\s+version: "${accepted}"`));

    // The same commit again: nothing new is pushed; the PR is refreshed.
    const again = await runAction(gh, w, {
      event: 'workflow_dispatch',
      payload: { ...dispatchPayload(), inputs: {} },
      sha,
      inputs: { token: TOKEN },
    });
    expect(again.outputs['pull-request-operation']).toBe('updated');
    expect(branch().head).toBe(b.head);

    // A new commit on main (toxicity retrained and now passing): the branch moves forward without force.
    rewriteMetricFile(w.work, 'results/mol_toxicity.json', (t) => t.replace('"auc": 0.86', '"auc": 0.9'));
    const sha2 = w.commitAll('retrain toxicity');
    const updated = await runAction(gh, w, { event: 'push', payload: pushPayload(sha2), sha: sha2, inputs: { token: TOKEN } });
    expect(updated.outputs).toMatchObject({ status: 'pass', 'pull-request-operation': 'updated', 'pull-request-number': '1' });
    const b2 = branch();
    expect(b2.parents).toEqual([sha2, b.head]);
    expect(b2.changed(sha2)).toEqual(['lineage/associations.lock.yaml', expect.stringMatching(/^lineage\/history\/000003-/)]);
    expect(
      gh.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/git/refs/')).map((r) => (r.body as { force: boolean }).force),
    ).toEqual([false]);

    // The lock PR is merged by hand; a later push has nothing to accept, and an old open PR is closed.
    w.git('fetch', '-q', 'origin', 'lineage-gate/accept');
    w.git('merge', '-q', '--no-edit', 'FETCH_HEAD');
    w.git('push', '-q', 'origin', 'HEAD:main');
    const sha3 = w.git('rev-parse', 'HEAD');
    const closed = await runAction(gh, w, { event: 'push', payload: pushPayload(sha3), sha: sha3, inputs: { token: TOKEN } });
    expect(closed.outputs).toMatchObject({ status: 'noop', 'pull-request-operation': 'closed' });
    expect(gh.pulls[0]!.state).toBe('closed');
    expect(gh.comments.get(1)![0]!.body).toContain('nothing left to accept');
    expect(() => gh.git('rev-parse', '--verify', 'refs/heads/lineage-gate/accept')).toThrow();

    const none = await runAction(gh, w, { event: 'push', payload: pushPayload(sha3), sha: sha3, inputs: { token: TOKEN } });
    expect(none.outputs['pull-request-operation']).toBe('none');
    expect(gh.pulls).toHaveLength(1);
    expectNoToken(created.stdout, created.summary, updated.stdout, closed.stdout, gh.git('log', '--all', '-p'));
  });

  it('never overwrites a branch someone else pushed to', async () => {
    seedExample(w);
    const sha = w.commitAll('data update');
    await runAction(gh, w, { event: 'push', payload: pushPayload(sha), sha, inputs: { token: TOKEN } });
    // A person pushes a commit on top of the lock branch.
    w.git('fetch', '-q', 'origin', 'lineage-gate/accept');
    w.git('checkout', '-q', '-b', 'human', 'FETCH_HEAD');
    writeFileSync(path.join(w.work, 'NOTE.md'), 'my change\n');
    w.git('add', '-A');
    w.git('commit', '-q', '-m', 'human edit');
    w.git('push', '-q', 'origin', 'HEAD:lineage-gate/accept');
    const human = w.git('rev-parse', 'HEAD');
    w.git('checkout', '-q', 'main');
    rewriteMetricFile(w.work, 'results/mol_toxicity.json', (t) => t.replace('"auc": 0.86', '"auc": 0.9'));
    const sha2 = w.commitAll('retrain');
    const r = await runAction(gh, w, { event: 'push', payload: pushPayload(sha2), sha: sha2, inputs: { token: TOKEN } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /::warning::the branch lineage-gate\/accept has a commit \([0-9a-f]{12}\) not made by lineage-gate; it was left alone/,
    );
    expect(r.outputs['pull-request-operation']).toBe('none');
    expect(branch().head).toBe(human);
  });

  it('retries from the new state when another run moves the branch between read and update', async () => {
    seedExample(w);
    const sha = w.commitAll('data update');
    await runAction(gh, w, { event: 'push', payload: pushPayload(sha), sha, inputs: { token: TOKEN } });
    const first = branch().head;
    rewriteMetricFile(w.work, 'results/mol_toxicity.json', (t) => t.replace('"auc": 0.86', '"auc": 0.9'));
    const sha2 = w.commitAll('retrain');
    // Just before this run updates the ref, a racing run (same bot) moves the branch with its own proposal.
    let interloper = '';
    gh.before = (r) => {
      if (r.method === 'PATCH' && r.path.includes('/git/refs/') && !interloper) {
        const tree = gh.git('rev-parse', `${first}^{tree}`);
        interloper = execFileSync(
          'git',
          [
            '--git-dir',
            gh.bare,
            'commit-tree',
            tree,
            '-p',
            sha,
            '-p',
            first,
            '-m',
            `racing proposal\n\nLineage-Gate-Fingerprint: ${'b'.repeat(64)}\nLineage-Gate-Evaluated: ${sha}`,
          ],
          {
            encoding: 'utf8',
            env: {
              ...process.env,
              GIT_AUTHOR_NAME: 'github-actions[bot]',
              GIT_AUTHOR_EMAIL: 'bot@example.com',
              GIT_COMMITTER_NAME: 'GitHub',
              GIT_COMMITTER_EMAIL: 'noreply@github.com',
            },
          },
        ).trim();
        gh.git('update-ref', 'refs/heads/lineage-gate/accept', interloper, first);
      }
    };
    const r = await runAction(gh, w, { event: 'push', payload: pushPayload(sha2), sha: sha2, inputs: { token: TOKEN } });
    expect(r.outputs['pull-request-operation']).toBe('updated');
    const refUpdates = gh.requests.filter((q) => q.method === 'PATCH' && q.path.includes('/git/refs/')).map((q) => q.status);
    expect(refUpdates).toEqual([422, 200]);
    expect(branch().parents).toEqual([sha2, interloper]);
    expect(gh.pulls.filter((p) => p.state === 'open')).toHaveLength(1);
  });

  it('two proposers racing end with one branch holding the newer evaluation and one PR', async () => {
    seedExample(w);
    const older = w.commitAll('data update');
    rewriteMetricFile(w.work, 'results/mol_toxicity.json', (t) => t.replace('"auc": 0.86', '"auc": 0.9'));
    const newer = w.commitAll('retrain');
    const [a, b] = await Promise.all([
      runAction(gh, w, { event: 'push', payload: pushPayload(older), sha: older, inputs: { token: TOKEN } }),
      runAction(gh, w, { event: 'push', payload: pushPayload(newer), sha: newer, inputs: { token: TOKEN } }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(branch().message).toContain(`Lineage-Gate-Evaluated: ${newer}`);
    expect(gh.pulls.filter((p) => p.state === 'open')).toHaveLength(1);
  });

  it('re-evaluates everything on workflow_dispatch with all, and refuses a hostile branch name before any request', async () => {
    seedExample(w);
    const sha = w.commitAll('data update');
    const bad = await runAction(gh, w, {
      event: 'workflow_dispatch',
      payload: dispatchPayload(),
      sha,
      inputs: { token: TOKEN, 'pr-branch': 'x;rm -rf ~ --force ../../main' },
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('::error::lineage-gate: input pr-branch is not a branch name');
    expect(gh.requests).toEqual([]);
    const all = await runAction(gh, w, {
      event: 'workflow_dispatch',
      payload: dispatchPayload(),
      sha,
      inputs: { token: TOKEN, all: 'true' },
    });
    expect((all.report as { all: boolean; models: { status: string }[] }).all).toBe(true);
    expect((all.report as { models: { status: string }[] }).models.every((m) => m.status !== 'unchanged')).toBe(true);
    expect(all.outputs['pull-request-operation']).toBe('created');
  });
});

describe('site-dir', () => {
  it('builds the lineage site into the workspace under the given base path', async () => {
    seedExample(w);
    const sha = w.commitAll('data update');
    const r = prepareRunner(gh, w, {
      event: 'push',
      payload: pushPayload(sha),
      sha,
      inputs: { token: TOKEN, mode: 'check', 'fail-on': 'never', comment: 'off', 'site-dir': '_site', 'site-base': '/lineage/' },
    });
    const run = await spawnCollect(process.execPath, [path.resolve('src/action/index.ts')], r.env.GITHUB_WORKSPACE!, r.env);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const site = path.join(r.env.GITHUB_WORKSPACE!, '_site');
    const index = readFileSync(path.join(site, 'index.html'), 'utf8');
    const models = readFileSync(path.join(site, 'models/mol_toxicity/index.html'), 'utf8');
    const outputs = r.finish();
    expect(outputs.outputs['site-dir']).toBe(site);
    expect(index).toContain('href="/lineage/graph/"');
    expect(models).toContain('mol_toxicity');
    expect(run.stdout).toMatch(/built the lineage site \(\d+ pages\) in _site/);
  });
});

describe('debugging with @github/local-action', () => {
  it('runs the check as a user would debug it locally, against the same local GitHub', async () => {
    seedExample(w);
    const sha = w.commitAll('pending');
    const r = prepareRunner(gh, w, { event: 'pull_request', payload: prPayload(sha), sha, inputs: { token: TOKEN, 'fail-on': 'never' } });
    const dotenv = path.join(r.dir, '.env');
    writeFileSync(
      dotenv,
      `${Object.entries(r.env)
        .filter(([k]) => k !== 'PATH' && k !== 'HOME')
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('\n')}\n`,
    );
    const run = await spawnCollect(
      path.resolve('node_modules/.bin/local-action'),
      ['run', path.resolve('.'), 'src/action/index.ts', dotenv],
      path.resolve('.'),
      { PATH: process.env.PATH ?? '', HOME: r.dir },
    );
    r.finish();
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout).toContain('Running Action');
    expect(run.stdout).toContain('mol_toxicity');
    const comments = gh.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(COMMENT_MARKER)).toBe(true);
  });
});

describe('workflow_run: comment on a fork PR from its uploaded report', () => {
  it('finds the PR from the event, re-renders the report with its text escaped, and refuses one that is not a report', async () => {
    seedExample(w);
    const sha = w.commitAll('base');
    const forkSha = 'f'.repeat(40);
    gh.pulls.push({
      number: 12,
      title: 'fork change',
      body: '',
      head: 'feature',
      base: 'main',
      state: 'open',
      labels: [],
      fork: { owner: 'mallory', sha: forkSha },
    });
    // The fork's check run produced this report; the fork can put anything in it.
    const run = spawnSync(
      process.execPath,
      ['bin/lineage-gate.js', 'check', '--root', 'examples/molecular-property/lineage', '--json', '-'],
      { encoding: 'utf8' },
    );
    const report = JSON.parse(run.stdout) as { models: { reasons: string[] }[] };
    report.models[0]!.reasons.push('@everyone ![x](https://evil.example/x.png) <img src=x onerror=alert(1)>');
    const reportFile = path.join(w.dir, 'report.json');
    writeFileSync(reportFile, JSON.stringify(report));
    const payload = { ...webhookExample('workflow_run'), repository: repository() } as Record<string, any>;
    payload.workflow_run = {
      ...payload.workflow_run,
      head_sha: forkSha,
      head_branch: 'feature',
      head_repository: { ...payload.workflow_run.head_repository, owner: { login: 'mallory' } },
      pull_requests: [],
    };

    const r = await runAction(gh, w, { event: 'workflow_run', payload, sha, inputs: { token: TOKEN, 'report-file': reportFile } });
    expect(r.code).toBe(0);
    const body = gh.comments.get(12)![0]!.body;
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain('mol_toxicity');
    expect(body).not.toMatch(/@everyone|!\[x\]|<img/);

    // Same run again edits the comment; a report that is not one is refused.
    await runAction(gh, w, { event: 'workflow_run', payload, sha, inputs: { token: TOKEN, 'report-file': reportFile } });
    expect(gh.comments.get(12)).toHaveLength(1);
    writeFileSync(reportFile, JSON.stringify({ status: 'pass', body: '@everyone' }));
    const bad = await runAction(gh, w, { event: 'workflow_run', payload, sha, inputs: { token: TOKEN, 'report-file': reportFile } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('does not match schemas/report.schema.json');
    // A run whose head does not match any open PR comments nowhere.
    writeFileSync(reportFile, JSON.stringify(report));
    payload.workflow_run.head_sha = 'e'.repeat(40);
    const none = await runAction(gh, w, { event: 'workflow_run', payload, sha, inputs: { token: TOKEN, 'report-file': reportFile } });
    expect(none.stdout).toContain('nothing to comment on');
    expect(gh.comments.get(12)).toHaveLength(1);
  });
});
