// node bench/action-install.ts [--runs N]: what the Action's own set-up costs, cold. For a check job and a site job,
// action.yml's install step runs in a fresh copy of the action with an empty npm cache (everything downloaded from the
// registry, as on a new runner), N times; it prints the median time, the size on disk and the size of the cache
// archive actions/cache would store (tar + zstd, as it does).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { actionCheckout, folderBytes, runInstall } from '../test/helpers/action-checkout.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const job of [
  { name: 'check', siteDir: '' },
  { name: 'site', siteDir: '_site' },
]) {
  const seconds: number[] = [];
  let mb = 0;
  let packages = 0;
  let archiveMb = 0;
  for (let i = 0; i < runs; i++) {
    const dir = actionCheckout();
    const cache = mkdtempSync(path.join(tmpdir(), 'lg-npm-cache-'));
    const t0 = performance.now();
    runInstall(dir, job.siteDir, { npm_config_cache: cache });
    seconds.push((performance.now() - t0) / 1000);
    const modules = path.join(dir, 'node_modules');
    mb = folderBytes(modules) / 1e6;
    packages = readdirSync(modules, { recursive: true }).filter((p) => String(p).endsWith('package.json')).length;
    if (i === 0) {
      const archive = execFileSync('bash', ['-c', 'tar -cf - node_modules | zstd -T0 -q -c | wc -c'], { cwd: dir, encoding: 'utf8' });
      archiveMb = Number(archive.trim()) / 1e6;
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
  console.log(
    `${job.name} job: ${median(seconds).toFixed(1)} s median of ${runs} cold installs (${seconds.map((s) => s.toFixed(1)).join(', ')}), ` +
      `${mb.toFixed(0)} MB on disk, ${packages} package.json files, cache archive ${archiveMb.toFixed(0)} MB`,
  );
}
