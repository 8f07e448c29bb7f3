// Build-time access to the data folder that `lineage-gate site` prepared (LINEAGE_SITE_DATA), and URL helpers.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.LINEAGE_SITE_DATA;

export function read<T = any>(rel: string): T {
  if (!dir) throw new Error('LINEAGE_SITE_DATA is not set: build the site with `lineage-gate site --out DIR`');
  return JSON.parse(readFileSync(path.join(dir, rel), 'utf8')) as T;
}

let base: string | null = null;

/**
 * A link inside the site, under the base path it is served from. The base comes from the data folder, not from
 * import.meta.env.BASE_URL, which some environments (vitest's variables, for one) leave at "/".
 */
export function href(rel: string): string {
  base ??= read<{ base: string }>('config.json').base;
  return `${base}${rel.replace(/^\//, '')}`;
}

export const pageOf = (kind: string, id: string): string =>
  kind === 'node' ? href(`workflows/${encodeURIComponent(id.split('/')[0]!)}/`) : href(`${kind}s/${encodeURIComponent(id)}/`);

/** Numbers as people read them: at most 4 decimals. */
export function fmt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const r = Number(x.toFixed(4));
  return Object.is(r, -0) ? '0' : String(r);
}

export function shortDate(iso: string): string {
  return iso.slice(0, 10);
}
