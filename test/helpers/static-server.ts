// Serves a built site under a base path on 127.0.0.1, as GitHub Pages would under /repo-name/; 404 elsewhere.
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * With `tls` (a key and certificate), serves HTTP/2 as GitHub Pages does, so the benchmark sees the browser fetch
 * many small files over one connection instead of HTTP/1.1's six.
 */
export async function serveSite(
  dir: string,
  base: string,
  tls?: { key: string; cert: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const root = path.resolve(dir);
  const handler = (
    req: { url?: string },
    res: {
      writeHead(status: number, headers?: Record<string, string | number>): { end(body?: string): void };
      end(body?: Buffer | string): void;
    },
  ) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!pathname.startsWith(base)) return void res.writeHead(404).end('not found');
    let file = path.join(root, pathname.slice(base.length));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
      statSync(file);
    } catch {
      return void res.writeHead(404).end('not found');
    }
    // Whole files at once: they are small, and a stream per file made each response several times slower.
    const body = readFileSync(file);
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  };
  const server = tls ? createSecureServer({ ...tls, allowHTTP1: true }, handler as never) : (createServer(handler as never) as Server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scheme = tls ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
