// `lineage-gate site`: evaluates, prepares the data the site shows, and builds the Astro project in site/ into a
// static folder for GitHub Pages.
import { mkdtemp, mkdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { edges as edgeRows } from './adapters/graph-db.ts';
import { HISTORY_DIR, type HistoryRecord } from './core/lock.ts';
import { schemaProblems } from './core/schema.ts';
import { buildSiteData } from './core/site-data.ts';
import { evaluate } from './evaluate.ts';

export interface SiteOptions { root: string; out: string; base: string; all?: boolean; log?: (line: string) => void }
export interface SiteResult { status: string; pages: number; warnings: string[] }

const SITE_DIR = fileURLToPath(new URL('../site/', import.meta.url));

export async function buildSite(opts: SiteOptions): Promise<SiteResult> {
  const log = opts.log ?? (() => {});
  const warnings: string[] = [];
  const ev = await evaluate({ root: opts.root, all: opts.all });
  const data = await mkdtemp(path.join(tmpdir(), 'lineage-site-'));
  try {
    if (!ev.manifests || !ev.db) throw new Error('the input is invalid; run `lineage-gate check` to see the errors');
    // History records are repository files like any other: each is checked against its schema; a bad one is skipped.
    const history: HistoryRecord[] = [];
    const under = (p: string) => (ev.rootRel ? `${ev.rootRel}/${p}` : p);
    for (const file of await ev.repo.list(under(HISTORY_DIR))) {
      if (!file.endsWith('.json')) continue;
      const r = await ev.repo.read(file);
      let value: unknown = null;
      try {
        value = r.ok ? JSON.parse(r.text) : null;
      } catch {
        value = null;
      }
      if (value !== null && schemaProblems('history', value, file).length === 0) history.push(value as HistoryRecord);
      else warnings.push(`${file}: not a lineage-gate history record; left out of the site`);
    }
    const site = buildSiteData({ report: ev.report, manifests: ev.manifests, lock: ev.lock, history, edges: await edgeRows(ev.db) });
    ev.db.close();
    log(`site: writing ${site.files.size} data files`);
    const dirs = new Set([...site.files.keys()].map((f) => path.dirname(path.join(data, f))));
    for (const d of dirs) await mkdir(d, { recursive: true });
    for (const [file, value] of site.files) await writeFile(path.join(data, file), JSON.stringify(value));
    await writeFile(path.join(data, 'config.json'), JSON.stringify({ base: opts.base }));

    const out = path.resolve(opts.out);
    await rm(out, { recursive: true, force: true });
    process.env.LINEAGE_SITE_DATA = data;
    const { build } = await import('astro');
    log('site: building pages');
    await build({ root: SITE_DIR, outDir: out, base: opts.base, logLevel: 'warn', cacheDir: path.join(data, '.astro-cache') });
    // The browser fetches neighbourhoods and search shards on demand: they are served beside the pages.
    await mkdir(path.join(out, 'data'), { recursive: true });
    await cp(path.join(data, 'graph'), path.join(out, 'data', 'graph'), { recursive: true });
    await cp(path.join(data, 'search'), path.join(out, 'data', 'search'), { recursive: true }).catch(() => undefined);
    // GitHub Pages runs Jekyll unless told not to; Jekyll would drop folders starting with "_" (Astro's _astro/).
    await writeFile(path.join(out, '.nojekyll'), '');
    const ids = JSON.parse(await readFile(path.join(data, 'ids.json'), 'utf8')) as { datasets: string[]; models: string[]; workflows: string[]; evaluations: number[] };
    return { status: ev.report.status, pages: ids.datasets.length + ids.models.length + ids.workflows.length + ids.evaluations.length + 4, warnings };
  } finally {
    ev.db?.close();
    await rm(data, { recursive: true, force: true });
  }
}
