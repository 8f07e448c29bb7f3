// Everything the lineage site shows, as small JSON files: one per entity page, one neighbourhood per graph node
// for the explorer, search shards, and the overview. Pure: the CLI writes the files, the Astro project renders them.
import type { HistoryRecord } from '../lock/history.ts';
import { cmp } from '../order.ts';
import type { Edge, Lock, Manifests, Report } from '../types.ts';
import {
  describeKey,
  type EdgeKind,
  encodeKey,
  type GraphEdge,
  type GraphNode,
  NEIGHBOUR_LIMIT,
  type Neighbourhood,
  packChunk,
} from './graph-chunk.ts';

/**
 * Graph nodes per neighbourhood file. Nodes are grouped in breadth-first order, so neighbours mostly share a file
 * and a view of 150 nodes needs about ten fetches instead of one per node. At L a chunk is about 20 KB (5 KB
 * gzipped); 32 doubled the fetches and 128 the bytes, both for no gain measured.
 */
export const CHUNK_SIZE = 64;
/** Entries per list on the overview; the rest are counted. */
const OVERVIEW_LIMIT = 50;

export interface SiteFiles {
  /** Path (relative to the data folder) → JSON value. */
  files: Map<string, unknown>;
}

export function buildSiteData(input: {
  report: Report;
  manifests: Manifests;
  lock: Lock;
  history: HistoryRecord[];
  edges: readonly Edge[];
}): SiteFiles {
  const { report: r, manifests: m, lock, edges } = input;
  const history = [...input.history].sort((a, b) => a.sequence - b.sequence);
  const files = new Map<string, unknown>();
  const modelResult = new Map(r.models.map((x) => [x.id, x]));
  const workflowResult = new Map(r.workflows.map((x) => [x.id, x]));
  const datasetResult = new Map(r.datasets.map((x) => [x.id, x]));

  // Graph nodes: datasets, models, workflow nodes (layer 2 and up by depth in their workflow).
  const nodes = new Map<string, GraphNode>();
  const add = (key: string, rest: Omit<GraphNode, 'key' | 'kind' | 'id' | 'label' | 'sub' | 'chunk'>) =>
    nodes.set(key, { key, ...describeKey(key), ...rest, chunk: 0 });
  for (const d of m.datasets) {
    add(`dataset:${d.id}`, {
      version: d.version,
      status: 'unchanged',
      stale: false,
      changed: datasetResult.get(d.id)?.changed ?? false,
      layer: 0,
    });
  }
  for (const x of m.models) {
    const res = modelResult.get(x.id);
    add(`model:${x.id}`, {
      version: x.version,
      status: res?.status ?? 'unchanged',
      stale: res?.stale ?? false,
      changed: (res?.status ?? 'unchanged') !== 'unchanged',
      layer: 1,
    });
  }
  for (const w of m.workflows) {
    const res = workflowResult.get(w.id);
    const depth = depths(w.nodes);
    for (const n of w.nodes) {
      add(`node:${w.id}/${n.id}`, {
        version: w.version,
        status: res?.status ?? 'unchanged',
        stale: false,
        changed: (res?.status ?? 'unchanged') !== 'unchanged',
        layer: 2 + (depth.get(n.id) ?? 0),
      });
    }
  }
  const ins = new Map<string, GraphEdge[]>();
  const outs = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    // packChunk refuses a kind the explorer does not know.
    const edge: GraphEdge = {
      from: `${e.src_kind}:${e.src}`,
      to: `${e.dst_kind}:${e.dst}`,
      kind: e.kind as EdgeKind,
      from_version: e.src_version,
      to_version: e.dst_version,
    };
    push(outs, edge.from, edge);
    push(ins, edge.to, edge);
  }
  assignChunks(nodes, ins, outs);
  const members = new Map<number, Neighbourhood[]>();
  for (const [key, node] of nodes) {
    const side = (list: GraphEdge[] | undefined, pick: (e: GraphEdge) => string) =>
      (list ?? [])
        .slice()
        .sort((a, b) => cmp(pick(a), pick(b)))
        .slice(0, NEIGHBOUR_LIMIT)
        .flatMap((edge) => {
          const other = nodes.get(pick(edge));
          return other ? [{ edge, node: other }] : [];
        });
    push(members, node.chunk, {
      node,
      in: side(ins.get(key), (e) => e.from),
      out: side(outs.get(key), (e) => e.to),
      in_total: ins.get(key)?.length ?? 0,
      out_total: outs.get(key)?.length ?? 0,
    });
    // A tiny locator, for a focus typed by hand or linked without its chunk.
    files.set(`graph/k/${encodeKey(key)}.json`, { chunk: node.chunk });
  }
  for (const [n, hoods] of members) files.set(`graph/c${n}.json`, packChunk(hoods));

  // Version and score series from the history records, in order.
  const datasetSeries = new Map<string, { sequence: number; at: string; version: string }[]>();
  const modelSeries = new Map<string, { sequence: number; at: string; version: string; metrics: Record<string, number> }[]>();
  const workflowSeries = new Map<string, { sequence: number; at: string; version: string; score: number; threshold: number }[]>();
  for (const h of history) {
    for (const [id, version] of Object.entries(h.accepted.datasets)) push(datasetSeries, id, { sequence: h.sequence, at: h.at, version });
    for (const [id, a] of Object.entries(h.accepted.models))
      push(modelSeries, id, { sequence: h.sequence, at: h.at, version: a.version, metrics: a.metrics });
    for (const [id, a] of Object.entries(h.accepted.workflows)) push(workflowSeries, id, { sequence: h.sequence, at: h.at, ...a });
  }

  const usersOfDataset = new Map<string, { workflow: string; node: string; model: string }[]>();
  const usersOfModel = new Map<string, { workflow: string; node: string; dataset: string }[]>();
  for (const w of m.workflows) {
    for (const n of w.nodes) {
      push(usersOfDataset, n.dataset, { workflow: w.id, node: n.id, model: n.model });
      push(usersOfModel, n.model, { workflow: w.id, node: n.id, dataset: n.dataset });
    }
  }
  const trainedOn = new Map<string, { id: string; version: string; trained_on: string; stale: boolean; status: string }[]>();
  for (const x of m.models) {
    for (const [ds, v] of Object.entries(x.datasets)) {
      const current = m.datasets.find((d) => d.id === ds)?.version;
      push(trainedOn, ds, {
        id: x.id,
        version: x.version,
        trained_on: v,
        stale: current !== undefined && current !== v,
        status: modelResult.get(x.id)?.status ?? 'unchanged',
      });
    }
  }

  for (const d of m.datasets) {
    const res = datasetResult.get(d.id);
    files.set(`entities/datasets/${d.id}.json`, {
      kind: 'dataset',
      id: d.id,
      chunk: nodes.get(`dataset:${d.id}`)!.chunk,
      version: d.version,
      dvc: d.dvc ?? null,
      description: d.description ?? '',
      meta: d.meta,
      file: d.file,
      accepted_version: res?.accepted_version ?? null,
      changed: res?.changed ?? false,
      models: (trainedOn.get(d.id) ?? []).sort((a, b) => cmp(a.id, b.id)),
      used_by: (usersOfDataset.get(d.id) ?? []).sort((a, b) => cmp(a.workflow, b.workflow) || cmp(a.node, b.node)),
      history: datasetSeries.get(d.id) ?? [],
    });
  }
  for (const x of m.models) {
    const res = modelResult.get(x.id)!;
    files.set(`entities/models/${x.id}.json`, {
      kind: 'model',
      id: x.id,
      chunk: nodes.get(`model:${x.id}`)!.chunk,
      version: x.version,
      description: x.description,
      file: x.file,
      metrics_file: x.metrics ?? null,
      status: res.status,
      stale: res.stale,
      reasons: res.reasons,
      accepted_version: res.accepted_version,
      datasets: res.datasets,
      conditions: res.conditions,
      gate: x.gate.map((c) => c.text),
      accepted_metrics: lock.models[x.id]?.metrics ?? {},
      used_by: (usersOfModel.get(x.id) ?? []).sort((a, b) => cmp(a.workflow, b.workflow) || cmp(a.node, b.node)),
      history: modelSeries.get(x.id) ?? [],
    });
  }
  for (const w of m.workflows) {
    const res = workflowResult.get(w.id)!;
    files.set(`entities/workflows/${w.id}.json`, {
      kind: 'workflow',
      id: w.id,
      version: w.version,
      description: w.description ?? '',
      file: w.file,
      status: res.status,
      reasons: res.reasons,
      accepted_version: res.accepted_version,
      score: res.score,
      accepted_score: res.accepted_score,
      threshold: res.threshold,
      max_drop: res.max_drop,
      nodes: res.nodes.map((n) => ({
        ...n,
        layer: (nodes.get(`node:${w.id}/${n.id}`)?.layer ?? 2) - 2,
        chunk: nodes.get(`node:${w.id}/${n.id}`)?.chunk ?? 0,
      })),
      history: workflowSeries.get(w.id) ?? [],
    });
  }
  for (const h of history) files.set(`evaluations/${h.sequence}.json`, h);

  files.set('ids.json', {
    datasets: m.datasets.map((d) => d.id).sort(cmp),
    models: m.models.map((x) => x.id).sort(cmp),
    workflows: m.workflows.map((w) => w.id).sort(cmp),
    evaluations: history.map((h) => h.sequence),
  });

  const failing = [
    ...r.models.filter((x) => x.status === 'fail').map((x) => ({ kind: 'model', id: x.id, version: x.version, reasons: x.reasons })),
    ...r.workflows.filter((x) => x.status === 'fail').map((x) => ({ kind: 'workflow', id: x.id, version: x.version, reasons: x.reasons })),
  ];
  const stale = r.models
    .filter((x) => x.stale)
    .map((x) => ({ id: x.id, version: x.version, datasets: x.datasets.filter((d) => d.current !== d.trained_on) }));
  const passed = [
    ...r.models
      .filter((x) => x.status === 'pass')
      .map((x) => ({ kind: 'model', id: x.id, version: x.version, accepted_version: x.accepted_version })),
    ...r.workflows
      .filter((x) => x.status === 'pass')
      .map((x) => ({ kind: 'workflow', id: x.id, version: x.version, accepted_version: x.accepted_version, score: x.score })),
  ];
  // The graph opens on what the latest change touched: a changed dataset, else a failing model, else the first model.
  const firstFailing = failing.find((f) => f.kind === 'model');
  const startKey = r.datasets.find((d) => d.changed)
    ? `dataset:${r.datasets.find((d) => d.changed)!.id}`
    : firstFailing
      ? `model:${firstFailing.id}`
      : m.models.length
        ? `model:${[...m.models].sort((a, b) => cmp(a.id, b.id))[0]!.id}`
        : m.datasets.length
          ? `dataset:${[...m.datasets].sort((a, b) => cmp(a.id, b.id))[0]!.id}`
          : '';
  files.set('overview.json', {
    graph_start: startKey ? { key: startKey, chunk: nodes.get(startKey)!.chunk } : null,
    status: r.status,
    fingerprint: r.fingerprint,
    summary: r.summary,
    errors: r.errors.slice(0, OVERVIEW_LIMIT),
    errors_total: r.errors.length,
    counts: {
      datasets: m.datasets.length,
      models: m.models.length,
      workflows: m.workflows.length,
      nodes: m.workflows.reduce((s, w) => s + w.nodes.length, 0),
      evaluations: history.length,
      accepted_models: Object.keys(lock.models).length,
      accepted_workflows: Object.keys(lock.workflows).length,
    },
    failing: failing.slice(0, OVERVIEW_LIMIT),
    failing_total: failing.length,
    passed: passed.slice(0, OVERVIEW_LIMIT),
    passed_total: passed.length,
    changed_datasets: r.datasets
      .filter((d) => d.changed)
      .slice(0, OVERVIEW_LIMIT)
      .map((d) => ({ id: d.id, accepted_version: d.accepted_version, version: d.version })),
    stale: stale.slice(0, OVERVIEW_LIMIT),
    stale_total: stale.length,
    weakened: r.weakened,
    removed: r.removed,
    recent: history
      .slice(-10)
      .reverse()
      .map((h) => ({
        sequence: h.sequence,
        at: h.at,
        status: h.status,
        fingerprint: h.fingerprint,
        accepted_models: Object.keys(h.accepted.models).length,
        accepted_workflows: Object.keys(h.accepted.workflows).length,
        rejected: [...h.rejected.models, ...h.rejected.workflows],
      })),
  });

  // Search: ids, descriptions and meta values, as an inverted index sharded by the first two characters of each token.
  const shards = new Map<string, Map<string, Set<string>>>();
  const index = (entry: string, text: string) => {
    for (const token of tokens(text)) {
      const shard = shardOf(token);
      let map = shards.get(shard);
      if (!map) {
        map = new Map();
        shards.set(shard, map);
      }
      let set = map.get(token);
      if (!set) {
        set = new Set();
        map.set(token, set);
      }
      set.add(entry);
    }
  };
  for (const d of m.datasets) index(`dataset:${d.id}`, `${d.id} ${d.description ?? ''} ${metaText(d.meta)}`);
  for (const x of m.models) index(`model:${x.id}`, `${x.id} ${x.description}`);
  for (const w of m.workflows) index(`workflow:${w.id}`, `${w.id} ${w.description ?? ''}`);
  for (const [shard, map] of shards) {
    files.set(
      `search/${shard}.json`,
      Object.fromEntries([...map].sort(([a], [b]) => cmp(a, b)).map(([t, set]) => [t, [...set].sort(cmp).slice(0, 200)])),
    );
  }
  return { files };
}

/** Lower-case word tokens of 2 to 40 characters; ids also contribute their parts split at _ . - */
export function tokens(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}_.-]+/u)) {
    const word = raw.replace(/^[._-]+|[._-]+$/g, '');
    if (word.length >= 2 && word.length <= 40) out.add(word);
    for (const part of word.split(/[_.-]+/)) if (part.length >= 2 && part.length <= 40) out.add(part);
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

/** Breadth-first from each unvisited node in key order, over edges in both directions; CHUNK_SIZE nodes a chunk. */
function assignChunks(nodes: Map<string, GraphNode>, ins: Map<string, GraphEdge[]>, outs: Map<string, GraphEdge[]>): void {
  const seen = new Set<string>();
  let index = 0;
  for (const start of [...nodes.keys()].sort(cmp)) {
    if (seen.has(start)) continue;
    seen.add(start);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const key = queue[head]!;
      nodes.get(key)!.chunk = Math.floor(index++ / CHUNK_SIZE);
      const next = [...(outs.get(key) ?? []).map((e) => e.to), ...(ins.get(key) ?? []).map((e) => e.from)].sort(cmp);
      for (const k of next) {
        if (seen.has(k) || !nodes.has(k)) continue;
        seen.add(k);
        queue.push(k);
      }
    }
  }
}

function metaText(meta: Record<string, unknown>): string {
  return Object.values(meta)
    .map((v) => (Array.isArray(v) ? v.join(' ') : typeof v === 'object' ? '' : String(v)))
    .join(' ');
}

function depths(nodes: readonly { id: string; needs: string[] }[]): Map<string, number> {
  const needs = new Map(nodes.map((n) => [n.id, n.needs]));
  const memo = new Map<string, number>();
  const depth = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, 0); // cycles are refused before this runs; this only guards
    const d = Math.max(0, ...(needs.get(id) ?? []).map((x) => depth(x) + 1));
    memo.set(id, d);
    return d;
  };
  for (const n of nodes) depth(n.id);
  return memo;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
