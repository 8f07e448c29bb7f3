import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch } from '../test/helpers/browser.ts';
import { serveSite } from '../test/helpers/static-server.ts';
const certDir = mkdtempSync(path.join(tmpdir(), 'c-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(certDir, 'k'), '-out', path.join(certDir, 'c'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const s = await serveSite('/tmp/site-s', '/bench/', { key: readFileSync(path.join(certDir, 'k'), 'utf8'), cert: readFileSync(path.join(certDir, 'c'), 'utf8') });
const b = await launch(['--ignore-certificate-errors']);
const u = readFileSync(process.argv[2] ?? '/tmp/tti-url.txt', 'utf8').trim();
for (let i = 0; i < 4; i++) {
  const p = await b.newPage();
  await p.goto(s.url + u);
  await p.waitForFunction(() => performance.getEntriesByName('lineage-graph-rendered').length > 0);
  console.log(JSON.stringify(await p.evaluate(() => {
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const json = res.filter((r) => r.name.endsWith('.json'));
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { proto: json[0]?.nextHopProtocol, dcl: Math.round(nav.domContentLoadedEventEnd), jsonStart: Math.round(Math.min(...json.map((r) => r.startTime))), jsonEnd: Math.round(Math.max(...json.map((r) => r.responseEnd))), n: json.length, avgDur: Math.round(json.reduce((a, r) => a + r.duration, 0) / json.length), rendered: Math.round(performance.getEntriesByName('lineage-graph-rendered')[0]!.startTime) };
  })));
  await p.close();
}
await b.close(); await s.close();
