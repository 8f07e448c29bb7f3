// Catalogue pages: with JavaScript, the whole list (one file per kind) sorted by any column and filtered by status,
// tag and text, shown PAGE rows at a time. Without it the page's own rows and its pager stand.
import type { CatalogueKind, CatalogueRows } from '../../../src/core/site/site-contract.ts';

const PAGE = 200;
type Row = CatalogueRows[CatalogueKind] & Record<string, unknown>;
const root = document.getElementById('catalogue')!;
const kind = root.dataset.kind as CatalogueKind;
const base = root.dataset.base ?? '/';
const single = kind.slice(0, -1);
const tools = document.getElementById('catalogue-tools') as HTMLFormElement;
const text = document.getElementById('cat-text') as HTMLInputElement;
const statusSel = document.getElementById('cat-status') as HTMLSelectElement;
const tagSel = document.getElementById('cat-tag') as HTMLSelectElement | null;
const tbody = document.getElementById('cat-rows')!;
const line = document.getElementById('cat-status-line')!;
const more = document.getElementById('cat-more') as HTMLButtonElement;
const pager = document.getElementById('cat-pager');
const headers = [...document.querySelectorAll<HTMLTableCellElement>('th[data-sort]')];
const numeric = new Set(headers.filter((h) => h.classList.contains('num')).map((h) => h.dataset.sort!));
let all: Row[] | null = null;
let sort: { key: string; dir: 1 | -1 } | null = null;
let list: Row[] = [];
let shown = 0;

const SYMBOL: Record<string, string> = { pass: '✓', fail: '✗', unchanged: '·', changed: 'Δ', stale: '!' };
function badge(s: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = `status ${s}`;
  const sym = document.createElement('span');
  sym.setAttribute('aria-hidden', 'true');
  sym.textContent = SYMBOL[s] ?? '·';
  span.append(sym, s);
  return span;
}
const fmt = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? String(Number(x.toFixed(4))) : '—');

function rowOf(r: Row): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const h of headers) {
    const key = h.dataset.sort!;
    const td = document.createElement('td');
    const v = r[key];
    if (key === 'id') {
      const a = document.createElement('a');
      a.className = 'id';
      a.href = `${base}${kind}/${encodeURIComponent(String(v))}/`;
      a.textContent = String(v);
      td.append(a);
    } else if (key === 'status') {
      td.append(badge(String(v)));
      if (r.stale === true) td.append(badge('stale'));
    } else if (key === 'changed') {
      if (v) td.append(badge('changed'));
    } else if (key === 'tags') td.textContent = (v as string[]).join(', ');
    else if (key === 'line') {
      td.className = 'line';
      td.textContent = String(v);
    } else if (numeric.has(key)) {
      td.className = 'num';
      td.textContent = fmt(v);
    } else {
      td.className = 'mono';
      td.textContent = v === null ? '—' : String(v);
    }
    tr.append(td);
  }
  return tr;
}

const statusOf = (r: Row) => (kind === 'datasets' ? (r.changed ? 'changed' : 'unchanged') : r.stale ? 'stale' : String(r.status));

async function apply(): Promise<void> {
  if (!all) {
    line.textContent = 'Loading the whole list…';
    const res = await fetch(`${base}data/catalogue/${kind}.json`);
    all = res.ok ? ((await res.json()) as Row[]) : [];
  }
  const q = text.value.trim().toLowerCase();
  const st = statusSel.value;
  const tag = tagSel?.value ?? '';
  list = all.filter(
    (r) =>
      (!q || `${r.id} ${r.line}`.toLowerCase().includes(q)) &&
      (!st || statusOf(r) === st || (st === 'fail' && r.status === 'fail')) &&
      (!tag || ((r.tags as string[] | undefined) ?? []).includes(tag)),
  );
  if (sort) {
    const { key, dir } = sort;
    list.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      const c =
        typeof x === 'number' || typeof y === 'number'
          ? (Number(x ?? Number.NEGATIVE_INFINITY) || 0) - (Number(y ?? Number.NEGATIVE_INFINITY) || 0)
          : String(x ?? '').localeCompare(String(y ?? ''), 'en', { numeric: true });
      return c * dir || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
  }
  tbody.replaceChildren();
  shown = 0;
  if (pager) pager.hidden = true;
  show();
}

function show(): void {
  const page = list.slice(shown, shown + PAGE);
  tbody.append(...page.map(rowOf));
  shown += page.length;
  line.textContent = `${list.length.toLocaleString('en')} of ${all!.length.toLocaleString('en')} ${list.length === 1 ? single : kind}${shown < list.length ? `; showing ${shown.toLocaleString('en')}` : ''}.`;
  more.hidden = shown >= list.length;
}

tools.hidden = false;
for (const h of headers) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'sort';
  b.textContent = h.textContent;
  h.replaceChildren(b);
  h.setAttribute('aria-sort', 'none');
  b.addEventListener('click', () => {
    const key = h.dataset.sort!;
    sort = { key, dir: sort?.key === key && sort.dir === 1 ? -1 : 1 };
    for (const o of headers) o.setAttribute('aria-sort', o === h ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none');
    void apply();
  });
}
for (const el of [text, statusSel, tagSel]) el?.addEventListener('input', () => void apply());
tools.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void apply();
});
more.addEventListener('click', show);
