// The site's search index: an inverted index of word tokens sharded by their first two characters, and the lines a
// result shows (kind, status, version, a line of description) in files of consecutive keys. A query fetches the
// shards of its tokens and then only the result lines it shows. Pure: the build writes, the browser reads.
import { cmp } from '../order.ts';

/** Which field a token came from; a result ranks by the best field each query token matched. */
export const FIELD = {
  id: 1,
  node: 2,
  version: 4,
  metric: 8,
  metaKey: 16,
  metaValue: 32,
  description: 64,
} as const;
export type Field = keyof typeof FIELD;

export interface SearchEntry {
  /** `dataset:id`, `model:id`, `workflow:id` or `node:workflow/node`. */
  key: string;
  /** pass, fail, unchanged, stale or changed. */
  status: string;
  version: string;
  /** One line of the description, plain text. */
  line: string;
  fields: Partial<Record<Field, string>>;
}

/** A shard: the keys it mentions, and per token a flat list of (index into `k`, field bits) pairs. */
export interface SearchShard {
  k: string[];
  t: Record<string, number[]>;
}
/** A file of result lines: [key, status, version, line], for keys from its first on (see SearchDocsIndex). */
export type SearchDoc = [key: string, status: string, version: string, line: string];
/** The first key of each file of result lines, in order: docs/<i>.json holds keys from first[i] up to first[i+1]. */
export interface SearchDocsIndex {
  first: string[];
  total: number;
}

/** Result lines per file. */
export const DOCS_PER_FILE = 128;
/** Characters of description a result shows. */
export const LINE_LENGTH = 140;

export function buildSearchIndex(entries: readonly SearchEntry[]): Map<string, unknown> {
  const files = new Map<string, unknown>();
  const shards = new Map<string, Map<string, Map<string, number>>>();
  for (const e of entries) {
    for (const [field, text] of Object.entries(e.fields) as [Field, string][]) {
      for (const token of tokens(text)) {
        const shard = shardOf(token);
        let map = shards.get(shard);
        if (!map) {
          map = new Map();
          shards.set(shard, map);
        }
        let hits = map.get(token);
        if (!hits) {
          hits = new Map();
          map.set(token, hits);
        }
        hits.set(e.key, (hits.get(e.key) ?? 0) | FIELD[field]);
      }
    }
  }
  for (const [shard, map] of shards) {
    const keys = [...new Set([...map.values()].flatMap((h) => [...h.keys()]))].sort(cmp);
    const at = new Map(keys.map((k, i) => [k, i]));
    const t: Record<string, number[]> = {};
    for (const [token, hits] of [...map].sort(([a], [b]) => cmp(a, b)))
      t[token] = [...hits].sort(([a], [b]) => cmp(a, b)).flatMap(([k, bits]) => [at.get(k)!, bits]);
    files.set(`search/${shard}.json`, { k: keys, t } satisfies SearchShard);
  }
  const sorted = [...entries].sort((a, b) => cmp(a.key, b.key));
  const first: string[] = [];
  for (let i = 0; i < sorted.length; i += DOCS_PER_FILE) {
    const part = sorted.slice(i, i + DOCS_PER_FILE);
    first.push(part[0]!.key);
    files.set(
      `search/docs/${first.length - 1}.json`,
      part.map((e) => [e.key, e.status, e.version, oneLine(e.line)] satisfies SearchDoc),
    );
  }
  files.set('search/docs.json', { first, total: sorted.length } satisfies SearchDocsIndex);
  return files;
}

/** Lower-case word tokens of 2 to 40 characters; ids also contribute their parts split at _ . - / */
export function tokens(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}_./-]+/u)) {
    const word = raw.replace(/^[._/-]+|[._/-]+$/g, '');
    if (word.length >= 2 && word.length <= 40) out.add(word);
    for (const part of word.split(/[_./-]+/)) if (part.length >= 2 && part.length <= 40) out.add(part);
  }
  return [...out];
}

/** Shard names are safe file names: two characters, anything outside [a-z0-9] as "_". */
export function shardOf(token: string): string {
  return token
    .slice(0, 2)
    .replace(/[^a-z0-9]/g, '_')
    .padEnd(2, '_');
}

/** The first line of a Markdown description as plain text, cut to LINE_LENGTH characters. */
export function oneLine(markdown: string): string {
  const text = markdown
    .split(/\n\s*\n/)[0]!
    .replace(/[`*_#>[\]]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > LINE_LENGTH ? `${text.slice(0, LINE_LENGTH - 1)}…` : text;
}

/** Which file of result lines holds a key: the last whose first key is not after it. */
export function docFileOf(first: readonly string[], key: string): number {
  let lo = 0;
  let hi = first.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (first[mid]! <= key) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Ranking weight of the best field in a set of field bits: an id beats a node id beats a version ... */
export function fieldWeight(bits: number): number {
  if (bits & FIELD.id) return 64;
  if (bits & FIELD.node) return 32;
  if (bits & FIELD.version) return 16;
  if (bits & FIELD.metric) return 12;
  if (bits & FIELD.metaKey) return 8;
  if (bits & FIELD.metaValue) return 6;
  return bits & FIELD.description ? 4 : 0;
}
