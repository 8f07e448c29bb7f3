// One measured run in a fresh process, so peak memory is this run's alone. Prints one JSON line.
//   node bench/measure.ts check ROOT [CACHE] | accept ROOT [CACHE] | site ROOT OUT
//   node bench/measure.ts start | read FILELIST.json | json FILELIST.json     (the physical floors)
// Each mode imports only what it needs, so the process's wall time, as the parent measures it, is that mode's alone.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const [what, root, list] = process.argv.slice(2) as [string, string, string | undefined];
const t0 = performance.now();
let extra: Record<string, unknown> = {};
if (what === 'check' || what === 'accept') {
  const { evaluate } = await import('../src/evaluate.ts');
  const { renderMarkdown } = await import('../src/core/render/report-markdown.ts');
  // `list` is the parse cache's folder, or nothing for a run without one (cold).
  const ev = await evaluate({ root, cache: list ?? false });
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
    const { acceptEvaluation } = await import('../src/acceptance.ts');
    const t1 = performance.now();
    const w = await acceptEvaluation(ev, '2026-11-27T00:00:00.000Z');
    extra.accept_write_ms = performance.now() - t1;
    extra.written = w?.files ?? [];
  }
  ev.close();
} else if (what === 'site') {
  // Builds the site into `list` (the output folder) and reports its size: pages, largest page and script gzipped.
  const { evaluate } = await import('../src/evaluate.ts');
  const { buildSite } = await import('../src/site-build.ts');
  const r = await buildSite({ evaluation: await evaluate({ root, cache: false }), out: list!, base: '/bench/' });
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
} else if (what === 'start') {
  // Node's start and the modules `check` loads, and nothing else.
  await import('../src/evaluate.ts');
  await import('../src/core/render/report-markdown.ts');
} else if (what === 'read' || what === 'json') {
  // The physical floors: list the manifest folders and read every file check read (`read`), or read and JSON.parse
  // the same data written as JSON (`json`). FILELIST is {repo, files, jsonDir} as bench/run.ts writes it.
  const { repo, files, jsonDir, folders } = JSON.parse(readFileSync(root, 'utf8')) as {
    repo: string;
    files: string[];
    jsonDir: string;
    folders: string[];
  };
  let bytes = 0;
  if (what === 'read') {
    for (const f of folders) readdirSync(path.join(repo, f), { recursive: true });
    for (const f of files) bytes += readFileSync(path.join(repo, f)).length;
  } else {
    for (const f of files) {
      const text = readFileSync(path.join(jsonDir, `${f}.json`), 'utf8');
      bytes += text.length;
      JSON.parse(text);
    }
  }
  extra = { files: files.length, bytes };
}
process.stdout.write(
  `${JSON.stringify({ what, ms: performance.now() - t0, max_rss_mb: process.resourceUsage().maxRSS / 1024, ...extra })}\n`,
);
