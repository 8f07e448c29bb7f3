// Build-time access to the data folder that `lineage-gate site` prepared (LINEAGE_SITE_DATA), typed by the site's
// data contract (src/core/site/site-contract.ts), and URL helpers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  CatalogueKind,
  CataloguePage,
  DatasetPage,
  EvaluationFile,
  IdsFile,
  ModelPage,
  OverviewFile,
  SiteConfig,
  WorkflowPage,
} from '../../../src/core/site/site-contract.ts';

const dir = process.env.LINEAGE_SITE_DATA;

function read<T>(rel: string): T {
  if (!dir) throw new Error('LINEAGE_SITE_DATA is not set: build the site with `lineage-gate site --out DIR`');
  return JSON.parse(readFileSync(path.join(dir, rel), 'utf8')) as T;
}

const cache = new Map<string, unknown>();
function once<T>(rel: string): T {
  if (!cache.has(rel)) cache.set(rel, read<T>(rel));
  return cache.get(rel) as T;
}

export const config = (): SiteConfig => once<SiteConfig>('config.json');
export const ids = (): IdsFile => once<IdsFile>('ids.json');
export const overview = (): OverviewFile => once<OverviewFile>('overview.json');
export const dataset = (id: string): DatasetPage => read<DatasetPage>(`entities/datasets/${id}.json`);
export const model = (id: string): ModelPage => read<ModelPage>(`entities/models/${id}.json`);
export const workflow = (id: string): WorkflowPage => read<WorkflowPage>(`entities/workflows/${id}.json`);
export const evaluation = (seq: number | 'pending'): EvaluationFile => read<EvaluationFile>(`evaluations/${seq}.json`);
export const cataloguePage = <K extends CatalogueKind>(kind: K, page: number): CataloguePage<K> =>
  read<CataloguePage<K>>(`catalogue/${kind}/${page}.json`);

/**
 * A link inside the site, under the base path it is served from. The base comes from the data folder, not from
 * import.meta.env.BASE_URL, which some environments (vitest's variables, for one) leave at "/".
 */
export function href(rel: string): string {
  return `${config().base}${rel.replace(/^\//, '')}`;
}

export const pageOf = (kind: string, id: string): string =>
  kind === 'node' ? href(`workflows/${encodeURIComponent(id.split('/')[0]!)}/`) : href(`${kind}s/${encodeURIComponent(id)}/`);

/**
 * A repository file at the evaluated commit on the repository's web host, or null without a repository address or
 * commit. Each path segment is encoded, so a file name cannot change the link's meaning.
 */
export function sourceUrl(file: string | null | undefined): string | null {
  const c = config();
  if (!file || !c.repo_url || !c.commit) return null;
  return `${c.repo_url}/blob/${c.commit.sha}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

/** Numbers as people read them: at most 4 decimals. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const r = Number(x.toFixed(4));
  return Object.is(r, -0) ? '0' : String(r);
}

export function shortDate(iso: string): string {
  return iso.slice(0, 10);
}
