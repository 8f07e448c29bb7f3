// npm run bench [-- S M L] [--runs N] [--changes one-dataset,...] [--no-site] [--out FILE]: generates each size once per change, measures with several
// runs and reports medians. Figures go to bench/results.json so two commits can be compared.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { writeFloorInputs } from './floor-inputs.ts';
import { applyChange, type Change, generate, SIZES } from './generate.ts';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench/results.json' },
    'site-only': { type: 'boolean', default: false },
    'no-site': { type: 'boolean', default: false },
    changes: { type: 'string', default: 'one-dataset,one-percent,one-model' },
  },
});
/** --site-only measures only the site and keeps the check figures already in the results file. */
const siteOnly = opts['site-only'];
const sizes = (positionals.length ? positionals : ['S', 'M', 'L']) as (keyof typeof SIZES)[];
const runs = Number(opts.runs);
const OUT = path.resolve('bench/out');

type Measure = {
  what: string;
  ms: number;
  max_rss_mb: number;
  wall_ms: number;
  timings?: Record<string, number>;
  accept_write_ms?: number;
  [k: string]: unknown;
};
function measure(args: string[]): Measure {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['bench/measure.ts', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ...(JSON.parse(out.trim().split('\n').at(-1)!) as Measure), wall_ms: performance.now() - t0 };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const med = (ms: Measure[], f: (m: Measure) => number) => median(ms.map(f));

interface SiteRow {
  size: string;
  build_ms: number;
  build_rss_mb: number;
  pages: number;
  total_mb: number;
  largest_html_gz_kb: number;
  largest_js_gz_kb: number;
  graph_one_hop_ms: number;
  graph_one_hop_p90_ms: number;
  graph_nodes: number;
  graph_edges: number;
  graph_tti_ms: number;
  graph_tti_p90_ms: number;
}
const siteRows: SiteRow[] = [];
interface Row {
  size: string;
  change: string;
  entities: string;
  changed: string;
  /** Whole-process wall times (medians), as the parent measured them. */
  check_wall_ms: number;
  start_ms: number;
  read_ms: number;
  json_ms: number;
  /** check ÷ floor, paired within each run: median and range over the runs. */
  check_per_read: Spread;
  check_per_json: Spread;
  /** In-process time of check, imports included (median). */
  check_ms: number;
  check_rss_mb: number;
  bytes_read_mb: number;
  rss_per_byte_read: number;
  eval_ms: number;
  accept_extra_ms?: number;
  accept_rss_mb?: number;
  phases: Record<string, number>;
  files_read: number;
  per_entity_us: number;
}
interface Spread {
  median: number;
  min: number;
  max: number;
}
const rows: Row[] = [];

for (const name of sizes) {
  const size = SIZES[name];
  const changes: Change[] = siteOnly ? ['one-dataset'] : (opts.changes.split(',') as Change[]);
  for (const change of changes) {
    const dir = path.join(OUT, `${name}-${change}`);
    const tg = performance.now();
    const g = generate(dir, size);
    const counts = applyChange(g, size, change);
    process.stderr.write(
      `${name} ${change}: generated in ${((performance.now() - tg) / 1000).toFixed(1)} s (${counts.datasets} dataset(s), ${counts.models} model(s) changed)\n`,
    );

    if (siteOnly) {
      measureSite(name, dir, g.root);
      continue;
    }
    measure(['check', g.root]); // warm the page cache, as a CI runner that just checked out would be
    // The floors read exactly the files check read; the JSON floor reads the same data written as JSON.
    const { evaluate } = await import('../src/evaluate.ts');
    const ev = await evaluate({ root: g.root, cache: false });
    ev.close();
    const floor = writeFloorInputs(dir, ev);
    // Runs alternate (start, read, json, check), so that whatever else the machine does falls on all of them alike.
    const starts: Measure[] = [];
    const reads: Measure[] = [];
    const jsons: Measure[] = [];
    const checks: Measure[] = [];
    for (let r = 0; r < runs; r++) {
      starts.push(measure(['start']));
      reads.push(measure(['read', floor.list]));
      jsons.push(measure(['json', floor.list]));
      checks.push(measure(['check', g.root]));
    }
    let accept: Measure[] = [];
    if (change === 'one-dataset') {
      const lockFile = path.join(g.root, 'associations.lock.yaml');
      const lockBytes = readFileSync(lockFile);
      const historyBefore = new Set(readdirSync(path.join(g.root, 'history')));
      accept = Array.from({ length: runs }, () => {
        const m = measure(['accept', g.root]);
        writeFileSync(lockFile, lockBytes);
        for (const f of readdirSync(path.join(g.root, 'history'))) if (!historyBefore.has(f)) rmSync(path.join(g.root, 'history', f));
        return m;
      });
    }
    if (change === 'one-dataset' && !opts['no-site']) measureSite(name, dir, g.root);
    const phases: Record<string, number> = {};
    for (const k of Object.keys(checks[0]!.timings ?? {})) phases[k] = Math.round(med(checks, (m) => m.timings![k]!));
    const checkWall = med(checks, (m) => m.wall_ms);
    const paired = (floors: Measure[]): Spread => {
      const rs = checks.map((c, k) => c.wall_ms / floors[k]!.wall_ms);
      const r2 = (x: number) => Number(x.toFixed(2));
      return { median: r2(median(rs)), min: r2(Math.min(...rs)), max: r2(Math.max(...rs)) };
    };
    const entities = size.datasets + size.models + size.workflows;
    const rss = Math.max(...checks.map((m) => m.max_rss_mb));
    rows.push({
      size: name,
      change,
      entities: `${size.datasets}/${size.models}/${size.workflows}`,
      changed: `${counts.datasets} ds, ${counts.models} models; ${checks[0]!.models_affected} models, ${checks[0]!.workflows_affected} workflows affected`,
      check_wall_ms: Math.round(checkWall),
      start_ms: Math.round(med(starts, (m) => m.wall_ms)),
      read_ms: Math.round(med(reads, (m) => m.wall_ms)),
      json_ms: Math.round(med(jsons, (m) => m.wall_ms)),
      check_per_read: paired(reads),
      check_per_json: paired(jsons),
      check_ms: Math.round(med(checks, (m) => m.ms)),
      check_rss_mb: Math.round(rss),
      bytes_read_mb: Number((floor.bytes / 2 ** 20).toFixed(1)),
      rss_per_byte_read: Number((rss / (floor.bytes / 2 ** 20)).toFixed(1)),
      eval_ms: Math.round(med(checks, (m) => m.timings!.affected! + m.timings!.gates! + m.timings!.report!)),
      ...(accept.length
        ? {
            accept_extra_ms: Math.round(med(accept, (m) => m.wall_ms) - checkWall),
            accept_rss_mb: Math.round(Math.max(...accept.map((m) => m.max_rss_mb))),
          }
        : {}),
      phases,
      files_read: floor.files,
      per_entity_us: Math.round((checkWall * 1000) / entities),
    });
    process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
  }
}

function measureSite(name: string, dir: string, root: string): void {
  const siteDir = path.join(dir, 'site-out');
  const site = measure(['site', root, siteDir]);
  // The explorer opened on the first dataset, then grown by expansions to about 150 visible nodes.
  const tti = JSON.parse(
    execFileSync(process.execPath, ['bench/graph-tti.ts', siteDir, 'dataset:ds_00000', '150'], { encoding: 'utf8' }).trim(),
  ) as { nodes: number; edges: number; tti_ms: number; tti_p90_ms: number; one_hop_ms: number; one_hop_p90_ms: number };
  siteRows.push({
    size: name,
    build_ms: Math.round(site.build_ms as number),
    build_rss_mb: Math.round(site.max_rss_mb),
    pages: site.pages as number,
    total_mb: Number((site.total_mb as number).toFixed(1)),
    largest_html_gz_kb: Number((site.largest_html_gz_kb as number).toFixed(1)),
    largest_js_gz_kb: Number((site.largest_js_gz_kb as number).toFixed(1)),
    graph_one_hop_ms: tti.one_hop_ms,
    graph_one_hop_p90_ms: tti.one_hop_p90_ms,
    graph_nodes: tti.nodes,
    graph_edges: tti.edges,
    graph_tti_ms: tti.tti_ms,
    graph_tti_p90_ms: tti.tti_p90_ms,
  });
  process.stderr.write(`${JSON.stringify(siteRows.at(-1))}\n`);
  rmSync(siteDir, { recursive: true, force: true });
}

const spread = (x: Spread) => `${x.median} (${x.min}–${x.max})`;
const header = [
  'size',
  'change',
  'check (wall)',
  'node start + imports',
  'read',
  'read + JSON.parse',
  'check / read',
  'check / JSON',
  'eval after loading',
  'peak MB',
  'MB read',
  'peak / read',
  'accept +ms',
  'files read',
];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
for (const r of rows)
  lines.push(
    `| ${[r.size, r.change, r.check_wall_ms, r.start_ms, r.read_ms, r.json_ms, spread(r.check_per_read), spread(r.check_per_json), r.eval_ms, r.check_rss_mb, r.bytes_read_mb, r.rss_per_byte_read, r.accept_extra_ms ?? '', r.files_read].join(' | ')} |`,
  );
const siteHeader = [
  'size',
  'build ms',
  'peak MB',
  'pages',
  'total MB',
  'largest page gz KB',
  'script per page gz KB',
  'one-hop graph ms (median/p90)',
  'graph nodes / edges',
  'that graph ms (median/p90)',
];
const siteLines = [
  `| ${siteHeader.join(' | ')} |`,
  `|${siteHeader.map(() => '---').join('|')}|`,
  ...siteRows.map(
    (r) =>
      `| ${[r.size, r.build_ms, r.build_rss_mb, r.pages, r.total_mb, r.largest_html_gz_kb, r.largest_js_gz_kb, `${r.graph_one_hop_ms} / ${r.graph_one_hop_p90_ms}`, `${r.graph_nodes} / ${r.graph_edges}`, `${r.graph_tti_ms} / ${r.graph_tti_p90_ms}`].join(' | ')} |`,
  ),
];
const table = lines.join('\n') + (siteRows.length ? `\n\nsite:\n${siteLines.join('\n')}` : '');
process.stdout.write(
  `${table}\n\nphases (median ms): \n${rows.map((r) => `  ${r.size} ${r.change}: ${JSON.stringify(r.phases)}`).join('\n')}\n`,
);
mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
const previous = siteOnly ? (JSON.parse(readFileSync(opts.out, 'utf8')) as { rows: Row[] }).rows : null;
if (previous) rows.push(...previous);
writeFileSync(
  opts.out,
  `${JSON.stringify({ machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version }, runs, rows, site: siteRows }, null, 2)}\n`,
);
