// A local OpenLineage consumer (Marquez's POST /api/v1/lineage) that records every request and checks it as a
// consumer would: JSON body, one RunEvent that matches lineage-gate's event schema, the bearer key when one is set.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { schemaProblems } from '../../src/core/input/schema.ts';

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The parsed event, or null when the body was not JSON. */
  event: { job: { namespace: string; name: string }; run: { runId: string }; eventType: string; eventTime: string } | null;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface LineageServer {
  /** Base URL, e.g. http://127.0.0.1:PORT (the default endpoint path is added by lineage-gate). */
  url: string;
  received: Received[];
  /** Requests that a consumer would have rejected: bad method or path, not JSON, not an event, wrong key. */
  violations: string[];
  close(): Promise<void>;
}

/**
 * `reply(request, n)` decides each answer (n counts requests from 0); by default every valid event is accepted
 * with 201, as Marquez answers. The server checks `apiKey` when given.
 */
export async function startLineageServer(
  opts: { apiKey?: string; reply?: (r: Received, n: number) => Reply | undefined } = {},
): Promise<LineageServer> {
  const received: Received[] = [];
  const violations: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: Received['event'] = null;
      try {
        event = JSON.parse(body) as Received['event'];
      } catch {
        violations.push(`request ${received.length + 1}: the body is not JSON`);
      }
      const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, event };
      const n = received.length;
      received.push(r);
      if (r.method !== 'POST' || r.path !== '/api/v1/lineage') violations.push(`request ${n + 1}: ${r.method} ${r.path}`);
      if (!String(req.headers['content-type']).startsWith('application/json')) violations.push(`request ${n + 1}: content-type`);
      if (event !== null) {
        for (const p of schemaProblems('openlineage-event', event, `request ${n + 1}`)) violations.push(`${p.file}: ${p.message}`);
      }
      if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
        violations.push(`request ${n + 1}: no or wrong bearer key`);
        res.writeHead(401).end('unauthorized');
        return;
      }
      const reply = opts.reply?.(r, n) ?? { status: 201, body: '' };
      res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    violations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
