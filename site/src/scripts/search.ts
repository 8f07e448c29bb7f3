// Search: tokenises the query as the index builder did, fetches the shards of its tokens, keeps the entries that
// match every token (a token matches the index words it starts), ranks them (the exact id first, then ids that start
// with the query, then by the best field each token matched) and fetches the lines of the results it shows.
import {
  docFileOf,
  fieldWeight,
  type SearchDoc,
  type SearchDocsIndex,
  type SearchShard,
  shardOf,
  tokens,
} from '../../../src/core/site/search-index.ts';

const PAGE = 50;
const KINDS = ['dataset', 'model', 'workflow', 'node'] as const;
const KIND_LABEL: Record<string, string> = { dataset: 'dataset', model: 'model', workflow: 'workflow', node: 'workflow node' };

const form = document.getElementById('search-form') as HTMLFormElement;
const base = form.dataset.base ?? '/';
const input = document.getElementById('q') as HTMLInputElement;
const status = document.getElementById('search-status')!;
const results = document.getElementById('results')!;
const more = document.getElementById('more') as HTMLButtonElement;
const kindBox = document.getElementById('search-kinds') as HTMLFieldSetElement;
const json = new Map<string, Promise<unknown>>();

function get<T>(rel: string, fallback: T): Promise<T> {
  let p = json.get(rel);
  if (!p) {
    p = fetch(`${base}data/${rel}`).then((r) => (r.ok ? r.json() : fallback));
    json.set(rel, p);
  }
  return p as Promise<T>;
}

interface Hit {
  key: string;
  score: number;
}
let ranked: Hit[] = [];
let shown = 0;
let query = '';

async function run(q: string): Promise<void> {
  query = q;
  const ts = tokens(q);
  results.replaceChildren();
  ranked = [];
  shown = 0;
  more.hidden = true;
  if (ts.length === 0) {
    status.textContent = 'Type at least two letters or digits.';
    kindBox.hidden = true;
    return;
  }
  status.textContent = 'Searching…';
  let hits: Map<string, number> | null = null;
  for (const t of ts) {
    const shard = await get<SearchShard>(`search/${shardOf(t)}.json`, { k: [], t: {} });
    const found = new Map<string, number>();
    for (const [word, pairs] of Object.entries(shard.t)) {
      if (!word.startsWith(t)) continue;
      const exact = word === t ? 1 : 0;
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const key = shard.k[pairs[i]!]!;
        found.set(key, Math.max(found.get(key) ?? 0, fieldWeight(pairs[i + 1]!) + exact));
      }
    }
    const before: Map<string, number> | null = hits;
    hits = new Map<string, number>();
    for (const [k, score] of before ?? found) if (found.has(k)) hits.set(k, before ? score + found.get(k)! : score);
  }
  if (query !== q) return;
  const whole = q.trim().toLowerCase();
  ranked = [...hits!].map(([key, score]) => {
    const id = key.slice(key.indexOf(':') + 1).toLowerCase();
    return { key, score: score + (id === whole ? 10_000 : id.startsWith(whole) ? 1_000 : 0) };
  });
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      KINDS.indexOf(kindOf(a.key) as (typeof KINDS)[number]) - KINDS.indexOf(kindOf(b.key) as (typeof KINDS)[number]) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  for (const span of kindBox.querySelectorAll<HTMLElement>('[data-count]')) {
    const k = span.dataset.count;
    span.textContent = `(${(k ? ranked.filter((h) => kindOf(h.key) === k) : ranked).length.toLocaleString('en')})`;
  }
  kindBox.hidden = false;
  await showMore();
  const url = new URL(location.href);
  url.searchParams.set('q', q);
  history.replaceState(null, '', url);
}

const kindOf = (key: string) => key.slice(0, key.indexOf(':'));
const selectedKind = () => (kindBox.querySelector<HTMLInputElement>('input[name=kind]:checked')?.value ?? '') as string;
const filtered = () => {
  const k = selectedKind();
  return k ? ranked.filter((h) => kindOf(h.key) === k) : ranked;
};

async function showMore(): Promise<void> {
  const list = filtered();
  const page = list.slice(shown, shown + PAGE);
  const docs = await get<SearchDocsIndex>('search/docs.json', { first: [], total: 0 });
  const lines = new Map<string, SearchDoc>();
  await Promise.all(
    [...new Set(page.map((h) => docFileOf(docs.first, h.key)))].map(async (n) => {
      for (const d of await get<SearchDoc[]>(`search/docs/${n}.json`, [])) lines.set(d[0], d);
    }),
  );
  for (const h of page) results.append(item(h.key, lines.get(h.key)));
  shown += page.length;
  const kind = selectedKind();
  status.textContent = `${list.length.toLocaleString('en')} result${list.length === 1 ? '' : 's'}${kind ? ` among ${KIND_LABEL[kind]}s` : ''} for “${query}”${list.length > shown ? `; showing the first ${shown.toLocaleString('en')}` : ''}.`;
  more.hidden = shown >= list.length;
}

function item(key: string, doc: SearchDoc | undefined): HTMLLIElement {
  const kind = kindOf(key);
  const id = key.slice(kind.length + 1);
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href =
    kind === 'node'
      ? `${base}workflows/${encodeURIComponent(id.split('/')[0]!)}/#node-${encodeURIComponent(id.split('/')[1] ?? '')}`
      : `${base}${kind}s/${encodeURIComponent(id)}/`;
  a.textContent = id;
  const head = document.createElement('div');
  const k = document.createElement('span');
  k.className = 'kind';
  k.textContent = KIND_LABEL[kind] ?? kind;
  head.append(k, ' ', a);
  if (doc) {
    const v = document.createElement('span');
    v.className = 'mono';
    v.textContent = ` ${doc[2]} `;
    head.append(v, badge(doc[1]));
  }
  li.append(head);
  if (doc?.[3]) {
    const p = document.createElement('div');
    p.className = 'muted';
    p.textContent = doc[3];
    li.append(p);
  }
  return li;
}

const SYMBOL: Record<string, string> = { pass: '✓', fail: '✗', stale: '✗', changed: 'Δ', unchanged: '·' };
function badge(s: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = `status ${s === 'stale' ? 'fail' : s}`;
  const sym = document.createElement('span');
  sym.setAttribute('aria-hidden', 'true');
  sym.textContent = SYMBOL[s] ?? '·';
  span.append(sym, s === 'stale' ? 'fail (stale)' : s);
  return span;
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void run(input.value);
});
more.addEventListener('click', () => void showMore());
kindBox.addEventListener('change', () => {
  results.replaceChildren();
  shown = 0;
  void showMore();
});
const initial = new URL(location.href).searchParams.get('q');
if (initial) {
  input.value = initial;
  void run(initial);
}
