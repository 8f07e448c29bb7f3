// Graph explorer: fetches packed neighbourhood files (chunks of nodes that lie close in the graph) as the view
// grows, lays the visible nodes out in layers (graph-layout.ts: long edges in lanes of their own, so no edge passes
// behind a node it does not connect) and draws them as SVG with arrowheads; d3-zoom adds pan and zoom once drawn.
// Everything the drawing shows is also in the list under it (built when opened), reachable by keyboard.

import { toDot, toMermaid } from '../../../src/core/render/graph-export.ts';
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
import { type Layout, layoutGraph } from '../../../src/core/site/graph-layout.ts';
import { type SearchShard, shardOf } from '../../../src/core/site/search-index.ts';

/** Beyond this many nodes the drawing stops growing; the reader is asked to filter first. */
const MAX_DRAWN = 1000;
/** Neighbours one + button adds; the rest stay behind the next +N. */
const STEP = 12;
type Dir = 'in' | 'out';
type Depth = 1 | 2 | 'all';

const root = document.getElementById('explorer')!;
const base = root.dataset.base ?? '/';
const SVG_NS = 'http://www.w3.org/2000/svg';
const svg = document.getElementById('graph-svg') as unknown as SVGSVGElement;
const layer = svg.querySelector('g.layer') as SVGGElement;
const alt = document.getElementById('graph-alt') as HTMLDetailsElement;
const statusEl = document.getElementById('graph-status')!;
const messageEl = document.getElementById('focus-msg')!;
const listEl = document.getElementById('graph-list')!;
const focusInput = document.getElementById('focus-input') as HTMLInputElement;
const suggestions = document.getElementById('focus-list') as HTMLDataListElement;
const depthIn = document.getElementById('depth-in') as HTMLSelectElement;
const depthOut = document.getElementById('depth-out') as HTMLSelectElement;
const failingBox = document.getElementById('failing') as HTMLInputElement;
const highlightBox = document.getElementById('highlight') as HTMLInputElement;

const hoods = new Map<string, Hood>();
const visible = new Map<string, GNode>();
/** Per node and direction, how many neighbours its + buttons (or a shared URL) asked for. */
const asked = new Map<string, { in: number; out: number }>();
let focus = '';
/** What the drawing shows now, for the list, the exports and the + buttons. */
let shownView: { nodes: GNode[]; es: GEdge[]; layout: Layout | null } = { nodes: [], es: [], layout: null };
/** Rows of the previous layout, so that growing the view keeps what was placed where it was. */
let previousRows: ReadonlyMap<string, number> | undefined;

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
const depthOf = (s: HTMLSelectElement): Depth => (s.value === 'all' ? 'all' : s.value === '2' ? 2 : 1);

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
  const known = hoods.get(key) ?? decoded(key);
  if (known) return Promise.resolve(known);
  let p = finding.get(key);
  if (!p) {
    p = findHood(key).finally(() => finding.delete(key));
    finding.set(key, p);
  }
  return p;
}

/** A neighbourhood whose chunk has arrived, decoded now; undefined while its chunk is not here. */
function decoded(key: string): Hood | undefined {
  const known = hoods.get(key);
  if (known) return known;
  const n = chunkOf.get(key);
  const h = n === undefined ? undefined : readers.get(n)?.hood(key);
  if (h) remember(h);
  return h;
}

function remember(h: Hood): void {
  hoods.set(h.node.key, h);
  chunkOf.set(h.node.key, h.node.chunk);
  for (const x of h.in) chunkOf.set(x.node.key, x.node.chunk);
  for (const x of h.out) chunkOf.set(x.node.key, x.node.chunk);
}

async function findHood(key: string): Promise<Hood | null> {
  // Keys come from URLs and the focus box too: nothing that cannot be a key becomes a request.
  if (!isGraphKey(key)) return null;
  let n = chunkOf.get(key);
  if (n === undefined) {
    const res = await fetch(locatorOf(key));
    if (!res.ok) return null;
    n = ((await res.json()) as { chunk: number }).chunk;
    chunkOf.set(key, n);
  }
  // Decoded on first use only: a restored view touches a few neighbourhoods of each chunk it fetches.
  await loadChunk(n);
  return decoded(key) ?? null;
}

/** The neighbours a node lists in a direction that the drawing could add: not drawn yet, of a kind shown. */
function undrawn(h: Hood, dir: Dir, allowed: Set<string>): GNode[] {
  return h[dir].filter((x) => !visible.has(x.node.key) && allowed.has(x.node.kind)).map((x) => x.node);
}

/** Adds up to `limit` neighbours of `key` in a direction; false if that would draw more than MAX_DRAWN nodes. */
async function expand(key: string, dir: Dir, limit: number): Promise<boolean> {
  const h = await hood(key);
  if (!h) return true;
  const add = undrawn(h, dir, kinds()).slice(0, limit);
  if (visible.size + add.length > MAX_DRAWN) {
    statusEl.textContent = `Showing more would draw over ${MAX_DRAWN} nodes. Filter by kind, or focus on a narrower entity first.`;
    return false;
  }
  for (const n of add) visible.set(n.key, n);
  const s = asked.get(key) ?? { in: 0, out: 0 };
  s[dir] = Math.min(NEIGHBOUR_LIMIT, s[dir] + limit);
  asked.set(key, s);
  return true;
}

/** Neighbours up to a depth in one direction, breadth first: 1 adds a step's worth, 2 and "all" every listed one. */
async function grow(start: string, dir: Dir, depth: Depth): Promise<void> {
  let frontier = [start];
  const seen = new Set(frontier);
  for (let level = 1; frontier.length && (depth === 'all' || level <= depth); level++) {
    await Promise.all(frontier.map((k) => hood(k)));
    const next: string[] = [];
    for (const k of frontier) {
      const before = new Set(visible.keys());
      if (!(await expand(k, dir, depth === 1 ? STEP : NEIGHBOUR_LIMIT))) return;
      for (const key of visible.keys()) if (!before.has(key) && !seen.has(key)) next.push(key);
      for (const x of hoods.get(k)?.[dir] ?? []) if (visible.has(x.node.key) && !seen.has(x.node.key)) next.push(x.node.key);
    }
    for (const k of next) seen.add(k);
    frontier = [...new Set(next)];
  }
}

async function open(key: string): Promise<boolean> {
  const h = await hood(key);
  if (!h) return false;
  focus = key;
  visible.clear();
  asked.clear();
  previousRows = undefined;
  visible.set(key, h.node);
  await grow(key, 'in', depthOf(depthIn));
  await grow(key, 'out', depthOf(depthOut));
  return true;
}

/** Every edge between two drawn nodes that a decoded neighbourhood lists, once. */
function edgesAmong(keys: Set<string>): GEdge[] {
  const out = new Map<string, GEdge>();
  for (const k of keys) {
    const h = hoods.get(k);
    if (!h) continue;
    for (const x of h.out) if (keys.has(x.node.key)) out.set(`${x.edge.from}>${x.edge.to}`, x.edge);
    for (const x of h.in) if (keys.has(x.node.key)) out.set(`${x.edge.from}>${x.edge.to}`, x.edge);
  }
  return [...out.values()].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}

/**
 * What a node's + button in one direction does: how many neighbours a press adds (`add`), and how many are not drawn
 * at all (`left`, counting those beyond what the chunk lists). Undefined while the node's chunk has not arrived.
 */
function remaining(key: string, dir: Dir, allowed: Set<string>): { add: number; left: number } | undefined {
  const h = decoded(key);
  if (!h) return undefined;
  const listed = undrawn(h, dir, allowed).length;
  const total = dir === 'in' ? h.in_total : h.out_total;
  return { add: Math.min(STEP, listed), left: listed + (total - h[dir].length) };
}

/** An SVG element with attributes and plain text: data only ever reaches the page through setAttribute and textContent. */
function svgEl(name: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, name);
  for (const k in attrs) e.setAttribute(k, String(attrs[k]));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Text cut to a width, by a conservative estimate of the width of a character (px per character). */
const cut = (s: string, width: number, per: number) => {
  const n = Math.max(1, Math.floor(width / per));
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
};
/** An edge label's versions, each cut so that a label always fits in the gap between columns. */
const short = (v: string) => (v.length > 10 ? `${v.slice(0, 9)}…` : v);
const BTN = 24;
const btnWidth = (text: string) => Math.max(BTN, 8 + 7 * text.length);

function render(): void {
  const allowed = kinds();
  const failingOnly = failingBox.checked;
  const nodes = [...visible.values()].filter((n) => n.key === focus || (allowed.has(n.kind) && (!failingOnly || n.status === 'fail')));
  const keys = new Set(nodes.map((n) => n.key));
  // Every drawn node whose chunk has arrived is decoded, so that edges between drawn nodes are all drawn.
  for (const k of keys) decoded(k);
  const es = edgesAmong(keys);
  const layout = layoutGraph(nodes, es, { previous: previousRows });
  previousRows = layout.rows;
  // Highlighting what changed says nothing when everything drawn changed: then it is off.
  const allChanged = nodes.length > 1 && nodes.every((n) => n.changed);
  const lit = highlightBox.checked && !allChanged;
  root.classList.toggle('all-changed', allChanged);
  // Built off the page and swapped in at once; d3 keeps only pan and zoom.
  const eg = svgEl('g', { class: 'edges' });
  const lg = svgEl('g', { class: 'labels' });
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const edgeOf = new Map(es.map((e) => [`${e.from}>${e.to}`, e]));
  for (const [i, r] of layout.edges.entries()) {
    const e = edgeOf.get(`${r.from}>${r.to}`)!;
    const failing = byKey.get(r.to)?.status === 'fail' || byKey.get(r.from)?.status === 'fail';
    const path = svgEl('path', {
      class: `edge ${e.kind}${failing ? ' to-fail' : ''}`,
      d: r.d,
      'marker-end': 'url(#lg-arrow)',
      'data-from': r.from,
      'data-to': r.to,
      'data-i': i,
    });
    path.append(svgEl('title', {}, `${e.from} → ${e.to} (${e.kind}): ${e.from_version} → ${e.to_version}`));
    eg.append(path);
    lg.append(
      svgEl(
        'text',
        { class: 'edge-label', x: r.label.x, y: r.label.y, 'text-anchor': 'end', 'data-from': r.from, 'data-to': r.to },
        `${short(e.from_version)} → ${short(e.to_version)}`,
      ),
    );
  }
  const ng = svgEl('g', { class: 'nodes' });
  const under = svgEl('g', { class: 'under' });
  for (const n of nodes) {
    const b = layout.boxes.get(n.key)!;
    const mark = n.status === 'fail' ? '✗ ' : n.status === 'pass' ? '✓ ' : '';
    const sub = `${n.sub} · ${n.version}${n.stale ? ' · stale' : ''}`;
    const more = { in: remaining(n.key, 'in', allowed), out: remaining(n.key, 'out', allowed) };
    const text = (dir: Dir) => {
      const m = more[dir];
      return m === undefined ? '+' : m.add > 0 ? `+${m.add}` : m.left > 0 ? '…' : '';
    };
    const wIn = text('in') ? btnWidth(text('in')) + 4 : 8;
    const wOut = text('out') ? btnWidth(text('out')) + 4 : 8;
    const room = b.w - wIn - wOut - 8;
    const a = svgEl('a', {
      href: pageOf(n),
      class: `gnode ${n.kind} st-${n.status}${n.stale ? ' stale' : ''}${n.key === focus ? ' focus' : ''}${lit && n.changed ? ' hl' : ''}`,
      'data-key': n.key,
    });
    const cy = b.y + b.h / 2;
    // Under the edges: a halo for what changed, a ring for the focus; the box's border is the gate's alone.
    if (lit && n.changed) under.append(svgEl('rect', { class: 'halo', x: b.x - 6, y: b.y - 6, width: b.w + 12, height: b.h + 12, rx: 12 }));
    if (n.key === focus)
      under.append(svgEl('rect', { class: 'ring', x: b.x - 10, y: b.y - 10, width: b.w + 20, height: b.h + 20, rx: 14 }));
    a.append(
      svgEl(
        'title',
        {},
        `${n.kind} ${n.id} ${n.version}${n.status !== 'unchanged' ? ` — gate ${n.status}` : ''}${n.stale ? ' — stale' : ''}${n.changed ? ' — changed' : ''}`,
      ),
      svgEl('rect', { class: 'box', x: b.x, y: b.y, width: b.w, height: b.h, rx: n.kind === 'dataset' ? 14 : 4 }),
      svgEl('text', { x: b.x + wIn + 4, y: cy - 3 }, `${mark}${cut(n.label, room, 7)}`),
      svgEl('text', { x: b.x + wIn + 4, y: cy + 13, class: 'muted' }, cut(sub, room, 6)),
    );
    ng.append(a);
    for (const dir of ['in', 'out'] as const) {
      const t = text(dir);
      if (!t) continue;
      const m = more[dir];
      const w = btnWidth(t);
      const bx = dir === 'in' ? b.x + 4 : b.x + b.w - 4 - w;
      const name = dir === 'in' ? 'upstream' : 'downstream';
      const label =
        m === undefined
          ? `Show ${name} neighbours of ${n.id}`
          : m.add > 0
            ? `Show ${m.add} more ${name} neighbour${m.add === 1 ? '' : 's'} of ${n.id} (${m.left} not drawn)`
            : `${m.left} more ${name} neighbours of ${n.id} are listed on its page`;
      // Activated through the one click and keydown listener on the drawing (see the end of this file).
      const g = svgEl('g', {
        class: `btn${m && m.add === 0 ? ' page' : ''}`,
        role: 'button',
        tabindex: 0,
        'aria-label': label,
        'data-key': n.key,
        'data-dir': dir,
        'data-add': m?.add ?? '',
      });
      g.append(
        svgEl('title', {}, label),
        svgEl('rect', { x: bx, y: cy - BTN / 2, width: w, height: BTN, rx: 5 }),
        svgEl('text', { x: bx + w / 2, y: cy + 4, 'text-anchor': 'middle' }, t),
      );
      ng.append(g);
    }
  }
  layer.replaceChildren(under, eg, ng, lg);
  shownView = { nodes, es, layout };
  // The list is built when it is open: closed, it would only cost layout for what nobody sees.
  if (alt.open) renderList(nodes, es);
  const hidden = visible.size - nodes.length;
  statusEl.textContent = `${nodes.length} node(s), ${es.length} edge(s) shown around ${focus}${hidden > 0 ? `; ${hidden} hidden by the filters` : ''}.${allChanged ? ' Everything shown changed in this evaluation, so nothing is highlighted.' : ''}`;
  saveUrl(allowed);
  view.afterRender();
}

function saveUrl(allowed: Set<string>): void {
  const url = new URL(location.href);
  url.searchParams.set('focus', focus);
  if (chunkOf.has(focus)) url.searchParams.set('c', String(chunkOf.get(focus)));
  url.searchParams.set('kinds', [...allowed].sort().join(','));
  const set = (name: string, value: string, fallback: string) =>
    value === fallback ? url.searchParams.delete(name) : url.searchParams.set(name, value);
  set('up', depthIn.value, '1');
  set('down', depthOut.value, '1');
  set('failing', failingBox.checked ? '1' : '', '');
  const opened = [...asked]
    .filter(([k, s]) => k !== focus && (s.in > 0 || s.out > 0))
    .map(([k, s]) => `${k}~${s.in}~${s.out}~${chunkOf.get(k) ?? ''}`);
  if (opened.length) url.searchParams.set('open', opened.join(','));
  else url.searchParams.delete('open');
  history.replaceState(null, '', url);
}

function renderList(nodes: GNode[], es: GEdge[]): void {
  const allowed = kinds();
  listEl.replaceChildren();
  const ul = document.createElement('ul');
  for (const n of nodes) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = pageOf(n);
    a.textContent = `${n.kind} ${n.id}`;
    li.append(a, ` — version ${n.version}${n.status !== 'unchanged' ? `, gate ${n.status}` : ''}${n.stale ? ', stale' : ''}`);
    for (const dir of ['in', 'out'] as const) {
      const more = remaining(n.key, dir, allowed);
      if (more === undefined || more.add > 0) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = `${dir === 'in' ? 'upstream' : 'downstream'}${more === undefined ? '' : ` (+${more.add} of ${more.left} not drawn)`}`;
        b.addEventListener('click', () => void step(n.key, dir));
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
  const scroll = document.createElement('div');
  scroll.className = 'table-scroll';
  scroll.tabIndex = 0;
  scroll.append(table);
  listEl.append(ul, scroll);
}

async function step(key: string, dir: Dir): Promise<void> {
  await expand(key, dir, STEP);
  render();
  (document.querySelector(`g.btn[data-key="${CSS.escape(key)}"][data-dir="${dir}"]`) as HTMLElement | null)?.focus();
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
  // What is drawn: the filters apply to exports too.
  const { nodes, es, layout } = shownView;
  const name = `lineage-${focus.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
  const graph = {
    nodes: nodes.map((n) => ({ ...n, label: n.label })),
    edges: es.map((e) => ({ from: e.from, to: e.to, kind: e.kind, from_version: e.from_version, to_version: e.to_version })),
  };
  if (format === 'svg' && layout) {
    // A file that stands on its own: the whole view (not the panned window), the page's graph styles inside, the
    // arrowheads' marker, and none of the + buttons, which do nothing outside the page.
    const clone = svg.cloneNode(true) as SVGSVGElement;
    const [x, y, w, h] = [Math.floor(layout.minX), Math.floor(layout.minY), Math.ceil(layout.width), Math.ceil(layout.height)];
    clone.setAttribute('xmlns', SVG_NS);
    clone.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
    clone.setAttribute('width', String(w));
    clone.setAttribute('height', String(h));
    clone.removeAttribute('tabindex');
    clone.querySelector('g.layer')?.removeAttribute('transform');
    for (const b of clone.querySelectorAll('.btn')) b.remove();
    const style = document.createElementNS(SVG_NS, 'style');
    style.textContent = graphStyles(w, h);
    clone.prepend(style);
    download(`${name}.svg`, 'image/svg+xml', new XMLSerializer().serializeToString(clone));
  } else if (format === 'json') {
    download(`${name}.json`, 'application/json', `${JSON.stringify({ focus, nodes, edges: es }, null, 2)}\n`);
  } else if (format === 'mermaid') {
    download(`${name}.mmd`, 'text/plain', toMermaid(graph));
  } else if (format === 'dot') {
    download(`${name}.dot`, 'text/vnd.graphviz', toDot(graph));
  }
}

/** Pan and zoom: d3-zoom once its script has arrived; until then the drawing is placed by a plain transform. */
const view = (() => {
  type T = { x: number; y: number; k: number };
  let current: T = { x: 0, y: 0, k: 1 };
  let zoomer: {
    set(t: T): void;
    scaleBy(f: number): void;
    translateBy(dx: number, dy: number): void;
  } | null = null;
  let placed = false;
  const size = () => ({ w: svg.clientWidth || 800, h: svg.clientHeight || 500 });
  /** Below this zoom the edge labels would be specks that Chromium draws at its smallest font size, overlapping. */
  const READABLE = 0.6;
  const far = (t: T) => svg.classList.toggle('far', t.k < READABLE);
  const apply = (t: T) => {
    current = t;
    far(t);
    if (zoomer) zoomer.set(t);
    else layer.setAttribute('transform', `translate(${t.x},${t.y}) scale(${t.k})`);
  };
  const fitted = (): T => {
    const l = shownView.layout;
    if (!l) return { x: 0, y: 0, k: 1 };
    const { w, h } = size();
    const k = Math.max(0.05, Math.min(1, w / l.width, h / l.height));
    return { k, x: (w - l.width * k) / 2 - l.minX * k, y: (h - l.height * k) / 2 - l.minY * k };
  };
  /** Whether the whole drawing is inside the visible window. */
  const fits = () => {
    const l = shownView.layout;
    if (!l) return true;
    const { w, h } = size();
    const t = current;
    return (
      l.minX * t.k + t.x >= -1 &&
      l.minY * t.k + t.y >= -1 &&
      (l.minX + l.width) * t.k + t.x <= w + 1 &&
      (l.minY + l.height) * t.k + t.y <= h + 1
    );
  };
  return {
    get transform() {
      return current;
    },
    fit: () => apply(fitted()),
    reset() {
      const b = shownView.layout?.boxes.get(focus);
      const { w, h } = size();
      apply(b ? { k: 1, x: w / 2 - (b.x + b.w / 2), y: h / 2 - (b.y + b.h / 2) } : { x: 0, y: 0, k: 1 });
    },
    zoom(f: number) {
      if (zoomer) zoomer.scaleBy(f);
    },
    pan(dx: number, dy: number) {
      if (zoomer) zoomer.translateBy(dx, dy);
    },
    /** The first drawing is fitted; a later one only when it no longer fits, so growing the view keeps the map still. */
    afterRender() {
      if (!placed || !fits()) apply(fitted());
      placed = true;
    },
    attach(z: NonNullable<typeof zoomer>, onZoom: (listener: (t: T) => void) => void) {
      onZoom((t) => {
        current = t;
        far(t);
      });
      zoomer = z;
      z.set(current);
    },
    /** Brings an element of the drawing (a node or button that took keyboard focus) into the visible window. */
    reveal(el: SVGGraphicsElement) {
      if (!zoomer) return;
      const b = el.getBBox();
      const { w, h } = size();
      const t = current;
      const [x1, y1, x2, y2] = [b.x * t.k + t.x, b.y * t.k + t.y, (b.x + b.width) * t.k + t.x, (b.y + b.height) * t.k + t.y];
      const m = 20;
      const dx = x1 < m ? m - x1 : x2 > w - m ? w - m - x2 : 0;
      const dy = y1 < m ? m - y1 : y2 > h - m ? h - m - y2 : 0;
      if (dx || dy) zoomer.translateBy(dx / t.k, dy / t.k);
    },
  };
})();

const zoomCode = Promise.all([import('d3-selection'), import('d3-zoom')]);

async function attachZoom(): Promise<void> {
  const [{ select }, { zoom, zoomIdentity }] = await zoomCode;
  const z = zoom<SVGSVGElement, unknown>()
    .scaleExtent([0.05, 3])
    // The wheel zooms only with a modifier or once the drawing has focus; otherwise it scrolls the page.
    .filter((ev: Event) => {
      const e = ev as MouseEvent;
      if (ev.type === 'wheel') return e.ctrlKey || e.metaKey || svg.contains(document.activeElement);
      return (!e.ctrlKey || ev.type === 'wheel') && !e.button;
    });
  const sel = select(svg);
  const listeners: ((t: { x: number; y: number; k: number }) => void)[] = [];
  z.on('zoom', (ev: { transform: { x: number; y: number; k: number; toString(): string } }) => {
    layer.setAttribute('transform', ev.transform.toString());
    for (const l of listeners) l(ev.transform);
  });
  sel.call(z);
  view.attach(
    {
      set: (t) => sel.call(z.transform, zoomIdentity.translate(t.x, t.y).scale(t.k)),
      scaleBy: (f) => sel.call(z.scaleBy, f),
      translateBy: (dx, dy) => sel.call(z.translateBy, dx, dy),
    },
    (l) => listeners.push(l),
  );
}

/** Resolves what was typed in the focus box: a key, or a bare id tried as dataset, model and workflow node. */
async function resolve(typed: string): Promise<string | null> {
  const t = typed.trim();
  if (!t) return null;
  const tries = isGraphKey(t) ? [t] : [`dataset:${t}`, `model:${t}`, `node:${t}`].filter(isGraphKey);
  for (const k of tries) if (await hood(k)) return k;
  return null;
}

async function show(typed: string): Promise<void> {
  messageEl.textContent = '';
  const key = await resolve(typed);
  if (!key) {
    const t = typed.trim();
    messageEl.textContent = t
      ? /^workflow:/.test(t)
        ? `A workflow is drawn as its nodes: focus on one of them, as node:${t.slice(9)}/<node id>.`
        : `No dataset, model or workflow node "${t}" in this graph. Check the spelling, or use the search.`
      : 'Type an id to focus on.';
    return;
  }
  focusInput.value = key;
  await open(key);
  render();
}

/** Suggestions for the focus box, from the search index's shard for what was typed: ids that start with it. */
let suggestFor = '';
async function suggest(): Promise<void> {
  const typed = focusInput.value
    .trim()
    .toLowerCase()
    .replace(/^(dataset|model|node):/, '');
  if (typed.length < 2 || typed === suggestFor) return;
  suggestFor = typed;
  const res = await fetch(`${base}data/search/${shardOf(typed)}.json`);
  if (!res.ok || suggestFor !== typed) return;
  const index = (await res.json()) as SearchShard;
  const found = new Set<string>();
  for (const [token, pairs] of Object.entries(index.t)) {
    if (!token.startsWith(typed)) continue;
    for (let i = 0; i < pairs.length; i += 2) {
      const key = index.k[pairs[i]!];
      if (
        key &&
        isGraphKey(key) &&
        key
          .slice(key.indexOf(':') + 1)
          .toLowerCase()
          .startsWith(typed)
      )
        found.add(key);
    }
    if (found.size >= 50) break;
  }
  suggestions.replaceChildren(
    ...[...found]
      .sort()
      .slice(0, 20)
      .map((k) => {
        const o = document.createElement('option');
        o.value = k;
        return o;
      }),
  );
}

async function start(): Promise<void> {
  const params = new URL(location.href).searchParams;
  const wanted = params.get('focus') ?? root.dataset.start ?? '';
  for (const box of document.querySelectorAll<HTMLInputElement>('input[name=kind]'))
    if (params.has('kinds')) box.checked = params.get('kinds')!.split(',').includes(box.value);
  const depth = (v: string | null) => (v === '2' || v === 'all' ? v : '1');
  depthIn.value = depth(params.get('up'));
  depthOut.value = depth(params.get('down'));
  failingBox.checked = params.get('failing') === '1';
  focusInput.value = wanted;
  if (!wanted) {
    statusEl.textContent = 'This graph is empty.';
    return;
  }
  // A shared view names every node it expanded, how far, and the chunk holding it: fetch those chunks at once, then
  // replay. A URL is anyone's to write: more expanded nodes than can be drawn, or more neighbours than a chunk
  // lists, are cut off rather than looped over.
  const opened = (params.get('open') ?? '').split(',').filter(Boolean).slice(0, MAX_DRAWN);
  const startChunk = params.get('c') ?? (wanted === root.dataset.start ? root.dataset.startChunk : undefined);
  if (startChunk !== undefined && /^\d+$/.test(startChunk) && isGraphKey(wanted)) chunkOf.set(wanted, Number(startChunk));
  for (const item of opened) {
    const [k, , , c] = item.split('~');
    if (k && c && /^\d+$/.test(c) && isGraphKey(k)) chunkOf.set(k, Number(c));
  }
  await Promise.all([wanted, ...opened.map((item) => item.split('~')[0]!)].map((k) => hood(k)));
  const key = await resolve(wanted);
  if (!key) {
    statusEl.textContent = '';
    await show(wanted);
    return;
  }
  await open(key);
  for (const item of opened) {
    const [k, i, o] = item.split('~');
    if (!k) continue;
    const upto = (count: string | undefined) => Math.min(NEIGHBOUR_LIMIT, Math.max(0, Math.floor(Number(count)) || 0));
    if (upto(i)) await expand(k, 'in', upto(i));
    if (upto(o)) await expand(k, 'out', upto(o));
  }
  render();
  // Pan and zoom arrive in a second script, fetched while the chunks were: the drawing did not wait for it.
  await attachZoom();
  // For the benchmark: once this timer runs, the first frame showing the view has been painted and pans and zooms.
  requestAnimationFrame(() => setTimeout(() => performance.mark('lineage-graph-interactive'), 0));
  // Neighbourhoods of drawn nodes in chunks not fetched yet: their edges to other drawn nodes and their counts.
  const missing = [...visible.keys()].filter((k) => !decoded(k));
  if (missing.length) {
    await Promise.all(missing.map((k) => hood(k)));
    render();
  }
  root.dataset.ready = 'true';
}

document.getElementById('focus-form')!.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void show(focusInput.value);
});
focusInput.addEventListener('input', () => void suggest());
for (const box of document.querySelectorAll('input[name=kind], #failing, #highlight')) box.addEventListener('change', render);
for (const s of [depthIn, depthOut])
  s.addEventListener('change', async () => {
    if (!focus) return;
    await open(focus);
    render();
  });
alt.addEventListener('toggle', () => {
  if (alt.open) renderList(shownView.nodes, shownView.es);
  else listEl.replaceChildren();
});
/** The + buttons in the drawing, by pointer or keyboard: one listener each for all of them. */
function buttonOf(ev: Event): { key: string; dir: Dir; toPage: boolean } | null {
  const b = (ev.target as Element | null)?.closest?.('g.btn');
  const key = b?.getAttribute('data-key');
  const dir = b?.getAttribute('data-dir');
  return key && (dir === 'in' || dir === 'out') ? { key, dir, toPage: b!.classList.contains('page') } : null;
}
function press(b: { key: string; dir: Dir; toPage: boolean }): void {
  const n = visible.get(b.key);
  if (b.toPage && n) location.href = pageOf(n);
  else void step(b.key, b.dir);
}
svg.addEventListener('click', (ev) => {
  const b = buttonOf(ev);
  if (b) press(b);
});
const PAN = 60;
svg.addEventListener('keydown', (ev) => {
  const b = buttonOf(ev);
  if (b && (ev.key === 'Enter' || ev.key === ' ')) {
    ev.preventDefault();
    press(b);
    return;
  }
  const keys: Record<string, () => void> = {
    ArrowLeft: () => view.pan(PAN / view.transform.k, 0),
    ArrowRight: () => view.pan(-PAN / view.transform.k, 0),
    ArrowUp: () => view.pan(0, PAN / view.transform.k),
    ArrowDown: () => view.pan(0, -PAN / view.transform.k),
    '+': () => view.zoom(1.25),
    '=': () => view.zoom(1.25),
    '-': () => view.zoom(0.8),
    f: () => view.fit(),
    F: () => view.fit(),
    '0': () => view.reset(),
  };
  const act = keys[ev.key];
  if (act && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
    ev.preventDefault();
    act();
  }
});
svg.addEventListener('focusin', (ev) => {
  const el = (ev.target as Element | null)?.closest?.('a.gnode, g.btn');
  if (el) view.reveal(el as SVGGraphicsElement);
});
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-zoom]'))
  b.addEventListener('click', () => {
    const what = b.dataset.zoom;
    if (what === 'in') view.zoom(1.25);
    else if (what === 'out') view.zoom(0.8);
    else if (what === 'fit') view.fit();
    else view.reset();
  });
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-export]'))
  b.addEventListener('click', () => exportView(b.dataset.export!));
void start();
