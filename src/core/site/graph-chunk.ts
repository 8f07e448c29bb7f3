// The graph explorer's neighbourhood files ("chunks"), packed. A chunk holds the neighbourhoods of up to CHUNK_SIZE
// nodes that lie close in the graph, plus a record of every node they mention. Records are tuples and edges point
// at records by index: what a node's label, second line and kind are follows from its key, so none of it is stored.
// A restored view of 150 nodes reads about 17 chunks; packed, they are a fifth of the size as keyed objects, which
// is what the browser has to download and parse before it can draw. Pure: the site build packs, the browser unpacks.

export type NodeKind = 'dataset' | 'model' | 'node';
export type NodeStatus = 'pass' | 'fail' | 'unchanged';
export interface GraphNode {
  key: string;
  kind: NodeKind;
  id: string;
  label: string;
  /** Second line: the kind, or the workflow a node belongs to. */
  sub: string;
  version: string;
  status: NodeStatus;
  stale: boolean;
  changed: boolean;
  layer: number;
  /** The chunk holding this node's neighbourhood. */
  chunk: number;
}
export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  from_version: string;
  to_version: string;
}
export interface Neighbourhood {
  node: GraphNode;
  in: { edge: GraphEdge; node: GraphNode }[];
  out: { edge: GraphEdge; node: GraphNode }[];
  in_total: number;
  out_total: number;
}

/** Neighbours listed per direction in a chunk; the rest are only counted ("+N more"). */
export const NEIGHBOUR_LIMIT = 60;

export const EDGE_KINDS = ['trained_on', 'runs', 'reads', 'needs'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** [key, version, layer, chunk, flags]; flags: 1 gate passed, 2 gate failed, 4 stale, 8 changed. */
export type PackedNode = [key: string, version: string, layer: number, chunk: number, flags: number];
/** [index of the other end in the chunk's nodes, index in EDGE_KINDS, version at the source, version at the target]. */
export type PackedEdge = [other: number, kind: number, fromVersion: string, toVersion: string];
/** [index of the node in the chunk's nodes, neighbours upstream in all, downstream in all, listed upstream, listed downstream]. */
export type PackedHood = [node: number, inTotal: number, outTotal: number, upstream: PackedEdge[], downstream: PackedEdge[]];
export interface PackedChunk {
  nodes: PackedNode[];
  hoods: PackedHood[];
}

const PASS = 1,
  FAIL = 2,
  STALE = 4,
  CHANGED = 8;

/** The kind, id, label and second line a key implies: `node:wf/step` is step "step" of workflow "wf". */
export function describeKey(key: string): Pick<GraphNode, 'kind' | 'id' | 'label' | 'sub'> {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const id = key.slice(colon + 1);
  if (kind === 'node') {
    const slash = id.indexOf('/');
    return { kind, id, label: id.slice(slash + 1), sub: `node of ${id.slice(0, slash)}` };
  }
  if (kind === 'dataset' || kind === 'model') return { kind, id, label: id, sub: kind };
  throw new Error(`graph key "${key}" has no known kind`);
}

const ID = '[A-Za-z0-9][A-Za-z0-9_.-]{0,127}';
const KEY = new RegExp(`^(?:(?:dataset|model):${ID}|node:${ID}/${ID})$`);
/** Whether a string (from a shared URL, say) can be a graph key at all: a kind and ids as the schemas allow them. */
export function isGraphKey(key: string): boolean {
  return KEY.test(key);
}

/** A graph key as a file name: kinds and ids are restricted by schema; the workflow/node slash becomes "~". */
export function encodeKey(key: string): string {
  return key.replace(':', '/').replace('/', '__').replace(/\//g, '~');
}

/** Packs neighbourhoods (all from one chunk) in the order given; node records are numbered in order of first mention. */
export function packChunk(hoods: readonly Neighbourhood[]): PackedChunk {
  const index = new Map<string, number>();
  const nodes: PackedNode[] = [];
  const ref = (n: GraphNode): number => {
    let i = index.get(n.key);
    if (i === undefined) {
      i = nodes.length;
      index.set(n.key, i);
      const flags = (n.status === 'pass' ? PASS : n.status === 'fail' ? FAIL : 0) | (n.stale ? STALE : 0) | (n.changed ? CHANGED : 0);
      nodes.push([n.key, n.version, n.layer, n.chunk, flags]);
    }
    return i;
  };
  const edge = (e: GraphEdge, other: GraphNode): PackedEdge => {
    const kind = EDGE_KINDS.indexOf(e.kind);
    if (kind < 0) throw new Error(`edge kind "${e.kind}" cannot be packed`);
    return [ref(other), kind, e.from_version, e.to_version];
  };
  const packed: PackedHood[] = hoods.map((h) => [
    ref(h.node),
    h.in_total,
    h.out_total,
    h.in.map((x) => edge(x.edge, x.node)),
    h.out.map((x) => edge(x.edge, x.node)),
  ]);
  return { nodes, hoods: packed };
}

/** A packed chunk, read on demand: neighbourhoods (and the node records they mention) are decoded when asked for. */
export interface ChunkReader {
  /** The keys whose neighbourhoods this chunk holds, in packed order. */
  readonly keys: readonly string[];
  /** How many neighbours a held key has upstream and downstream in all, without decoding its lists. */
  totals(key: string): { in_total: number; out_total: number } | undefined;
  hood(key: string): Neighbourhood | undefined;
}

export function readChunk(chunk: PackedChunk): ChunkReader {
  const decoded: (GraphNode | undefined)[] = [];
  const at = (i: number): GraphNode => {
    const known = decoded[i];
    if (known) return known;
    const packed = chunk.nodes[i];
    if (!packed) throw new Error(`chunk edge points at node ${i}, beyond its ${chunk.nodes.length} nodes`);
    const [key, version, layer, n, flags] = packed;
    const d = describeKey(key);
    const node: GraphNode = {
      key,
      kind: d.kind,
      id: d.id,
      label: d.label,
      sub: d.sub,
      version,
      layer,
      chunk: n,
      status: flags & FAIL ? 'fail' : flags & PASS ? 'pass' : 'unchanged',
      stale: (flags & STALE) !== 0,
      changed: (flags & CHANGED) !== 0,
    };
    decoded[i] = node;
    return node;
  };
  const kindAt = (i: number): EdgeKind => {
    const k = EDGE_KINDS[i];
    if (!k) throw new Error(`chunk edge has unknown kind ${i}`);
    return k;
  };
  const held = new Map<string, PackedHood>();
  for (const h of chunk.hoods) {
    const packed = chunk.nodes[h[0]];
    if (!packed) throw new Error(`chunk neighbourhood points at node ${h[0]}, beyond its ${chunk.nodes.length} nodes`);
    held.set(packed[0], h);
  }
  return {
    keys: [...held.keys()],
    totals(key) {
      const h = held.get(key);
      return h ? { in_total: h[1], out_total: h[2] } : undefined;
    },
    hood(key) {
      const h = held.get(key);
      if (!h) return undefined;
      const [i, inTotal, outTotal, ins, outs] = h;
      const self = at(i);
      return {
        node: self,
        in: ins.map(([o, k, fv, tv]) => ({
          node: at(o),
          edge: { from: at(o).key, to: self.key, kind: kindAt(k), from_version: fv, to_version: tv },
        })),
        out: outs.map(([o, k, fv, tv]) => ({
          node: at(o),
          edge: { from: self.key, to: at(o).key, kind: kindAt(k), from_version: fv, to_version: tv },
        })),
        in_total: inTotal,
        out_total: outTotal,
      };
    },
  };
}

/** Every neighbourhood in a packed chunk, in the order they were packed. */
export function unpackChunk(chunk: PackedChunk): Neighbourhood[] {
  const reader = readChunk(chunk);
  return reader.keys.map((k) => reader.hood(k)!);
}
