// A layered (Sugiyama-style) layout for the graph explorer and the workflow DAGs. Nodes sit in columns by layer; an
// edge that skips columns runs through a lane of its own in each column it crosses (a virtual node), so no edge ever
// passes behind a box it does not connect. Columns are ordered by barycentre sweeps that keep the fewest crossings;
// rows are placed by weighted isotonic regression (straight lanes, boxes near their neighbours, and, when a previous
// layout is given, near where they were). Every edge is routed port to port: curves only in the gaps between
// columns, straight lines along its lanes. Pure and deterministic: same nodes and edges, same coordinates.

export interface LayoutNode {
  key: string;
  layer: number;
}
export interface LayoutEdge {
  from: string;
  to: string;
}
export interface Point {
  x: number;
  y: number;
}
/** A node's box, top-left corner and size. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface RoutedEdge {
  from: string;
  to: string;
  /** Waypoints: the source's port, the entry and exit of each lane it runs through, the target's port. */
  points: Point[];
  /** SVG path data through the waypoints. */
  d: string;
  /** Where the edge's label ends (right-aligned, baseline), just before the target's port. */
  label: Point;
}
export interface Layout {
  boxes: Map<string, Box>;
  edges: RoutedEdge[];
  /** Centre row of every item, boxes and lanes, by id: pass it back as `previous` to keep positions stable. */
  rows: Map<string, number>;
  /** Edges left out because they do not point to a later layer (none, for lineage: every edge points downstream). */
  skipped: LayoutEdge[];
  /** The drawing's extent, margins included. */
  width: number;
  height: number;
  minX: number;
  minY: number;
}
export interface LayoutOptions {
  nodeWidth?: number;
  /** Smallest box height. */
  nodeHeight?: number;
  /** Horizontal gap between columns, where edges curve and labels sit. */
  gap?: number;
  /** Vertical space between two boxes. */
  spacing?: number;
  /** Space between an edge's lane and its neighbours in a column. */
  laneSpacing?: number;
  /** Vertical distance between two incoming edges' ports: room for one label each. */
  portGap?: number;
  /** Vertical distance between two outgoing edges' ports. */
  outPortGap?: number;
  margin?: number;
  /** The previous layout's rows: items that were placed keep their order and stay close to their rows. */
  previous?: ReadonlyMap<string, number>;
}

export const NODE_W = 220;
export const NODE_H = 48;
export const GAP = 190;
const DEFAULTS = {
  nodeWidth: NODE_W,
  nodeHeight: NODE_H,
  gap: GAP,
  spacing: 22,
  laneSpacing: 10,
  portGap: 14,
  outPortGap: 6,
  margin: 40,
};
/**
 * How much of a gap an edge's curve takes, from its left end; the rest is a straight run at the height where it
 * arrives. Every edge is then level where the labels sit (just before the boxes), so no line crosses a label.
 */
export const CURVE = 60;
/** Space between an edge's end (the arrowhead's tip) and its target's box. */
export const ARROW_GAP = 2;
/** How much an item pulls toward its previous row, against its neighbours' pull. */
const ANCHOR = 6;
const ORDER_SWEEPS = 8;
const ROW_SWEEPS = 10;

interface Item {
  id: string;
  /** Real node key, or undefined for a lane. */
  node?: string;
  col: number;
  h: number;
  /** Position in its column. */
  pos: number;
  y: number;
  up: Seg[];
  down: Seg[];
}
interface Seg {
  a: Item;
  b: Item;
  w: number;
}

export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], options: LayoutOptions = {}): Layout {
  const o = { ...DEFAULTS, ...options };
  const previous = options.previous;
  const layers = [...new Set(nodes.map((n) => n.layer))].sort((a, b) => a - b);
  const colOf = new Map(layers.map((l, i) => [l, i]));
  const byKey = new Map<string, LayoutNode>();
  for (const n of [...nodes].sort((a, b) => cmp(a.key, b.key))) byKey.set(n.key, n);
  const skipped: LayoutEdge[] = [];
  const uniq = new Map<string, LayoutEdge>();
  for (const e of edges) {
    const a = byKey.get(e.from);
    const b = byKey.get(e.to);
    if (!a || !b) continue;
    if (colOf.get(a.layer)! >= colOf.get(b.layer)!) skipped.push(e);
    else uniq.set(`${e.from}>${e.to}`, e);
  }
  const es = [...uniq.values()].sort((x, y) => cmp(x.from, y.from) || cmp(x.to, y.to));

  const inCount = new Map<string, number>();
  const outCount = new Map<string, number>();
  for (const e of es) {
    inCount.set(e.to, (inCount.get(e.to) ?? 0) + 1);
    outCount.set(e.from, (outCount.get(e.from) ?? 0) + 1);
  }
  const cols: Item[][] = layers.map(() => []);
  const items = new Map<string, Item>();
  const addItem = (id: string, col: number, h: number, node?: string): Item => {
    const it: Item = { id, node, col, h, pos: 0, y: 0, up: [], down: [] };
    items.set(id, it);
    cols[col]!.push(it);
    return it;
  };
  for (const n of byKey.values()) {
    const ports = Math.max(inCount.get(n.key) ?? 0, Math.ceil(((outCount.get(n.key) ?? 0) * o.outPortGap) / o.portGap));
    addItem(n.key, colOf.get(n.layer)!, Math.max(o.nodeHeight, 2 * (o.portGap / 2) + ports * o.portGap), n.key);
  }
  // Each edge as a chain of segments between adjacent columns, through one lane per column it skips.
  const chains: Item[][] = [];
  for (const e of es) {
    const a = items.get(e.from)!;
    const b = items.get(e.to)!;
    const chain = [a];
    for (let c = a.col + 1; c < b.col; c++) chain.push(addItem(`${e.from}>${e.to}#${layers[c]}`, c, 0));
    chain.push(b);
    for (let i = 0; i + 1 < chain.length; i++) {
      const x = chain[i]!;
      const y = chain[i + 1]!;
      // Lanes want to run straight: a segment between two lanes pulls hardest, one between two boxes least.
      const w = (x.node ? 1 : 4) * (y.node ? 1 : 4);
      const s: Seg = { a: x, b: y, w };
      x.down.push(s);
      y.up.push(s);
    }
    chains.push(chain);
  }

  order(cols, previous);
  place(cols, o, previous);

  // Normalise only a first layout: with a previous one, the frame stays where it was so nothing jumps.
  let shift = 0;
  if (!previous || previous.size === 0) {
    let top = Number.POSITIVE_INFINITY;
    for (const it of items.values()) top = Math.min(top, it.y - it.h / 2);
    shift = Number.isFinite(top) ? o.margin - top : 0;
  }
  const colX = (c: number) => o.margin + c * (o.nodeWidth + o.gap);
  const boxes = new Map<string, Box>();
  const rows = new Map<string, number>();
  for (const it of items.values()) {
    it.y += shift;
    rows.set(it.id, it.y);
    if (it.node) boxes.set(it.node, { x: colX(it.col), y: it.y - it.h / 2, w: o.nodeWidth, h: it.h });
  }

  // Ports: incoming edges spread over a box's left side in the order of where they come from, outgoing over its
  // right side in the order of where they go, so edges into one box neither cross at its door nor share a label row.
  const inPort = new Map<Seg, number>();
  const outPort = new Map<Seg, number>();
  for (const it of items.values()) {
    if (!it.node) continue;
    const ups = [...it.up].sort((s, t) => s.a.y - t.a.y || cmp(s.a.id, t.a.id));
    for (const [i, s] of ups.entries()) inPort.set(s, it.y + (i - (ups.length - 1) / 2) * o.portGap);
    const downs = [...it.down].sort((s, t) => s.b.y - t.b.y || cmp(s.b.id, t.b.id));
    const g = Math.min(o.outPortGap, (it.h - o.portGap) / Math.max(1, downs.length - 1));
    for (const [i, s] of downs.entries()) outPort.set(s, it.y + (i - (downs.length - 1) / 2) * g);
  }
  const routed: RoutedEdge[] = chains.map((chain) => {
    const pts: Point[] = [];
    for (let i = 0; i + 1 < chain.length; i++) {
      const a = chain[i]!;
      const b = chain[i + 1]!;
      const seg = a.down.find((s) => s.b === b)!;
      const start = { x: colX(a.col) + o.nodeWidth, y: a.node ? outPort.get(seg)! : a.y };
      if (i === 0) pts.push(start);
      else pts.push({ x: colX(a.col) + o.nodeWidth, y: a.y });
      // An edge stops just short of its target's border, so the arrowhead's tip is not hidden under it.
      pts.push({ x: colX(b.col) - (b.node ? ARROW_GAP : 0), y: b.node ? inPort.get(seg)! : b.y });
    }
    const end = pts.at(-1)!;
    return {
      from: chain[0]!.node!,
      to: chain.at(-1)!.node!,
      points: pts.map(round),
      d: pathThrough(pts, Math.min(CURVE, o.gap / 2)),
      label: round({ x: end.x - 12, y: end.y - 3 }),
    };
  });

  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const b of boxes.values()) {
    minX = Math.min(minX, b.x);
    minY = Math.min(minY, b.y);
    maxX = Math.max(maxX, b.x + b.w);
    maxY = Math.max(maxY, b.y + b.h);
  }
  for (const it of items.values()) {
    minY = Math.min(minY, it.y);
    maxY = Math.max(maxY, it.y);
  }
  if (!Number.isFinite(minX)) minX = minY = maxX = maxY = 0;
  return {
    boxes,
    edges: routed,
    rows,
    skipped,
    minX: minX - o.margin,
    minY: minY - o.margin,
    width: maxX - minX + 2 * o.margin,
    height: maxY - minY + 2 * o.margin,
  };
}

/** Crossings between every pair of adjacent columns, for the orders the items are in. */
export function countCrossings(cols: readonly (readonly Item[])[]): number {
  let total = 0;
  for (let c = 0; c + 1 < cols.length; c++) {
    const segs: [number, number][] = [];
    for (const it of cols[c]!) for (const s of it.down) segs.push([s.a.pos, s.b.pos]);
    segs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    total += inversions(segs.map((s) => s[1]));
  }
  return total;
}

/** Pairs i < j with xs[i] > xs[j], by merge sort. */
function inversions(xs: number[]): number {
  if (xs.length < 2) return 0;
  const buf = new Array<number>(xs.length);
  const a = [...xs];
  let count = 0;
  for (let width = 1; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (a[i]! <= a[j]!) buf[k++] = a[i++]!;
        else {
          count += mid - i;
          buf[k++] = a[j++]!;
        }
      }
      while (i < mid) buf[k++] = a[i++]!;
      while (j < hi) buf[k++] = a[j++]!;
    }
    for (let k = 0; k < a.length; k++) a[k] = buf[k]!;
  }
  return count;
}

/**
 * Orders each column. Without a previous layout: by key in the first column, then barycentre sweeps down and up,
 * keeping the order with the fewest crossings. With one: items it placed keep their relative order (new ones are
 * slotted in by barycentre), so growing a view does not reshuffle what the reader already looked at.
 */
function order(cols: Item[][], previous: ReadonlyMap<string, number> | undefined): void {
  const fixed = (it: Item) => previous?.has(it.id) ?? false;
  for (const col of cols) {
    col.sort((a, b) => {
      const pa = previous?.get(a.id);
      const pb = previous?.get(b.id);
      if (pa !== undefined && pb !== undefined) return pa - pb || cmp(a.id, b.id);
      if (pa !== undefined) return -1;
      if (pb !== undefined) return 1;
      return cmp(a.id, b.id);
    });
    col.forEach((it, i) => {
      it.pos = i;
    });
  }
  const sweep = (c: number, dir: 'up' | 'down') => {
    const col = cols[c]!;
    const bary = new Map<Item, number>();
    for (const it of col) {
      const segs = dir === 'up' ? it.up : it.down;
      let sum = 0;
      let w = 0;
      for (const s of segs) {
        const other = dir === 'up' ? s.a : s.b;
        sum += other.pos * s.w;
        w += s.w;
      }
      bary.set(it, w ? sum / w : it.pos);
    }
    // Items a previous layout placed keep their order: their barycentres are made monotone in that order first.
    const anchored = col.filter(fixed);
    if (anchored.length) {
      const mono = isotonic(
        anchored.map((it) => bary.get(it)!),
        anchored.map(() => 1),
      );
      anchored.forEach((it, i) => {
        bary.set(it, mono[i]!);
      });
    }
    col.sort((a, b) => bary.get(a)! - bary.get(b)! || Number(fixed(b)) - Number(fixed(a)) || a.pos - b.pos);
    col.forEach((it, i) => {
      it.pos = i;
    });
  };
  let best = cols.map((col) => [...col]);
  let bestCount = countCrossings(cols);
  for (let round = 0; round < ORDER_SWEEPS && bestCount > 0; round++) {
    if (round % 2 === 0) for (let c = 1; c < cols.length; c++) sweep(c, 'up');
    else for (let c = cols.length - 2; c >= 0; c--) sweep(c, 'down');
    const count = countCrossings(cols);
    if (count < bestCount) {
      bestCount = count;
      best = cols.map((col) => [...col]);
    }
  }
  for (const [c, col] of best.entries()) {
    cols[c] = col;
    col.forEach((it, i) => {
      it.pos = i;
    });
  }
}

/**
 * Rows: each column in its order, items at least their half heights and a spacing apart, as close as that allows to
 * the weighted mean of their neighbours' rows (and their previous row). The best rows under those constraints are a
 * weighted isotonic regression, solved exactly for each column by pooling adjacent violators.
 */
function place(cols: Item[][], o: typeof DEFAULTS, previous: ReadonlyMap<string, number> | undefined): void {
  const sep = (a: Item, b: Item) => a.h / 2 + b.h / 2 + (a.node && b.node ? o.spacing : o.laneSpacing);
  for (const col of cols) {
    let y = 0;
    col.forEach((it, i) => {
      if (i > 0) y += sep(col[i - 1]!, it);
      it.y = y;
    });
    const mid = y / 2;
    for (const it of col) it.y -= mid;
  }
  const solve = (col: Item[], dirs: ('up' | 'down')[]) => {
    if (col.length === 0) return;
    const offsets: number[] = [0];
    for (let i = 1; i < col.length; i++) offsets.push(offsets[i - 1]! + sep(col[i - 1]!, col[i]!));
    const want: number[] = [];
    const weight: number[] = [];
    for (const [i, it] of col.entries()) {
      let sum = 0;
      let w = 0;
      for (const dir of dirs) {
        for (const s of dir === 'up' ? it.up : it.down) {
          sum += (dir === 'up' ? s.a.y : s.b.y) * s.w;
          w += s.w;
        }
      }
      const prev = previous?.get(it.id);
      if (prev !== undefined) {
        sum += prev * ANCHOR * Math.max(1, w);
        w += ANCHOR * Math.max(1, w);
      }
      // Nothing pulls it: it stays, weakly, where it is.
      if (w === 0) {
        w = 0.01;
        sum = it.y * w;
      }
      want.push(sum / w - offsets[i]!);
      weight.push(w);
    }
    const z = isotonic(want, weight);
    col.forEach((it, i) => {
      it.y = z[i]! + offsets[i]!;
    });
  };
  for (let round = 0; round < ROW_SWEEPS; round++) {
    const both = round >= ROW_SWEEPS - 2;
    if (round % 2 === 0) for (let c = 0; c < cols.length; c++) solve(cols[c]!, both ? ['up', 'down'] : ['up']);
    else for (let c = cols.length - 1; c >= 0; c--) solve(cols[c]!, both ? ['up', 'down'] : ['down']);
  }
}

/** Weighted least-squares fit of a non-decreasing sequence to `ys` (pool adjacent violators), in linear time. */
export function isotonic(ys: readonly number[], ws: readonly number[]): number[] {
  const value: number[] = [];
  const weight: number[] = [];
  const count: number[] = [];
  for (let i = 0; i < ys.length; i++) {
    value.push(ys[i]!);
    weight.push(ws[i]!);
    count.push(1);
    while (value.length > 1 && value[value.length - 2]! > value[value.length - 1]!) {
      const w = weight.pop()! + weight[weight.length - 1]!;
      const v = value.pop()!;
      const c = count.pop()!;
      const top = value.length - 1;
      value[top] = (value[top]! * weight[top]! + v * (w - weight[top]!)) / w;
      weight[top] = w;
      count[top]! += c;
    }
  }
  const out: number[] = [];
  for (let b = 0; b < value.length; b++) for (let k = 0; k < count[b]!; k++) out.push(value[b]!);
  return out;
}

/**
 * In each gap a curve with level ends over its first `curve` pixels (it stays inside the gap), then a level run to
 * the next column; straight lines along lanes.
 */
function pathThrough(pts: readonly Point[], curve: number): string {
  const r = (n: number) => Math.round(n * 10) / 10;
  let d = `M ${r(pts[0]!.x)} ${r(pts[0]!.y)}`;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if (i % 2 === 1) {
      const bend = Math.min(b.x, a.x + curve);
      const mx = (a.x + bend) / 2;
      d += ` C ${r(mx)} ${r(a.y)}, ${r(mx)} ${r(b.y)}, ${r(bend)} ${r(b.y)}`;
      if (bend < b.x) d += ` L ${r(b.x)} ${r(b.y)}`;
    } else d += ` L ${r(b.x)} ${r(b.y)}`;
  }
  return d;
}

function round(p: Point): Point {
  return { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
