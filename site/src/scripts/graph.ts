// Graph explorer: fetches one small neighbourhood file per node, lays the visible nodes out in layers, and draws
// them with d3. Everything shown on hover is also in the list below the drawing, reachable by keyboard.
import { select } from 'd3-selection';
import { zoom, zoomIdentity } from 'd3-zoom';

interface GNode { key: string; kind: 'dataset' | 'model' | 'node'; id: string; label: string; sub: string; version: string; status: string; stale: boolean; changed: boolean; layer: number; chunk: number }
interface GEdge { from: string; to: string; kind: string; from_version: string; to_version: string }
interface Hood { node: GNode; in: { edge: GEdge; node: GNode }[]; out: { edge: GEdge; node: GNode }[]; in_total: number; out_total: number }

/** Beyond this many nodes the drawing stops growing; the reader is asked to filter first. */
const MAX_DRAWN = 1000;
/** Neighbours added per expansion and direction; the rest stay behind "+N more". */
const STEP = 12;

const root = document.getElementById('explorer')!;
const base = root.dataset.base ?? '/';
const svg = select<SVGSVGElement, unknown>('#graph-svg');
const layer = svg.append('g');
const statusEl = document.getElementById('graph-status')!;
const listEl = document.getElementById('graph-list')!;
const hoods = new Map<string, Hood>();
const visible = new Map<string, GNode>();
const edges = new Map<string, GEdge>();
/** Per node and direction, how many neighbours are shown. */
const shown = new Map<string, { in: number; out: number }>();
let focus = '';

const locatorOf = (key: string) => `${base}data/graph/k/${key.replace(':', '/').replace('/', '__').replace(/\//g, '~')}.json`;
/** Chunk files by number: a chunk holds the neighbourhoods of about 48 nodes that lie close in the graph. */
type CompactEdge = [string, string, string, string];
interface Chunk { nodes: Record<string, GNode>; hoods: Record<string, { in: CompactEdge[]; out: CompactEdge[]; in_total: number; out_total: number }> }
const chunkFiles = new Map<number, Promise<Chunk | null>>();
/** Where each key's neighbourhood is, once known (from a neighbour entry, the URL, or a locator file). */
const chunkOf = new Map<string, number>();
const pageOf = (n: GNode) => (n.kind === 'node' ? `${base}workflows/${encodeURIComponent(n.id.split('/')[0]!)}/` : `${base}${n.kind}s/${encodeURIComponent(n.id)}/`);
const kinds = () => new Set([...document.querySelectorAll<HTMLInputElement>('input[name=kind]:checked')].map((i) => i.value));
const highlight = () => (document.getElementById('highlight') as HTMLInputElement).checked;

function loadChunk(n: number): Promise<Chunk | null> {
  let p = chunkFiles.get(n);
  if (!p) {
    p = fetch(`${base}data/graph/c${n}.json`).then((r) => (r.ok ? (r.json() as Promise<Chunk>) : null));
    chunkFiles.set(n, p);
  }
  return p;
}

async function hood(key: string): Promise<Hood | null> {
  const known = hoods.get(key);
  if (known) return known;
  let n = chunkOf.get(key);
  if (n === undefined) {
    const res = await fetch(locatorOf(key));
    if (!res.ok) return null;
    n = ((await res.json()) as { chunk: number }).chunk;
  }
  const chunk = await loadChunk(n);
  if (!chunk) return null;
  for (const node of Object.values(chunk.nodes)) chunkOf.set(node.key, node.chunk);
  for (const [k, h] of Object.entries(chunk.hoods)) {
    if (hoods.has(k)) continue;
    const self = chunk.nodes[k]!;
    const side = (list: CompactEdge[], incoming: boolean) => list.flatMap(([other, kind, fv, tv]) => {
      const node = chunk.nodes[other];
      return node ? [{ node, edge: incoming ? { from: other, to: k, kind, from_version: fv, to_version: tv } : { from: k, to: other, kind, from_version: fv, to_version: tv } }] : [];
    });
    hoods.set(k, { node: self, in: side(h.in, true), out: side(h.out, false), in_total: h.in_total, out_total: h.out_total });
  }
  return hoods.get(key) ?? null;
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

function remaining(key: string, dir: 'in' | 'out'): number {
  const h = hoods.get(key);
  if (!h) return 0;
  const total = dir === 'in' ? h.in_total : h.out_total;
  return total - (shown.get(key)?.[dir] ?? 0);
}

function layout(nodes: GNode[]): Map<string, { x: number; y: number }> {
  const byLayer = new Map<number, GNode[]>();
  for (const n of nodes) byLayer.set(n.layer, [...(byLayer.get(n.layer) ?? []), n]);
  const pos = new Map<string, { x: number; y: number }>();
  for (const l of [...byLayer.keys()].sort((a, b) => a - b)) {
    const list = byLayer.get(l)!;
    // Order within a layer by the mean position of already placed neighbours (one barycentre pass), then by key.
    const bary = (n: GNode) => {
      const ys = [...edges.values()].filter((e) => e.to === n.key || e.from === n.key).map((e) => pos.get(e.to === n.key ? e.from : e.to)?.y).filter((y): y is number => y !== undefined);
      return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : Number.POSITIVE_INFINITY;
    };
    list.sort((a, b) => bary(a) - bary(b) || (a.key < b.key ? -1 : 1));
    list.forEach((n, i) => pos.set(n.key, { x: 40 + l * 300, y: 40 + i * 70 }));
  }
  return pos;
}

function render(): void {
  const allowed = kinds();
  const nodes = [...visible.values()].filter((n) => allowed.has(n.kind) || n.key === focus);
  const keys = new Set(nodes.map((n) => n.key));
  const es = [...edges.values()].filter((e) => keys.has(e.from) && keys.has(e.to));
  const pos = layout(nodes);
  const W = 190, H = 44;
  layer.selectAll('*').remove();
  const eg = layer.append('g');
  for (const e of es) {
    const a = pos.get(e.from)!, b = pos.get(e.to)!;
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
    const sameLayer = x2 <= x1;
    const d = sameLayer ? `M ${a.x + W / 2} ${a.y + H} C ${a.x + W / 2} ${a.y + H + 30}, ${b.x + W / 2} ${b.y - 30}, ${b.x + W / 2} ${b.y}` : `M ${x1} ${y1} C ${x1 + 40} ${y1}, ${x2 - 40} ${y2}, ${x2} ${y2}`;
    eg.append('path').attr('class', 'edge').attr('d', d);
    const lx = sameLayer ? b.x + W / 2 + 6 : x2 - 34;
    const ly = sameLayer ? b.y - 8 : y2 - 5;
    eg.append('text').attr('class', 'edge-label').attr('x', lx).attr('y', ly).attr('text-anchor', sameLayer ? 'start' : 'end').text(`${e.from_version} → ${e.to_version}`);
  }
  const ng = layer.append('g');
  for (const n of nodes) {
    const p = pos.get(n.key)!;
    const hl = highlight() && (n.changed || n.stale);
    const a = ng.append('a').attr('href', pageOf(n)).attr('class', `gnode ${n.kind}${n.key === focus ? ' focus' : ''}${n.status === 'fail' ? ' fail' : ''}${hl ? ' hl' : ''}`).attr('data-key', n.key);
    a.append('title').text(`${n.kind} ${n.id} ${n.version}${n.status !== 'unchanged' ? ` — gate ${n.status}` : ''}${n.stale ? ' — stale' : ''}`);
    a.append('rect').attr('x', p.x).attr('y', p.y).attr('width', W).attr('height', H).attr('rx', n.kind === 'dataset' ? 14 : 4);
    const mark = n.status === 'fail' ? '✗ ' : n.status === 'pass' ? '✓ ' : '';
    a.append('text').attr('x', p.x + 8).attr('y', p.y + 17).text(`${mark}${n.label.length > 26 ? `${n.label.slice(0, 25)}…` : n.label}`);
    const sub = `${n.sub} · ${n.version}${n.stale ? ' · stale' : ''}`;
    a.append('text').attr('x', p.x + 8).attr('y', p.y + 34).attr('class', 'muted').text(sub.length > 30 ? `${sub.slice(0, 29)}…` : sub);
    for (const dir of ['in', 'out'] as const) {
      const more = remaining(n.key, dir);
      if (!hoods.has(n.key) || more > 0) {
        const bx = dir === 'in' ? p.x - 26 : p.x + W + 4;
        const b = ng.append('g').attr('class', 'btn').attr('role', 'button').attr('tabindex', 0).attr('aria-label', `Show ${dir === 'in' ? 'upstream' : 'downstream'} neighbours of ${n.id}`).attr('data-key', n.key).attr('data-dir', dir);
        b.append('rect').attr('x', bx).attr('y', p.y + 10).attr('width', 22).attr('height', 22).attr('rx', 4);
        b.append('text').attr('x', bx + 11).attr('y', p.y + 25).attr('text-anchor', 'middle').text(hoods.has(n.key) ? `+${Math.min(more, 99)}` : '+');
        b.on('click', () => void grow(n.key, dir));
        b.on('keydown', (ev: KeyboardEvent) => {
          if (ev.key === 'Enter' || ev.key === ' ') {
            ev.preventDefault();
            void grow(n.key, dir);
          }
        });
      }
    }
  }
  renderList(nodes, es);
  statusEl.textContent = `${nodes.length} node(s), ${es.length} edge(s) shown around ${focus}.`;
  performance.mark('lineage-graph-rendered');
  // For the benchmark: the first frame that shows this view has been painted once this timer runs.
  requestAnimationFrame(() => setTimeout(() => performance.mark('lineage-graph-painted'), 0));
  const url = new URL(location.href);
  url.searchParams.set('focus', focus);
  if (chunkOf.has(focus)) url.searchParams.set('c', String(chunkOf.get(focus)));
  url.searchParams.set('kinds', [...allowed].sort().join(','));
  const opened = [...shown].filter(([k, s]) => k !== focus && (s.in > 0 || s.out > 0)).map(([k, s]) => `${k}~${s.in}~${s.out}~${chunkOf.get(k) ?? ''}`);
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
      if (!hoods.has(n.key) || more > 0) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = `${dir === 'in' ? 'upstream' : 'downstream'}${hoods.has(n.key) ? ` (+${more} more)` : ''}`;
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

function exportView(format: string): void {
  const nodes = [...visible.values()];
  const es = [...edges.values()];
  const name = `lineage-${focus.replace(/[^A-Za-z0-9_.-]+/g, '_')}`;
  if (format === 'svg') {
    const clone = (document.getElementById('graph-svg') as unknown as SVGSVGElement).cloneNode(true) as SVGSVGElement;
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    download(`${name}.svg`, 'image/svg+xml', new XMLSerializer().serializeToString(clone));
  } else if (format === 'json') {
    download(`${name}.json`, 'application/json', JSON.stringify({ focus, nodes, edges: es }, null, 2));
  } else if (format === 'mermaid') {
    const ids = new Map(nodes.map((n, i) => [n.key, `n${i}`]));
    const esc = (s: string) => s.replace(/[^A-Za-z0-9 _.@/=()>-]/g, (c) => `#${c.codePointAt(0)};`);
    download(`${name}.mmd`, 'text/plain', ['flowchart LR', ...nodes.map((n) => `  ${ids.get(n.key)}["${esc(`${n.id}@${n.version}`)}"]`), ...es.filter((e) => ids.has(e.from) && ids.has(e.to)).map((e) => `  ${ids.get(e.from)} -->|"${esc(`${e.from_version} -> ${e.to_version}`)}"| ${ids.get(e.to)}`)].join('\n') + '\n');
  } else {
    const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    download(`${name}.dot`, 'text/vnd.graphviz', ['digraph lineage {', '  rankdir=LR;', ...nodes.map((n) => `  ${q(n.key)} [label=${q(`${n.id}@${n.version}`)}];`), ...es.map((e) => `  ${q(e.from)} -> ${q(e.to)} [label=${q(`${e.from_version} → ${e.to_version}`)}];`), '}'].join('\n') + '\n');
  }
}

async function start(): Promise<void> {
  const params = new URL(location.href).searchParams;
  const wanted = params.get('focus') ?? root.dataset.start ?? '';
  for (const box of document.querySelectorAll<HTMLInputElement>('input[name=kind]')) if (params.has('kinds')) box.checked = params.get('kinds')!.split(',').includes(box.value);
  (document.getElementById('focus-input') as HTMLInputElement).value = wanted;
  if (!wanted) {
    statusEl.textContent = 'This graph is empty.';
    return;
  }
  // A shared view names every node it expanded and the chunk holding it: fetch those chunks at once, then replay.
  const opened = (params.get('open') ?? '').split(',').filter(Boolean);
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
    for (let n = 0; n < Number(i ?? 0); n += STEP) await expand(k, 'in');
    for (let n = 0; n < Number(o ?? 0); n += STEP) await expand(k, 'out');
  }
  render();
  const z = zoom<SVGSVGElement, unknown>().scaleExtent([0.2, 3]).on('zoom', (ev) => layer.attr('transform', ev.transform.toString()));
  svg.call(z).call(z.transform, zoomIdentity);
}

document.getElementById('focus-go')!.addEventListener('click', async () => {
  await open((document.getElementById('focus-input') as HTMLInputElement).value.trim());
  render();
});
for (const box of document.querySelectorAll('input[name=kind], #highlight')) box.addEventListener('change', render);
for (const b of document.querySelectorAll<HTMLButtonElement>('[data-export]')) b.addEventListener('click', () => exportView(b.dataset.export!));
void start();
