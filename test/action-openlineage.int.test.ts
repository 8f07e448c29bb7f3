// The Action posts lineage to an OpenLineage endpoint: only from propose runs, only the accepted lineage, with the key
// registered as a secret; a pull request's run never posts, and a refusal fails the step naming the event.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitWorld, gitWorld, runAction, seedExample, webhookExample } from './helpers/action-run.ts';
import { type FakeGitHub, startFakeGitHub } from './helpers/github-server.ts';
import { type LineageServer, startLineageServer } from './helpers/lineage-server.ts';

const TOKEN = 'ghs_FAKEtoken0123456789SECRET';
const KEY = 'olk_live_ActionKEY0123456789';
let w: GitWorld;
let gh: FakeGitHub;
let ol: LineageServer | null = null;

beforeEach(async () => {
  w = gitWorld();
  gh = await startFakeGitHub({ bare: w.bare });
  gh.addToken(TOKEN, { login: 'github-actions[bot]', installation: true });
});
afterEach(async () => {
  await ol?.close();
  ol = null;
  await gh.close();
  w.cleanup();
  expect(gh.violations).toEqual([]);
});

const repository = () => ({
  ...(webhookExample('push').repository as object),
  full_name: `${gh.owner}/${gh.repo}`,
  name: gh.repo,
  default_branch: 'main',
});
const push = (sha: string) => ({
  ...webhookExample('push'),
  ref: 'refs/heads/main',
  after: sha,
  head_commit: { id: sha, timestamp: '2021-08-01T00:00:00Z', message: 'data update' },
  repository: repository(),
});

describe('openlineage-url', () => {
  it('propose posts the accepted lineage with the key as a bearer token, and nothing pending', async () => {
    ol = await startLineageServer({ apiKey: KEY });
    seedExample(w);
    const sha = w.commitAll('pending ds_mol update');
    const r = await runAction(gh, w, {
      event: 'push',
      payload: push(sha),
      sha,
      inputs: { token: TOKEN, 'openlineage-url': ol.url, 'openlineage-api-key': KEY },
    });
    expect(r.code).toBe(0);
    expect(r.outputs['pull-request-operation']).toBe('created');
    expect(ol.violations).toEqual([]);
    const events = ol.received.map((x) => x.event!);
    expect(r.outputs['openlineage-events']).toBe(String(events.length));
    expect(events.length).toBeGreaterThan(30);
    expect(events.every((e) => e.job.namespace === `https://github.com/${gh.owner}/${gh.repo}`)).toBe(true);
    // Accepted history only: the two records of July; the pending 3.13 update waits for its lock PR to be merged.
    expect(events.every((e) => e.eventTime < '2021-08-01')).toBe(true);
    expect(ol.received.some((x) => x.body.includes('"3.13"'))).toBe(false);
    expect(r.stdout).toContain(`posted ${events.length} OpenLineage event(s) of the accepted lineage`);
    expect(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(KEY);
    expect(r.stdout).toContain(`::add-mask::${KEY}`);
  });

  it('a pull request run never posts, whatever the workflow says', async () => {
    ol = await startLineageServer();
    seedExample(w);
    const sha = w.commitAll('pending ds_mol update');
    const e = webhookExample('pull_request', (x) => x.action === 'opened');
    const pr = e.pull_request as Record<string, any>;
    pr.number = 7;
    pr.head.sha = sha;
    pr.head.repo = { ...pr.head.repo, full_name: `${gh.owner}/${gh.repo}` };
    pr.base.repo = { ...pr.base.repo, full_name: `${gh.owner}/${gh.repo}` };
    const r = await runAction(gh, w, {
      event: 'pull_request',
      payload: { ...e, number: 7, repository: repository() },
      sha,
      inputs: { token: TOKEN, 'openlineage-url': ol.url },
    });
    expect(r.outputs.status).toBe('fail');
    expect(ol.received).toEqual([]);
  });

  it('fails the step when the endpoint refuses an event, naming it', async () => {
    ol = await startLineageServer({ reply: (_r, n) => (n === 3 ? { status: 400, body: 'no such facet' } : undefined) });
    seedExample(w);
    const sha = w.commitAll('pending ds_mol update');
    const r = await runAction(gh, w, { event: 'push', payload: push(sha), sha, inputs: { token: TOKEN, 'openlineage-url': ol.url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::lineage-gate: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/lineage refused event 4 of \d+ \(job dataset\.\S+, run [0-9a-f-]+, COMPLETE\): HTTP 400 Bad Request: no such facet/,
    );
    expect(ol.received).toHaveLength(4);
    expect(r.outputs['openlineage-events']).toBe('3');
    // The proposal itself was made before posting.
    expect(r.outputs['pull-request-operation']).toBe('created');
  });

  it('refuses an endpoint URL with credentials before doing anything', async () => {
    seedExample(w);
    const sha = w.commitAll('x');
    const r = await runAction(gh, w, {
      event: 'push',
      payload: push(sha),
      sha,
      inputs: { token: TOKEN, 'openlineage-url': 'https://admin:hunter2@marquez.example.com' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('input openlineage-url: carries credentials');
    expect(r.stdout).not.toContain('hunter2');
    expect(gh.requests).toEqual([]);
  });
});
