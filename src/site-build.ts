// `lineage-gate site`: evaluates, prepares the data the site shows, and builds the Astro project in site/ into a
// static folder for GitHub Pages.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { headCommit } from './adapters/git.ts';
import { accept } from './core/lock/accept.ts';
import type { SiteConfig } from './core/site/site-contract.ts';
import { buildSiteData } from './core/site/site-data.ts';
import type { Evaluation } from './evaluate.ts';
import { readHistory } from './history-files.ts';
import { readModelMetrics } from './metric-files.ts';
import { MIN_NODE_SITE, nodeTooOld } from './node-version.ts';

export interface SiteOptions {
  /** The evaluation to publish. Its database is closed once the graph is read: Astro needs the memory more. */
  evaluation: Evaluation;
  out: string;
  base: string;
  /** The repository's web address, for links to manifests and metric files at the evaluated commit. */
  repoUrl?: string | null;
  /** The evaluated commit; read from git when not given. */
  commit?: { sha: string; date: string } | null;
  log?: (line: string) => void;
}
export interface SiteResult {
  status: string;
  pages: number;
  warnings: string[];
}

const SITE_DIR = fileURLToPath(new URL('../site/', import.meta.url));
/** Resolves packages as the site's own files do (Astro and Vite resolve from site/), wherever the site is installed. */
const fromSite = createRequire(path.join(SITE_DIR, 'package.json'));

/**
 * Why the site cannot be built here, or null. Astro and the site's other packages are not dependencies of the
 * command (a check does not need a site generator): they are site/package.json's, installed beside lineage-gate.
 */
export function siteUnavailable(): string | null {
  if (nodeTooOld(process.versions.node, MIN_NODE_SITE))
    return `the site is built by Astro, which needs Node.js ${MIN_NODE_SITE.join('.')} or later; this is ${process.version}`;
  const wanted = (JSON.parse(readFileSync(path.join(SITE_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies;
  const missing = Object.entries(wanted).filter(([name]) => !resolves(name));
  if (missing.length === 0) return null;
  return (
    `the site needs ${missing.map(([name]) => name).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed\n` +
    `  install ${missing.length === 1 ? 'it' : 'them'} beside lineage-gate: npm install --save-dev ${missing.map(([name, range]) => `${name}@${range}`).join(' ')}`
  );
}

/** The node_modules folder the site's Astro is installed in (the clone's, or the one lineage-gate was installed into). */
function siteDependencies(): string {
  let dir = path.dirname(fromSite.resolve('astro'));
  while (path.basename(dir) !== 'node_modules' && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function resolves(name: string): boolean {
  try {
    fromSite.resolve(name);
    return true;
  } catch (e) {
    // Installed, but its "exports" offer nothing to require(): still there for Vite.
    return (e as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

export async function buildSite(opts: SiteOptions): Promise<SiteResult> {
  const unavailable = siteUnavailable();
  if (unavailable) throw new Error(unavailable);
  const started = performance.now();
  const say = opts.log ?? (() => {});
  const log = (line: string) => say(`${line} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  const warnings: string[] = [];
  const ev = opts.evaluation;
  const data = await mkdtemp(path.join(tmpdir(), 'lineage-site-'));
  try {
    if (!ev.manifests || !ev.graph) throw new Error('the input is invalid; run `lineage-gate check` to see the errors');
    // History records are repository files like any other: each is checked against its schema; a bad one is skipped.
    const { records: history, warnings: skipped } = await readHistory(ev);
    warnings.push(...skipped);
    const commit = opts.commit === undefined ? await headCommit(ev.repo.root) : opts.commit;
    const metrics = await readAllMetrics(ev);
    // What `accept` would record now: the pending evaluation's page. Its time is the commit's, so pages are the
    // same bytes for the same commit.
    const pending = accept(ev.lock, ev.manifests, ev.report, ev.values, commit?.date ?? new Date(0).toISOString())?.history ?? null;
    const site = buildSiteData({
      report: ev.report,
      manifests: ev.manifests,
      lock: ev.lock,
      history,
      edges: await ev.graph.edges(),
      metrics,
      pending,
      pendingAt: commit?.date,
    });
    // DuckDB's memory is not needed while Astro renders (the heaviest part at scale): release it now.
    ev.close();
    // Pages read entity files at build time; the browser fetches graph and search files, which go straight into the
    // output after Astro has built it (Astro empties its output folder first). Written synchronously: for tens of
    // thousands of small files that is several times faster than one awaited write after another.
    const forBrowser = (file: string) =>
      file.startsWith('graph/') || file.startsWith('search/') || file.startsWith('diff/') || /^catalogue\/[a-z]+\.json$/.test(file);
    const writeAll = (dir: string, pick: (file: string) => boolean) => {
      const made = new Set<string>();
      for (const [file, value] of site.files) {
        if (!pick(file)) continue;
        const target = path.join(dir, file);
        const folder = path.dirname(target);
        if (!made.has(folder)) {
          mkdirSync(folder, { recursive: true });
          made.add(folder);
        }
        writeFileSync(target, JSON.stringify(value));
      }
    };
    log(`site: writing ${site.files.size} data files`);
    writeAll(data, (f) => !forBrowser(f));
    const config: SiteConfig = { base: opts.base, repo_url: opts.repoUrl ?? null, commit };
    writeFileSync(path.join(data, 'config.json'), JSON.stringify(config));

    const out = path.resolve(opts.out);
    process.env.LINEAGE_SITE_DATA = data;
    // The Astro that site/ resolves, so the pages are built by the one the site's own imports see.
    const { build } = (await import(pathToFileURL(fromSite.resolve('astro')).href)) as typeof import('astro');
    log('site: building pages');
    // Astro writes its prerender bundle beside the output when the output is inside the working directory (compared
    // as strings, so /repo-site counts as inside /repo) and into <cwd>/.astro otherwise, and imports it from there;
    // the bundle's own imports resolve from where it lies. So the build runs in a folder of its own, with the site's
    // dependencies linked in, and writes inside it; the finished site is then moved to --out, on any filesystem.
    // Two builds at once (tests, a matrix job) share nothing.
    const work = path.join(data, 'build');
    mkdirSync(work);
    symlinkSync(siteDependencies(), path.join(work, 'node_modules'), 'dir');
    const built = path.join(work, 'site');
    const cwd = process.cwd();
    process.chdir(work);
    try {
      await build({
        root: SITE_DIR,
        outDir: built,
        base: opts.base,
        logLevel: 'warn',
        cacheDir: path.join(data, '.astro-cache'),
        vite: { cacheDir: path.join(data, '.vite-cache') },
      });
    } finally {
      process.chdir(cwd);
    }
    await rm(out, { recursive: true, force: true });
    await mkdir(path.dirname(out), { recursive: true });
    try {
      await rename(built, out);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      // Another filesystem: copy; the temporary folder goes with the rest.
      await cp(built, out, { recursive: true });
    }
    log('site: writing graph and search files');
    // The browser fetches neighbourhoods and search shards on demand: they are served beside the pages.
    writeAll(path.join(out, 'data'), forBrowser);
    // GitHub Pages runs Jekyll unless told not to; Jekyll would drop folders starting with "_" (Astro's _astro/).
    await writeFile(path.join(out, '.nojekyll'), '');
    const ids = JSON.parse(await readFile(path.join(data, 'ids.json'), 'utf8')) as {
      datasets: string[];
      models: string[];
      workflows: string[];
      evaluations: number[];
    };
    return {
      status: ev.report.status,
      pages: ids.datasets.length + ids.models.length + ids.workflows.length + ids.evaluations.length + 4,
      warnings,
    };
  } finally {
    ev.close();
    await rm(data, { recursive: true, force: true });
  }
}

/**
 * The metric files this evaluation read (those of the models it judged, or whose scores its workflows used), each in
 * full, for the model pages' table of all metrics. Parsing a metric file costs milliseconds, so reading every
 * model's would cost the build a minute at 30,000 models; the cost follows the change instead, like the evaluation's.
 */
async function readAllMetrics(ev: Evaluation): Promise<Map<string, Record<string, number | null>>> {
  const out = new Map<string, Record<string, number | null>>();
  const models = (ev.manifests?.models ?? []).filter((x) => x.metrics !== undefined && ev.values.has(x.id));
  let next = 0;
  const worker = async () => {
    while (next < models.length) {
      const x = models[next++]!;
      const r = await readModelMetrics(ev.repo, x.metrics!, { file: x.file, line: undefined });
      if (r.state !== 'ok') continue;
      const values: Record<string, number | null> = {};
      for (const [name, v] of r.metrics) values[name] = v.value;
      out.set(x.id, values);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return out;
}
