// Time from navigation until the graph is drawn, painted and pans and zooms, in Debian's Chromium, for a view grown to
// about `target` nodes and restored from its shared URL, and for a one-hop view. Median and 90th percentile of RUNS
// cold loads each.
//   node bench/graph-tti.ts SITE_DIR FOCUS_KEY [target]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeKey } from '../src/core/site/graph-chunk.ts';
import { launch } from '../test/helpers/browser.ts';
import { serveSite } from '../test/helpers/static-server.ts';
import { launchLean } from './cdp.ts';

const [dir, focus, target = '150'] = process.argv.slice(2) as [string, string, string?];
const RUNS = 15;
// GitHub Pages serves HTTP/2, where the explorer's many small fetches share one connection; HTTP/2 in a browser
// needs TLS, so a throwaway self-signed certificate is made for this measurement only.
// Let the writes of the build that usually precedes this reach the disk first: writeback competes for the CPU.
execFileSync('sync');
const certDir = mkdtempSync(path.join(tmpdir(), 'lg-cert-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    path.join(certDir, 'key.pem'),
    '-out',
    path.join(certDir, 'cert.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ],
  { stdio: 'ignore' },
);
const server = await serveSite(dir, '/bench/', {
  key: readFileSync(path.join(certDir, 'key.pem'), 'utf8'),
  cert: readFileSync(path.join(certDir, 'cert.pem'), 'utf8'),
});
rmSync(certDir, { recursive: true, force: true });
const browser = await launch(['--ignore-certificate-errors']);
try {
  // Grow the view once to find which expansions reach the target, then measure cold loads of that URL.
  const page = await browser.newPage();
  await page.goto(`${server.url}/bench/graph/?focus=${encodeURIComponent(focus)}`);
  await page.waitForSelector('#graph-svg a.gnode');
  for (let round = 0; round < 200 && (await page.locator('#graph-svg a.gnode').count()) < Number(target); round++) {
    const buttons = page.locator('#graph-svg g.btn');
    if ((await buttons.count()) === 0) break;
    // By keyboard: buttons may lie outside the drawing's viewport, where a pointer could not reach them.
    await buttons.nth(round % (await buttons.count())).focus();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(50);
  }
  const url = page.url();
  const nodes = await page.locator('#graph-svg a.gnode').count();
  const edges = await page.locator('#graph-svg path.edge').count();
  await page.close();
  await browser.close();
  // Then cold loads of that URL and of a plain one-hop view (opened the way an entity page links to it, with its
  // chunk), alternating, each in a new tab of a browser nobody else instruments.
  const locator = JSON.parse(readFileSync(path.join(dir, 'data/graph/k', `${encodeKey(focus)}.json`), 'utf8')) as { chunk: number };
  const oneHop = `${server.url}/bench/graph/?focus=${encodeURIComponent(focus)}&c=${locator.chunk}`;
  const lean = await launchLean(['--ignore-certificate-errors']);
  const restored: number[] = [];
  const one: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      restored.push(await lean.timeToMark(url, 'lineage-graph-interactive'));
      one.push(await lean.timeToMark(oneHop, 'lineage-graph-interactive'));
    }
  } finally {
    await lean.close();
  }
  const q = (list: number[], p: number) =>
    Math.round([...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(p * list.length))]!);
  process.stdout.write(
    `${JSON.stringify({ nodes, edges, runs: RUNS, tti_ms: q(restored, 0.5), tti_p90_ms: q(restored, 0.9), one_hop_ms: q(one, 0.5), one_hop_p90_ms: q(one, 0.9), url: url.replace(server.url, '') })}\n`,
  );
} finally {
  await browser.close();
  await server.close();
}
