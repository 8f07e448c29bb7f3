// Everything the lineage site shows, as small JSON files (their shapes are site-contract.ts): one per entity page,
// one neighbourhood per graph node for the explorer, catalogue pages, evaluations and the pending one with what each
// moved, search shards, and the overview. Pure: the CLI writes the files, the Astro project renders them.
import { compactReport, type HistoryRecord } from '../lock/history.ts';
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
import { buildSearchIndex, oneLine, type SearchEntry } from './search-index.ts';
import type {
  Before,
  CatalogueKind,
  CataloguePage,
  CatalogueRows,
  DatasetPage,
  DatasetRow,
  DiffFile,
  EvaluationFile,
  GateLine,
  IdsFile,
  ModelPage,
  ModelRow,
  OverviewFile,
  WorkflowPage,
  WorkflowRow,
} from './site-contract.ts';

/**
 * Graph nodes per neighbourhood file. Nodes are grouped in breadth-first order, so neighbours mostly share a file
 * and a view of 150 nodes needs about ten fetches instead of one per node. At L a chunk is about 20 KB (5 KB
 * gzipped); 32 doubled the fetches and 128 the bytes, both for no gain measured.
 */
export const CHUNK_SIZE = 64;
/** Entries per list on the overview; the rest are counted. */
const OVERVIEW_LIMIT = 50;
/** Rows per catalogue page (a page stays far below 30 KB of gzipped HTML). */
export const CATALOGUE_PAGE = 200;
/** Metrics listed on a model's page; the rest are counted. */
export const METRICS_LIMIT = 300;

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
  /** Every model's metric file as committed (metric → value, null when not a finite number), where it could be read. */
  metrics?: ReadonlyMap<string, Readonly<Record<string, number | null>>>;
  /** The history record `accept` would write now: the pending evaluation; null when it would accept nothing. */
  pending?: HistoryRecord | null;
  /** When the pending evaluation happens (the evaluated commit's time), for a failing one that accepts nothing. */
  pendingAt?: string;
}): SiteFiles {
  const { report: r, manifests: m, lock, edges } = input;
  // A failing evaluation that would accept nothing is still what this change does: its page shows what failed.
  const pending: HistoryRecord | null =
    input.pending ??
    (r.status === 'fail'
      ? {
          sequence: lock.evaluations + 1,
          fingerprint: r.fingerprint,
          at: input.pendingAt ?? new Date(0).toISOString(),
          status: 'fail',
          accepted: { datasets: {}, models: {}, workflows: {} },
          rejected: {
            models: r.models.filter((x) => x.status === 'fail').map((x) => x.id),
            workflows: r.workflows.filter((x) => x.status === 'fail').map((x) => x.id),
          },
          report: compactReport(r),
        }
      : null);
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
  const datasetVersion = new Map(m.datasets.map((d) => [d.id, d.version]));
  const trainedOn = new Map<string, DatasetPage['models']>();
  for (const x of m.models) {
    for (const [ds, v] of Object.entries(x.datasets)) {
      const current = datasetVersion.get(ds);
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
    } satisfies DatasetPage);
  }
  for (const x of m.models) {
    const res = modelResult.get(x.id)!;
    const accepted = lock.models[x.id];
    const all = input.metrics?.get(x.id);
    const names = all ? Object.keys(all).sort(cmp) : [];
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
      datasets: res.datasets.map((d) => ({ ...d, accepted_trained_on: accepted?.datasets[d.id] ?? null })),
      conditions: res.conditions,
      gate: x.gate.map((c) => c.text),
      gate_lines: x.gate.map((c): GateLine => {
        // Where the line is drawn; the table shows the exact decimals.
        const baseline = accepted?.metrics[c.metric];
        const n = Number(c.rhs.n);
        let value: number | null = null;
        if (c.rhs.kind === 'number') value = n;
        else if (baseline !== undefined) {
          const delta = c.rhs.percent ? (baseline * n) / 100 : n;
          value =
            c.rhs.arith === '+' ? baseline + delta : c.rhs.arith === '-' ? baseline - delta : c.rhs.arith === '*' ? baseline * n : baseline;
        }
        // The report's expected value is what SQL compared against; prefer it where there is one.
        const evaluated = res.conditions.find((k) => k.text === c.text)?.expected;
        return { text: c.text, metric: c.metric, op: c.op, value: evaluated ?? value };
      }),
      accepted_metrics: accepted?.metrics ?? {},
      metrics: all ? Object.fromEntries(names.slice(0, METRICS_LIMIT).map((k) => [k, all[k] ?? null])) : null,
      metrics_more: Math.max(0, names.length - METRICS_LIMIT),
      used_by: (usersOfModel.get(x.id) ?? []).sort((a, b) => cmp(a.workflow, b.workflow) || cmp(a.node, b.node)),
      history: modelSeries.get(x.id) ?? [],
    } satisfies ModelPage);
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
    } satisfies WorkflowPage);
  }

  // Evaluations, and the pending one, each with what its entities were before it: any two can then be compared by
  // folding the records between them (the diff page), and each page says what it moved.
  const state: Before = { datasets: {}, models: {}, workflows: {} };
  const withBefore = (h: HistoryRecord): Before => {
    const before: Before = { datasets: {}, models: {}, workflows: {} };
    for (const id of Object.keys(h.accepted.datasets)) before.datasets[id] = state.datasets[id] ?? null;
    for (const id of Object.keys(h.accepted.models)) before.models[id] = state.models[id] ?? null;
    for (const id of Object.keys(h.accepted.workflows)) before.workflows[id] = state.workflows[id] ?? null;
    Object.assign(state.datasets, h.accepted.datasets);
    Object.assign(state.models, h.accepted.models);
    Object.assign(state.workflows, h.accepted.workflows);
    return before;
  };
  const diffOf = (h: HistoryRecord, sequence: number | 'pending', before: Before): DiffFile => ({
    sequence,
    at: h.at,
    status: h.status,
    accepted: h.accepted,
    rejected: h.rejected,
    before,
  });
  for (const h of history) {
    const before = withBefore(h);
    files.set(`evaluations/${h.sequence}.json`, { ...h, before } satisfies EvaluationFile);
    files.set(`diff/${h.sequence}.json`, diffOf(h, h.sequence, before));
  }
  if (pending) {
    // The lock is what was accepted; the pending record's "before" comes from it, not from the history's fold.
    const before: Before = { datasets: {}, models: {}, workflows: {} };
    for (const id of Object.keys(pending.accepted.datasets)) before.datasets[id] = lock.datasets[id]?.version ?? null;
    for (const id of Object.keys(pending.accepted.models)) {
      const a = lock.models[id];
      before.models[id] = a ? { version: a.version, metrics: a.metrics } : null;
    }
    for (const id of Object.keys(pending.accepted.workflows)) {
      const a = lock.workflows[id];
      before.workflows[id] = a ? { version: a.version, score: a.score, threshold: a.threshold } : null;
    }
    files.set('evaluations/pending.json', { ...pending, report: compactReport(r), before } satisfies EvaluationFile);
    files.set('diff/pending.json', diffOf(pending, 'pending', before));
  }

  // Catalogues: every dataset, model and workflow in pages of CATALOGUE_PAGE rows, failing first, then by id; the
  // whole list once more for the browser, which sorts and filters it.
  const failFirst = (a: { status?: string; id: string }, b: { status?: string; id: string }) =>
    Number(b.status === 'fail') - Number(a.status === 'fail') || cmp(a.id, b.id);
  const rows: { [K in CatalogueKind]: CatalogueRows[K][] } = {
    datasets: m.datasets
      .map(
        (d): DatasetRow => ({
          id: d.id,
          version: d.version,
          accepted_version: datasetResult.get(d.id)?.accepted_version ?? null,
          changed: datasetResult.get(d.id)?.changed ?? false,
          tags: tagsOf(d.meta),
          models: trainedOn.get(d.id)?.length ?? 0,
          line: oneLine(d.description ?? ''),
        }),
      )
      .sort((a, b) => Number(b.changed) - Number(a.changed) || cmp(a.id, b.id)),
    models: m.models
      .map((x): ModelRow => {
        const res = modelResult.get(x.id);
        return {
          id: x.id,
          version: x.version,
          accepted_version: res?.accepted_version ?? null,
          status: res?.status ?? 'unchanged',
          stale: res?.stale ?? false,
          datasets: Object.keys(x.datasets).length,
          line: oneLine(x.description),
        };
      })
      .sort(failFirst),
    workflows: m.workflows
      .map((w): WorkflowRow => {
        const res = workflowResult.get(w.id);
        return {
          id: w.id,
          version: w.version,
          status: res?.status ?? 'unchanged',
          score: res?.score ?? null,
          threshold: w.threshold,
          nodes: w.nodes.length,
          line: oneLine(w.description ?? ''),
        };
      })
      .sort(failFirst),
  };
  const pages = { datasets: 0, models: 0, workflows: 0 };
  const catalogue = <K extends CatalogueKind>(kind: K) => {
    const list = rows[kind];
    const count = Math.max(1, Math.ceil(list.length / CATALOGUE_PAGE));
    const tags = kind === 'datasets' ? [...new Set(rows.datasets.flatMap((d) => d.tags))].sort(cmp) : [];
    for (let p = 0; p < count; p++) {
      files.set(`catalogue/${kind}/${p + 1}.json`, {
        kind,
        page: p + 1,
        pages: count,
        total: list.length,
        rows: list.slice(p * CATALOGUE_PAGE, (p + 1) * CATALOGUE_PAGE),
        tags,
      } satisfies CataloguePage<K>);
    }
    files.set(`catalogue/${kind}.json`, list);
    pages[kind] = count;
  };
  catalogue('datasets');
  catalogue('models');
  catalogue('workflows');

  files.set('ids.json', {
    datasets: m.datasets.map((d) => d.id).sort(cmp),
    models: m.models.map((x) => x.id).sort(cmp),
    workflows: m.workflows.map((w) => w.id).sort(cmp),
    evaluations: history.map((h) => h.sequence),
    pending: pending !== null,
    catalogue_pages: pages,
  } satisfies IdsFile);

  const failing: OverviewFile['failing'] = [
    ...r.models
      .filter((x) => x.status === 'fail')
      .map((x) => ({ kind: 'model' as const, id: x.id, version: x.version, reasons: x.reasons })),
    ...r.workflows
      .filter((x) => x.status === 'fail')
      .map((x) => ({ kind: 'workflow' as const, id: x.id, version: x.version, reasons: x.reasons })),
  ];
  const stale = r.models
    .filter((x) => x.stale)
    .map((x) => ({ id: x.id, version: x.version, datasets: x.datasets.filter((d) => d.current !== d.trained_on) }));
  const passed: OverviewFile['passed'] = [
    ...r.models
      .filter((x) => x.status === 'pass')
      .map((x) => ({ kind: 'model' as const, id: x.id, version: x.version, accepted_version: x.accepted_version })),
    ...r.workflows
      .filter((x) => x.status === 'pass')
      .map((x) => ({ kind: 'workflow' as const, id: x.id, version: x.version, accepted_version: x.accepted_version, score: x.score })),
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
  } satisfies OverviewFile);

  // Search: ids, descriptions, versions, meta keys and values, metric names and workflow node ids.
  const entries: SearchEntry[] = [];
  for (const d of m.datasets)
    entries.push({
      key: `dataset:${d.id}`,
      status: datasetResult.get(d.id)?.changed ? 'changed' : 'unchanged',
      version: d.version,
      line: d.description ?? '',
      fields: {
        id: d.id,
        version: d.version,
        metaKey: Object.keys(d.meta).join(' '),
        metaValue: metaText(d.meta),
        description: d.description ?? '',
      },
    });
  for (const x of m.models) {
    const res = modelResult.get(x.id);
    entries.push({
      key: `model:${x.id}`,
      status: res?.stale ? 'stale' : (res?.status ?? 'unchanged'),
      version: x.version,
      line: x.description,
      fields: { id: x.id, version: x.version, metric: x.gate.map((c) => c.metric).join(' '), description: x.description },
    });
  }
  for (const w of m.workflows) {
    const status = workflowResult.get(w.id)?.status ?? 'unchanged';
    entries.push({
      key: `workflow:${w.id}`,
      status,
      version: w.version,
      line: w.description ?? '',
      fields: {
        id: w.id,
        version: w.version,
        node: w.nodes.map((n) => n.id).join(' '),
        metric: w.nodes.map((n) => n.metric).join(' '),
        description: w.description ?? '',
      },
    });
    for (const n of w.nodes)
      entries.push({
        key: `node:${w.id}/${n.id}`,
        status,
        version: w.version,
        line: `Node of workflow ${w.id}: runs model ${n.model} on dataset ${n.dataset}, weight ${n.weight}.`,
        fields: { node: `${w.id}/${n.id}`, metric: n.metric },
      });
  }
  for (const [file, value] of buildSearchIndex(entries)) files.set(file, value);
  return { files };
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

/** A dataset's tags: its `tags` meta field, as a list of strings. */
function tagsOf(meta: Record<string, unknown>): string[] {
  const t = meta.tags;
  const list = Array.isArray(t) ? t : typeof t === 'string' ? t.split(',') : [];
  return [
    ...new Set(
      list
        .filter((x) => typeof x === 'string' || typeof x === 'number')
        .map((x) => String(x).trim())
        .filter(Boolean),
    ),
  ].sort(cmp);
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
