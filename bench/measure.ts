// One measured run in a fresh process, so peak memory is this run's alone. Prints one JSON line.
//   node bench/measure.ts check ROOT | accept ROOT | floor ROOT FILELIST.json
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { acceptEvaluation } from '../src/acceptance.ts';
import { findRepoRoot, MAX_LOCK_BYTES, openRepo } from '../src/adapters/repo-fs.ts';
import { parseDocument } from '../src/core/input/document.ts';
import { parseMetrics } from '../src/core/input/metrics.ts';
import { extensionFormat } from '../src/core/input/paths.ts';
import { parseLock } from '../src/core/lock/lock-file.ts';
import { renderMarkdown } from '../src/core/render/report-markdown.ts';
import { evaluate } from '../src/evaluate.ts';
import { buildSite } from '../src/site-build.ts';

const [what, root, list] = process.argv.slice(2) as [string, string, string | undefined];
const t0 = performance.now();
let extra: Record<string, unknown> = {};
if (what === 'check' || what === 'accept') {
  const ev = await evaluate({ root });
  // What the CLI does with a report: JSON and Markdown.
  const json = JSON.stringify(ev.report);
  const md = renderMarkdown(ev.report);
  extra = {
    status: ev.report.status,
    timings: ev.timings,
    files: ev.files.length,
    report_bytes: json.length,
    markdown_bytes: md.length,
    models_affected: ev.report.summary.models_affected,
    workflows_affected: ev.report.summary.workflows_affected,
  };
  if (what === 'accept') {
    const t1 = performance.now();
    const w = await acceptEvaluation(ev, '2026-11-27T00:00:00.000Z');
    extra.accept_write_ms = performance.now() - t1;
    extra.written = w?.files ?? [];
  }
  ev.close();
} else if (what === 'site') {
  // Builds the site into `list` (the output folder) and reports its size: pages, largest page and script gzipped.
  const r = await buildSite({ evaluation: await evaluate({ root }), out: list!, base: '/bench/' });
  const buildMs = performance.now() - t0;
  let total = 0,
    pages = 0,
    largestHtml = 0,
    largestHtmlFile = '',
    largestJs = 0;
  // Script per page: the modules a page names, plus every module they import, statically or on demand.
  const scriptSets = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        total += statSync(p).size;
        if (e.name.endsWith('.html')) {
          pages++;
          const html = readFileSync(p);
          const gz = gzipSync(html).length;
          if (gz > largestHtml) [largestHtml, largestHtmlFile] = [gz, path.relative(list!, p)];
          const srcs = [...html.toString('utf8').matchAll(/<script[^>]*\ssrc="[^"]*\/_astro\/([^"/]+\.js)"/g)].map((m) => m[1]!).sort();
          if (srcs.length) scriptSets.add(srcs.join(' '));
        }
      }
    }
  };
  walk(list!);
  const astro = path.join(list!, '_astro');
  for (const set of scriptSets) {
    const seen = new Set<string>();
    const queue = set.split(' ');
    for (const f of queue) {
      if (seen.has(f)) continue;
      seen.add(f);
      const code = readFileSync(path.join(astro, f), 'utf8');
      for (const m of code.matchAll(/["'`]\.?\/?(?:_astro\/)?([\w.-]+\.js)["'`]/g))
        if (existsSync(path.join(astro, m[1]!))) queue.push(m[1]!);
    }
    largestJs = Math.max(
      largestJs,
      [...seen].reduce((sum, f) => sum + gzipSync(readFileSync(path.join(astro, f))).length, 0),
    );
  }
  extra = {
    build_ms: buildMs,
    status: r.status,
    pages,
    total_mb: total / 2 ** 20,
    largest_html_gz_kb: largestHtml / 1024,
    largest_html: largestHtmlFile,
    largest_js_gz_kb: largestJs / 1024,
  };
} else if (what === 'floor') {
  // The unavoidable part: list, read and parse the same files with the same parsers, and nothing else.
  const files = JSON.parse(readFileSync(list!, 'utf8')) as string[];
  const repo = openRepo(await findRepoRoot(path.resolve(root)));
  const rootRel = path.relative(repo.root, path.resolve(root));
  for (const kind of ['datasets', 'models', 'workflows']) await repo.list(`${rootRel}/${kind}`);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      const isLock = f === `${rootRel}/associations.lock.yaml`;
      const r = await repo.read(f, isLock ? { maxBytes: MAX_LOCK_BYTES } : {});
      if (!r.ok) throw new Error(r.detail);
      // The same parser check uses for each file: the lock codec, the hardened document reader, the metric reader.
      if (isLock) parseLock(r.text, f);
      else if (!f.startsWith(`${rootRel}/`)) parseMetrics(r.text, f);
      else parseDocument(r.text, f, extensionFormat(f) === 'json' ? 'json' : 'yaml');
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  extra = { files: files.length };
}
process.stdout.write(
  `${JSON.stringify({ what, ms: performance.now() - t0, max_rss_mb: process.resourceUsage().maxRSS / 1024, ...extra })}\n`,
);
