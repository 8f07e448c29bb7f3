// Graph explorer: fetches packed neighbourhood files (chunks of nodes that lie close in the graph) as the view
// grows, lays the visible nodes out in layers and draws them as SVG; d3-zoom adds pan and zoom once drawn.
// Everything shown on hover is also in the list under the drawing (built when opened), reachable by keyboard.

import {
  type ChunkReader,
  encodeKey,
  type GraphEdge as GEdge,
  type GraphNode as GNode,
  type Neighbourhood as Hood,
  isGraphKey,
  NEIGHBOUR_LIMIT,
  type PackedChunk,
  readChunk,
} from '../../../src/core/site/graph-chunk.ts';
import { layoutLayers } from '../../../src/core/site/graph-layout.ts';

/** Beyond this many nodes the drawing stops growing; the reader is asked to filter first. */
const MAX_DRAWN = 1000;
/** Neighbours added per expansion and direction; the rest stay behind "+N more". */
const STEP = 12;

const root = document.getElementById('explorer')!;
const base = root.dataset.base ?? '/';
const SVG_NS = 'http://www.w3.org/2000/svg';
const svg = document.getElementById('graph-svg') as unknown as SVGSVGElement;
const layer = svg.appendChild(document.createElementNS(SVG_NS, 'g'));
const alt = document.getElementById('graph-alt') as HTMLDetailsElement;
const statusEl = document.getElementById('graph-status')!;
const listEl = document.getElementById('graph-list')!;
const hoods = new Map<string, Hood>();
const visible = new Map<string, GNode>();
const edges = new Map<string, GEdge>();
/** Per node and direction, how many neighbours are shown. */
const shown = new Map<string, { in: number; out: number }>();
let focus = '';
/** What the drawing shows now, for the list when it is opened. */
let shownView: { nodes: GNode[]; es: GEdge[] } = { nodes: [], es: [] };

const locatorOf = (key: string) => `${base}data/graph/k/${encodeKey(key)}.json`;
/** Chunk files by number, each fetched once: the neighbourhoods of nodes that lie close in the graph. */
const chunkFiles = new Map<number, Promise<ChunkReader | null>>();
/** The chunks that have arrived. */
const readers = new Map<number, ChunkReader>();
/** Where each key's neighbourhood is, once known (from a neighbour entry, the URL, or a locator file). */
const chunkOf = new Map<string, number>();
const pageOf = (n: GNode) =>
  n.kind === 'node' ? `${base}workflows/${encodeURIComponent(n.id.split('/')[0]!)}/` : `${base}${n.kind}s/${encodeURIComponent(n.id)}/`;
const kinds = () => new Set([...document.querySelectorAll<HTMLInputElement>('input[name=kind]:checked')].map((i) => i.value));
const highlight = () => (document.getElementById('highlight') as HTMLInputElement).checked;

function loadChunk(n: number): Promise<ChunkReader | null> {
  let p = chunkFiles.get(n);
  if (!p) {
    p = fetch(`${base}data/graph/c${n}.json`).then(async (r) => {
      if (!r.ok) return null;
      const reader = readChunk((await r.json()) as PackedChunk);
      readers.set(n, reader);
      return reader;
    });
    chunkFiles.set(n, p);
  }
  return p;
}

/** Lookups under way, so that a key asked for twice at once is fetched once. */
const finding = new Map<string, Promise<Hood | null>>();

function hood(key: string): Promise<Hood | null> {
  const known = hoods.get(key);
  if (known) return Promise.resolve(known);
  let p = finding.get(key);
  if (!p) {
    p = findHood(key).finally(() => finding.delete(key));
    finding.set(key, p);
  }
  return p;
}

async function findHood(key: string): Promise<Hood | null> {
  // Keys come from URLs and the focus box too: nothing that cannot be a key becomes a request.
  if (!isGraphKey(key)) return null;
  let n = chunkOf.get(key);
  if (n === undefined) {
    const res = await fetch(locatorOf(key));
    if (!res.ok) return null;
    n = ((await res.json()) as { chunk: number }).chunk;
  }
  // Decoded on first use only: a restored view touches a few neighbourhoods of each chunk it fetches.
  const h = (await loadChunk(n))?.hood(key);
  if (!h) return null;
  hoods.set(key, h);
  chunkOf.set(key, h.node.chunk);
  for (const x of h.in) chunkOf.set(x.node.key, x.node.chunk);
  for (const x of h.out) chunkOf.set(x.node.key, x.node.chunk);
  return h;
}

/** Neighbour totals of a key whose chunk has arrived, whether or not its neighbourhood was decoded. */
function totalsOf(key: string): { in_total: number; out_total: number } | undefined {
  const h = hoods.get(key);
  if (h) return h;
  const n = chunkOf.get(key);
  return n === undefined ? undefined : readers.get(n)?.totals(key);
}

async function expand(key: string, dir: 'in' | 'out'): Promise<void> {
  const h = await hood(key);
  if (!h) return;
  const s = shown.get(key) ?? { in: 0, out: 0 };
  const list = h[dir];
  const next = Math.min(list.length, s[dir] + STEP);
  if (visible.size + (next - s[dir]) > MAX_DRAWN) {
    statusEl.textContent = `Showing more would draw over ${MAX_DRAWN} nodes. Filter by kind, or focus on a narrower entity first.`;
    return;
  }
  for (const { edge, node } of list.slice(0, next)) {
    if (!visible.has(node.key)) visible.set(node.key, node);
    edges.set(`${edge.from}>${edge.to}`, edge);
  }
  s[dir] = next;
  shown.set(key, s);
}

async function open(key: string): Promise<void> {
  const h = await hood(key);
  if (!h) {
    statusEl.textContent = `No entity "${key}" in this graph.`;
    return;
  }
  focus = key;
  visible.clear();
  edges.clear();
  shown.clear();
  visible.set(key, h.node);
  await expand(key, 'in');
  await expand(key, 'out');
}

/** How many neighbours in a direction are not shown yet; undefined while the chunk holding the key has not arrived. */
function remaining(key: string, dir: 'in' | 'out'): number | undefined {
  const t = totalsOf(key);
  return t ? (dir === 'in' ? t.in_total : t.out_total) - (shown.get(key)?.[dir] ?? 0) : undefined;
}

/** An SVG element with attributes and plain text: data only ever reaches the page through setAttribute and textContent. */
function svgEl(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, name);
  for (const k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Where an edge's label goes: ending just before the target's + button, at the height of the curve three quarters
 * along. Edges fanning into one node arrive from different rows and are still about a sixth of a row apart there,
 * so their labels do not stack on one spot; a white halo (CSS) keeps them readable over crossing lines.
 */
function labelAt(y1: number, x2: number, y2: number): Record<string, string | number> {
  // The curve M x1 y1 C x1+40 y1, x2-40 y2, x2 y2 at t = 3/4 has y = (10·y1 + 54·y2) / 64.
  return { x: x2 - 30, y: Math.round((10 * y1 + 54 * y2) / 64) - 3, 'text-anchor': 'end' };
}

function render(): void {
  const allowed = kinds();
  const nodes = [...visible.values()].filter((n) => allowed.has(n.kind) || n.key === focus);
  const keys = new Set(nodes.map((n) => n.key));
  const es = [...edges.values()].filter((e) => keys.has(e.from) && keys.has(e.to));
  const pos = layoutLayers(nodes, es);
  const W = 190,
    H = 44;
  const lit = highlight();
  // Built off the page and swapped in at once; d3 keeps only pan and zoom.
  const eg = svgEl('g', {});
  for (const e of es) {
    const a = pos.get(e.from)!,
      b = pos.get(e.to)!;
    const x1 = a.x + W,
      y1 = a.y + H / 2,
      x2 = b.x,
      y2 = b.y + H / 2;
    const sameLayer = x2 <= x1;
    const d = sameLayer
      ? `M ${a.x + W / 2} ${a.y + H} C ${a.x + W / 2} ${a.y + H + 30}, ${b.x + W / 2} ${b.y - 30}, ${b.x + W / 2} ${b.y}`
      : `M ${x1} ${y1} C ${x1 + 40} ${y1}, ${x2 - 40} ${y2}, ${x2} ${y2}`;
    eg.append(
      svgEl('path', { class: 'edge', d }),
      svgEl(
        'text',
        { class: 'edge-label', ...(sameLayer ? { x: b.x + W / 2 + 6, y: b.y - 8, 'text-anchor': 'start' } : labelAt(y1, x2, y2)) },
        `${e.from_version} → ${e.to_version}`,
      ),
    );
  }
  const ng = svgEl('g', {});
  for (const n of nodes) {
    const p = pos.get(n.key)!;
    const hl = lit && (n.changed || n.stale);
    const mark = n.status === 'fail' ? '✗ ' : n.status === 'pass' ? '✓ ' : '';
    const sub = `${n.sub} · ${n.version}${n.stale ? ' · stale' : ''}`;
    const a = svgEl('a', {
      href: pageOf(n),
      class: `gnode ${n.kind}${n.key === focus ? ' focus' : ''}${n.status === 'fail' ? ' fail' : ''}${hl ? ' hl' : ''}`,
      'data-key': n.key,
    });
    a.append(
      svgEl(
        'title',
        {},
        `${n.kind} ${n.id} ${n.version}${n.status !== 'unchanged' ? ` — gate ${n.status}` : ''}${n.stale ? ' — stale' : ''}`,
      ),
      svgEl('rect', { x: p.x, y: p.y, width: W, height: H, rx: n.kind === 'dataset' ? 14 : 4 }),
      svgEl('text', { x: p.x + 8, y: p.y + 17 }, `${mark}${n.label.length > 26 ? `${n.label.slice(0, 25)}…` : n.label}`),
      svgEl('text', { x: p.x + 8, y: p.y + 34, class: 'muted' }, sub.length > 30 ? `${sub.slice(0, 29)}…` : sub),
    );
    ng.append(a);
    for (const dir of ['in', 'out'] as const) {
      const more = remaining(n.key, dir);
      if (more === undefined || more > 0) {
        const bx = dir === 'in' ? p.x - 26 : p.x + W + 4;
        // Activated through the one click and keydown listener on the drawing (see the end of this file).
        const b = svgEl('g', {
          class: 'btn',
          role: 'button',
          tabindex: 0,
          'aria-label': `Show ${dir === 'in' ? 'upstream' : 'downstream'} neighbours of ${n.id}`,
          'data-key': n.key,
          'data-dir': dir,
        });
        b.append(
          svgEl('rect', { x: bx, y: p.y + 10, width: 22, height: 22, rx: 4 }),
          svgEl('text', { x: bx + 11, y: p.y + 25, 'text-anchor': 'middle' }, more === undefined ? '+' : `+${Math.min(more, 99)}`),
        );
        ng.append(b);
      }
    }
  }
  layer.replaceChildren(eg, ng);
  shownView = { nodes, es };
  // The list is built when it is open: closed, it would only cost layout for what nobody sees.
  if (alt.open) renderList(nodes, es);
  statusEl.textContent = `${nodes.length} node(s), ${es.length} edge(s) shown around ${focus}.`;
  const url = new URL(location.href);
  url.searchParams.set('focus', focus);
  if (chunkOf.has(focus)) url.searchParams.set('c', String(chunkOf.get(focus)));
  url.searchParams.set('kinds', [...allowed].sort().join(','));
  const opened = [...shown]
    .filter(([k, s]) => k !== focus && (s.in > 0 || s.out > 0))
    .map(([k, s]) => `${k}~${s.in}~${s.out}~${chunkOf.get(k) ?? ''}`);
  if (opened.length) url.searchParams.set('open', opened.join(','));
  else url.searchParams.delete('open');
  history.replaceState(null, '', url);
}

function renderList(nodes: GNode[], es: GEdge[]): void {
  listEl.replaceChildren();
  const ul = document.createElement('ul');
  for (const n of nodes) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = pageOf(n);
    a.textContent = `${n.kind} ${n.id}`;
    li.append(a, ` — version ${n.version}${n.status !== 'unchanged' ? `, gate ${n.status}` : ''}${n.stale ? ', stale' : ''}`);
    for (const dir of ['in', 'out'] as const) {
      const more = remaining(n.key, dir);
      if (more === undefined || more > 0) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = `${dir === 'in' ? 'upstream' : 'downstream'}${more === undefined ? '' : ` (+${more} more)`}`;
        b.addEventListener('click', () => void grow(n.key, dir));
        li.append(' ', b);
      }
    }
    ul.append(li);
  }
  const table = document.createElement('table');
  const head = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const h of ['From', 'Edge', 'To', 'Versions']) {
    const th = document.createElement('th');
    th.textContent = h;
    hr.append(th);
  }
  head.append(hr);
  table.append(head);
  const tbody = document.createElement('tbody');
  for (const e of es) {
    const tr = document.createElement('tr');
    for (const text of [e.from, e.kind, e.to, `${e.from_version} → ${e.to_version}`]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(tbody);
  listEl.append(ul, table);
}

async function grow(key: string, dir: 'in' | 'out'): Promise<void> {
  await expand(key, dir);
  render();
  (document.querySelector(`[data-key="${CSS.escape(key)}"][data-dir="${dir}"]`) as HTMLElement | null)?.focus();
}

function download(name: string, type: string, text: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The page's style rules that draw the graph (our own stylesheet, same origin), for an exported SVG. */
function graphStyles(width: number, height: number): string {
  const rules: string[] = [];
  for (const sheet of document.styleSheets) {
    for (const rule of sheet.cssRules) {
      if (rule instanceof CSSStyleRule && /^:root$|(^|,\s*)(#graph-svg|svg)\b/.test(rule.selectorText)) rules.push(rule.cssText);
    }
  }
  // The file's own size instead of the page's box, and a white ground: there is no page behind it.
  return [...rules, `#graph-svg { width: ${width}px; height: ${height}px; background: #fff; border: 0; border-radius: 0; }`].join('\n');
}

function exportView(format: string): void {
  // What is drawn: the kind filter applies to exports too.
  const { nodes, es } = shownView;
  const name = `lineage-${focus.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
  if (format === 'svg') {
    // A file that stands on its own: the whole view (not the panned window), the page's graph styles inside, and
    // none of the + buttons, which do nothing outside the page.
    const clone = svg.cloneNode(true) as SVGSVGElement;
    const box = layer.getBBox();
    const [x, y, w, h] = [Math.floor(box.x) - 10, Math.floor(box.y) - 10, Math.ceil(box.width) + 20, Math.ceil(box.height) + 20];
    clone.setAttribute('xmlns', SVG_NS);
    clone.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
    clone.setAttribute('width', String(w));
    clone.setAttribute('height', String(h));
    clone.querySelector(':scope > g')?.removeAttribute('transform');
    for (const b of clone.querySelectorAll('.btn')) b.remove();
    const style = document.createElementNS(SVG_NS, 'style');
    style.textContent = graphStyles(w, h);
    clone.prepend(style);
    download(`${name}.svg`, 'image/svg+xml', new XMLSerializer().serializeToString(clone));
  } else if (format === 'json') {
    download(`${name}.json`, 'application/json', JSON.stringify({ focus, nodes, edges: es }, null, 2));
  } else if (format === 'mermaid') {
    const ids = new Map(nodes.map((n, i) => [n.key, `n${i}`]));
    const esc = (s: string) => s.replace(/[^A-Za-z0-9 _.@/=()>-]/g, (c) => `#${c.codePointAt(0)};`);
    download(
      `${name}.mmd`,
      'text/plain',
      `${['flowchart LR', ...nodes.map((n) => `  ${ids.get(n.key)}["${esc(`${n.id}@${n.version}`)}"]`), ...es.filter((e) => ids.has(e.from) && ids.has(e.to)).map((e) => `  ${ids.get(e.from)} -->|"${esc(`${e.from_version} -> ${e.to_version}`)}"| ${ids.get(e.to)}`)].join('\n')}\n`,
    );
  } else {
    const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    download(
      `${name}.dot`,
      'text/vnd.graphviz',
      `${['digraph lineage {', '  rankdir=LR;', ...nodes.map((n) => `  ${q(n.key)} [label=${q(`${n.id}@${n.version}`)}];`), ...es.map((e) => `  ${q(e.from)} -> ${q(e.to)} [label=${q(`${e.from_version} → ${e.to_version}`)}];`), '}'].join('\n')}\n`,
    );
  }
}

const zoomCode = Promise.all([import('d3-selection'), import('d3-zoom')]);

async function start(): Promise<void> {
  const params = new URL(location.href).searchParams;
  const wanted = params.get('focus') ?? root.dataset.start ?? '';
  for (const box of document.querySelectorAll<HTMLInputElement>('input[name=kind]'))
    if (params.has('kinds')) box.checked = params.get('kinds')!.split(',').includes(box.value);
  (document.getElementById('focus-input') as HTMLInputElement).value = wanted;
  if (!wanted) {
    statusEl.textContent = 'This graph is empty.';
    return;
  }
  // A shared view names every node it expanded, how far, and the chunk holding it: fetch those chunks at once, then
  // replay. A URL is anyone's to write: more expanded nodes than can be drawn, or more neighbours than a chunk
  // lists, are cut off rather than looped over.
  const opened = (params.get('open') ?? '').split(',').filter(Boolean).slice(0, MAX_DRAWN);
  const startChunk = params.get('c') ?? (wanted === root.dataset.start ? root.dataset.startChunk : undefined);
  if (startChunk !== undefined && /^\d+$/.test(startChunk)) chunkOf.set(wanted, Number(startChunk));
  for (const item of opened) {
    const [k, , , c] = item.split('~');
    if (k && c && /^\d+$/.test(c)) chunkOf.set(k, Number(c));
  }
  await Promise.all([wanted, ...opened.map((item) => item.split('~')[0]!)].map((k) => hood(k)));
  await open(wanted);
  for (const item of opened) {
    const [k, i, o] = item.split('~');
    if (!k) continue;
    const upto = (count: string | undefined) => Math.min(NEIGHBOUR_LIMIT, Math.max(0, Math.floor(Number(count)) || 0));
    for (let n = 0; n < upto(i); n += STEP) await expand(k, 'in');
    for (let n = 0; n < upto(o); n += STEP) await expand(k, 'out');
  }
  render();
  // Pan and zoom arrive in a second script, fetched while the chunks were: the drawing did not wait for it.
  const [{ select }, { zoom }] = await zoomCode;
  const z = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.2, 3])
    .on('zoom', (ev: { transform: { toString(): string } }) => layer.setAttribute('transform', ev.transform.toString()));
  select(svg).call(z);
  // For the benchmark: once this timer runs, the first frame showing the view has been painted and pans and zooms.
  requestAnimationFrame(() => setTimeout(() => performance.mark('lineage-graph-interactive'), 0));
}

document.getElementById('focus-go')!.addEventListener('click', async () => {
  await open((document.getElementById('focus-input') as HTMLInputElement).value.trim());
  render();
});
for (const box of document.querySelectorAll('input[name=kind], #highlight')) box.addEventListener('change', render);
alt.addEventListener('toggle', () => {
  if (alt.open) renderList(shownView.nodes, shownView.es);
  else listEl.replaceChildren();
});
/** The + buttons in the drawing, by pointer or keyboard: one listener each for all of them. */
function buttonOf(ev: Event): { key: string; dir: 'in' | 'out' } | null {
  const b = (ev.target as Element | null)?.closest?.('g.btn');
  const key = b?.getAttribute('data-key');
  const dir = b?.getAttribute('data-dir');
  return key && (dir === 'in' || dir === 'out') ? { key, dir } : null;
}
svg.addEventListener('click', (ev) => {
  const b = buttonOf(ev);
  if (b) void grow(b.key, b.dir);
});
svg.addEventListener('keydown', (ev) => {
  const b = buttonOf(ev);
  if (b && (ev.key === 'Enter' || ev.key === ' ')) {
    ev.preventDefault();
    void grow(b.key, b.dir);
  }
});
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-export]'))
  b.addEventListener('click', () => exportView(b.dataset.export!));
void start();
