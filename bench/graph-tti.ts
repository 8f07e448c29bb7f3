// Time from navigation to a drawn, interactive graph in Debian's Chromium, for a view of about `target` nodes.
//   node bench/graph-tti.ts SITE_DIR FOCUS_KEY [target]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch } from '../test/helpers/browser.ts';
import { serveSite } from '../test/helpers/static-server.ts';

const [dir, focus, target = '150'] = process.argv.slice(2) as [string, string, string?];
// GitHub Pages serves HTTP/2, where the explorer's many small fetches share one connection; HTTP/2 in a browser
// needs TLS, so a throwaway self-signed certificate is made for this measurement only.
const certDir = mkdtempSync(path.join(tmpdir(), 'lg-cert-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const server = await serveSite(dir, '/bench/', { key: readFileSync(path.join(certDir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(certDir, 'cert.pem'), 'utf8') });
rmSync(certDir, { recursive: true, force: true });
const browser = await launch(['--ignore-certificate-errors']);
/**
 * Milliseconds from navigation until the first frame showing the graph was painted (the page marks it). The wait
 * is one observer in the page, not polling, so the measurement does not compete with the page for the main thread.
 */
async function painted(url: string): Promise<number> {
  const p = await browser.newPage();
  await p.goto(url, { waitUntil: 'commit' });
  const ms = await p.evaluate(() => new Promise<number>((resolve) => {
    new PerformanceObserver((list, observer) => {
      const mark = list.getEntriesByName('lineage-graph-painted')[0];
      if (mark) {
        observer.disconnect();
        resolve(mark.startTime);
      }
    }).observe({ type: 'mark', buffered: true });
  }));
  await p.close();
  return ms;
}

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
  await page.close();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    times.push(await painted(url));
  }
  times.sort((a, b) => a - b);
  // Also a plain one-hop view of the focus, opened the way an entity page links to it (with its chunk).
  const locator = JSON.parse(readFileSync(path.join(dir, 'data/graph/k', `${focus.replace(':', '/').replace('/', '__').replace(/\//g, '~')}.json`), 'utf8')) as { chunk: number };
  const one: number[] = [];
  for (let i = 0; i < 5; i++) {
    one.push(await painted(`${server.url}/bench/graph/?focus=${encodeURIComponent(focus)}&c=${locator.chunk}`));
  }
  one.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ nodes, tti_ms: times[2], one_hop_ms: one[2], url: url.replace(server.url, '') }) + '\n');
} finally {
  await browser.close();
  await server.close();
}
