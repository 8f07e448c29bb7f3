// `export --url`: posting to a local OpenLineage consumer that records and checks every request. In order, one event
// per request, retried on 429 and 5xx, stopped at the first refusal with an error that names it, the key never shown.
import { afterEach, describe, expect, it } from 'vitest';
import { LineagePostError, lineageEndpoint, postEvents } from '../src/adapters/openlineage-http.ts';
import { cli } from './helpers/cli.ts';
import { type LineageServer, startLineageServer } from './helpers/lineage-server.ts';

const ROOT = 'examples/molecular-property/lineage';
const NS = 'https://github.com/example/drug-discovery';
const KEY = 'olk_live_0123456789SECRETKEY';
let server: LineageServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const exported = async () =>
  (await cli(['export', '--format', 'openlineage', '--root', ROOT, '--namespace', NS])).out.trimEnd().split('\n');
const post = (
  url: string,
  env: Record<string, string | undefined> = { SOURCE_DATE_EPOCH: '1700000000', OPENLINEAGE_API_KEY: KEY },
  extra: string[] = [],
) => cli(['export', '--format', 'openlineage', '--root', ROOT, '--namespace', NS, '--url', url, ...extra], env);

describe('export --url', () => {
  it('posts every event once, in order, with the bearer key, to /api/v1/lineage', async () => {
    server = await startLineageServer({ apiKey: KEY });
    const r = await post(server.url);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = await exported();
    expect(r.out).toBe(`export: posted ${lines.length} OpenLineage event(s) in namespace ${NS}\n`);
    expect(server.violations).toEqual([]);
    expect(server.received.map((x) => x.body)).toEqual(lines);
    expect(r.out + r.err).not.toContain(KEY);
  });

  it('retries a 503 and a 429 (honouring Retry-After) and still delivers in order, each event once', async () => {
    server = await startLineageServer({
      reply: (_r, n) =>
        n === 2
          ? { status: 503, headers: { 'retry-after': '0' }, body: 'busy' }
          : n === 5
            ? { status: 429, headers: { 'retry-after': '0' } }
            : undefined,
    });
    const r = await post(server.url);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/HTTP 503 Service Unavailable: busy; retrying event 3 in 0 ms \(attempt 2 of 5\)/);
    expect(r.err).toMatch(/HTTP 429 Too Many Requests; retrying event 5 in 0 ms/);
    const lines = await exported();
    const bodies = server.received.map((x) => x.body);
    expect(bodies).toHaveLength(lines.length + 2);
    // The refused attempts are repeated at once; apart from them, exactly the export's order.
    expect([...new Set(bodies)]).toEqual(lines);
    expect(bodies[2]).toBe(bodies[3]);
    expect(server.violations).toEqual([]);
  });

  it('stops at the first refused event, names it, and sends nothing after it', async () => {
    server = await startLineageServer({
      reply: (r, n) =>
        n === 6 ? { status: 422, body: `{"error":"bad facet","echo":"Bearer ${KEY}"}` } : r.event ? undefined : { status: 400 },
    });
    const r = await post(server.url);
    expect(r.code).toBe(2);
    const lines = await exported();
    const refused = JSON.parse(lines[6]!) as { job: { name: string }; run: { runId: string } };
    expect(server.received).toHaveLength(7);
    expect(r.err).toContain(
      `${server.url}/api/v1/lineage refused event 7 of ${lines.length} (job ${refused.job.name}, run ${refused.run.runId}, COMPLETE): HTTP 422 Unprocessable Entity: {"error":"bad facet","echo":"Bearer ***"}; events 1 to 6 were accepted; events 8 to ${lines.length} were not sent`,
    );
    expect(r.out + r.err).not.toContain(KEY);
  });

  it('gives up after five attempts on a consumer that keeps failing', async () => {
    server = await startLineageServer({ reply: () => ({ status: 500, headers: { 'retry-after': '0' }, body: 'down' }) });
    const r = await post(server.url);
    expect(r.code).toBe(2);
    expect(server.received).toHaveLength(5);
    expect(r.err).toMatch(
      /did not take event 1 of \d+ \(job dataset\.ds_admet_20210502, .*\) after 5 attempts: HTTP 500 Internal Server Error: down; events 2 to \d+ were not sent\n$/,
    );
  });

  it('refuses URLs it cannot send to safely before evaluating anything', async () => {
    const withCredentials = await post('https://user:pw@marquez.example.com/api/v1/lineage');
    expect(withCredentials.code).toBe(2);
    expect(withCredentials.err).toContain('carries credentials');
    expect(withCredentials.err).not.toContain(':pw@');
    expect((await post('ftp://marquez.example.com/')).err).toContain('must start with http');
    expect((await post('http://127.0.0.1:9/', { OPENLINEAGE_API_KEY: 'two words' })).err).toContain('printable ASCII');
  });

  it('reads the key from the variable --api-key-env names', async () => {
    server = await startLineageServer({ apiKey: KEY });
    const r = await post(server.url, { SOURCE_DATE_EPOCH: '1700000000', MARQUEZ_KEY: KEY }, ['--api-key-env', 'MARQUEZ_KEY']);
    expect(r.code).toBe(0);
    expect(server.violations).toEqual([]);
    const missing = await post(server.url, { SOURCE_DATE_EPOCH: '1700000000' });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('HTTP 401');
  });
});

describe('postEvents', () => {
  it('retries a refused connection with backoff, then names the event it could not deliver', async () => {
    const gone = await startLineageServer();
    const url = gone.url;
    await gone.close();
    const waits: number[] = [];
    const error = await postEvents(
      [
        { body: '{}', label: 'job a' },
        { body: '{}', label: 'job b' },
      ],
      {
        url,
        backoffMs: 10,
        attempts: 3,
        sleep: async (ms) => void waits.push(ms),
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LineagePostError);
    expect((error as LineagePostError).index).toBe(0);
    expect((error as Error).message).toMatch(
      /did not take event 1 of 2 \(job a\) after 3 attempts: fetch failed \(.*ECONNREFUSED.*\); events 2 to 2 were not sent/,
    );
    expect(waits).toEqual([10, 20]);
  });

  it('sends to the URL as given when it names a path, and to /api/v1/lineage when it names only a host', () => {
    expect(lineageEndpoint('https://datahub.example.com/openapi/openlineage/api/v1/lineage').pathname).toBe(
      '/openapi/openlineage/api/v1/lineage',
    );
    expect(lineageEndpoint('http://marquez:5000').href).toBe('http://marquez:5000/api/v1/lineage');
  });
});
