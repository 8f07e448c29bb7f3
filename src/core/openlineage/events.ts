// The lineage as OpenLineage RunEvents: each accepted evaluation from history, then the accepted lock, then the
// current evaluation, each contributing the dataset versions, model versions and gate runs it saw for the first time.
import type { HistoryRecord } from '../lock/history.ts';
import { cmp, sortDeep } from '../order.ts';
import type { Lock, Manifests, ModelResult, Report, WorkflowResult } from '../types.ts';
import {
  type DatasetRef,
  type EventDataset,
  FACET_SCHEMA,
  type Facet,
  facet,
  INTEGRATION,
  type JobType,
  type RunEvent,
  SPEC_URL,
} from './facets.ts';
import { historyReport } from './history-report.ts';
import type { Identities } from './identity.ts';

export interface LineageSource {
  manifests: Manifests;
  lock: Lock;
  /** The current evaluation (the same one `check` reports). */
  report: Report;
  /** Valid history records, in sequence order. */
  history: readonly HistoryRecord[];
}

export interface EventOptions {
  /** Namespace of lineage-gate's jobs and of models as datasets: the repository URL by default. */
  namespace: string;
  /** URI of the producing lineage-gate release (`producer` and every facet's `_producer`). */
  producer: string;
  /** RFC 3339 time of the current evaluation, and of accepted entries that no history record dates. */
  at: string;
  /** Leave out the current evaluation when it is not accepted yet (what the Action posts). */
  acceptedOnly: boolean;
  identities: Identities;
  /** A UUID derived from the key alone (UUIDv5), so that a re-export repeats every run id. */
  runId(key: string): string;
}

/** What one evaluation (or the lock) saw: entity versions, and the gate results it decided. */
interface Moment {
  at: string;
  fingerprint: string | null;
  datasets: { id: string; version: string }[];
  models: { id: string; version: string; datasets: Record<string, string> }[];
  gate1: ModelResult[];
  gate2: WorkflowResult[];
}

export function lineageEvents(src: LineageSource, opts: EventOptions): RunEvent[] {
  const events: RunEvent[] = [];
  const seen = new Set<string>();
  const runIdOf = (key: string) => opts.runId(`${opts.namespace}\u0000${key}`);
  /** Each run once: a version seen again later, or a fingerprint repeated in history, adds nothing. */
  const emit = (key: string, build: (runId: string) => RunEvent): string => {
    const runId = runIdOf(key);
    if (seen.has(key)) return runId;
    seen.add(key);
    events.push(sortDeep(build(runId)) as RunEvent);
    return runId;
  };
  const f = (schema: string, body: Record<string, unknown>): Facet => facet(opts.producer, schema, body);
  const jobFacets = (type: JobType, description?: string): Record<string, Facet> => {
    const facets: Record<string, Facet> = {
      jobType: f(FACET_SCHEMA.jobType, { processingType: 'BATCH', integration: INTEGRATION, jobType: type }),
    };
    if (description) facets.documentation = f(FACET_SCHEMA.jobDocumentation, { description, contentType: 'text/markdown' });
    return facets;
  };
  const versioned = (ref: DatasetRef, version: string, extra: Record<string, Facet> = {}): EventDataset => ({
    ...ref,
    facets: { version: f(FACET_SCHEMA.version, { datasetVersion: version }), ...extra },
  });
  const base = (at: string, name: string, type: JobType, runId: string, failed: boolean, description?: string) => ({
    eventTime: at,
    producer: opts.producer,
    schemaURL: SPEC_URL,
    eventType: failed ? ('FAIL' as const) : ('COMPLETE' as const),
    run: { runId },
    job: { namespace: opts.namespace, name, facets: jobFacets(type, description) },
  });
  const docFacet = (description: string | undefined): Record<string, Facet> =>
    description ? { documentation: f(FACET_SCHEMA.documentation, { description, contentType: 'text/markdown' }) } : {};
  const datasetDocs = new Map(src.manifests.datasets.map((d) => [d.id, d.description]));
  const modelDocs = new Map(src.manifests.models.map((m) => [m.id, m]));
  const workflowDocs = new Map(src.manifests.workflows.map((w) => [w.id, w.description]));

  for (const m of moments(src, opts)) {
    for (const d of m.datasets) {
      emit(`dataset\u0000${d.id}\u0000${d.version}`, (runId) => {
        const doc = datasetDocs.get(d.id);
        const extra = docFacet(doc);
        return {
          ...base(m.at, `dataset.${d.id}`, 'DATASET_VERSION', runId, false),
          inputs: [],
          outputs: [versioned(opts.identities.dataset(d.id), d.version, extra)],
        };
      });
    }
    for (const x of m.models) {
      emit(`train\u0000${x.id}\u0000${x.version}`, (runId) => {
        const declared = modelDocs.get(x.id);
        const doc = declared?.version === x.version ? declared.description : undefined;
        const extra = docFacet(doc);
        return {
          ...base(m.at, `model.${x.id}.train`, 'MODEL_TRAINING', runId, false),
          inputs: Object.keys(x.datasets)
            .sort(cmp)
            .map((ds) => versioned(opts.identities.dataset(ds), x.datasets[ds]!)),
          outputs: [versioned(opts.identities.model(x.id), x.version, extra)],
        };
      });
    }
    for (const r of m.gate1) {
      emit(`gate\u0000${r.id}\u0000${r.version}\u0000${m.fingerprint}`, (runId) => {
        const assertions = r.conditions.map((c) => ({
          assertion: c.text,
          success: c.result !== 'fail',
          severity: 'error',
          properties: { metric: c.metric, op: c.op, expected: c.expected, actual: c.actual, result: c.result },
        }));
        const tests = r.conditions.map((c) => {
          const t: Record<string, unknown> = {
            name: c.text,
            status: c.result === 'skipped' ? 'skip' : c.result,
            severity: 'error',
            type: 'gate_condition',
            content: c.text,
            contentType: 'lineage-gate-condition',
          };
          // The exact decimals the comparison used, when the report has them (records from before 0.2 do not).
          const expected = c.expected_text ?? (c.expected !== null ? String(c.expected) : null);
          const actual = c.actual_text ?? (c.actual !== null ? String(c.actual) : null);
          if (expected !== null) t.expected = expected;
          if (actual !== null) t.actual = actual;
          if (c.note) t.description = c.note;
          return t;
        });
        const input = versioned(opts.identities.model(r.id), r.version);
        input.inputFacets = { dataQualityAssertions: f(FACET_SCHEMA.dataQualityAssertions, { assertions }) };
        const e = base(m.at, `model.${r.id}.gate`, 'TEST', runId, r.status === 'fail');
        return {
          ...e,
          run: {
            runId,
            facets: {
              test: f(FACET_SCHEMA.test, { tests }),
              lineageGate_gate: f(FACET_SCHEMA.gate, {
                gate: 1,
                status: r.status,
                fingerprint: m.fingerprint,
                accepted_version: r.accepted_version,
                changed: r.changed,
                stale: r.stale,
                reasons: r.reasons,
              }),
            },
          },
          inputs: [input],
          outputs: [],
        };
      });
    }
    for (const w of m.gate2) {
      const parentKey = `workflow\u0000${w.id}\u0000${w.version}\u0000${m.fingerprint}`;
      if (seen.has(parentKey)) continue;
      const parentRun = emit(parentKey, (runId) => {
        const inputs = new Map<string, EventDataset>();
        for (const n of w.nodes) {
          const model = opts.identities.model(n.model);
          const data = opts.identities.dataset(n.dataset);
          inputs.set(`${model.namespace}\u0000${model.name}`, versioned(model, n.model_version));
          inputs.set(`${data.namespace}\u0000${data.name}`, versioned(data, n.dataset_version));
        }
        return {
          ...base(m.at, `workflow.${w.id}`, 'WORKFLOW', runId, w.status === 'fail', workflowDocs.get(w.id)),
          run: {
            runId,
            facets: {
              lineageGate_workflowScore: f(FACET_SCHEMA.workflowScore, {
                gate: 2,
                version: w.version,
                status: w.status,
                fingerprint: m.fingerprint,
                score: w.score,
                threshold: w.threshold,
                accepted_score: w.accepted_score,
                max_drop: w.max_drop,
                reasons: w.reasons,
                nodes: w.nodes.map(nodeFacetBody),
              }),
            },
          },
          inputs: [...inputs.keys()].sort(cmp).map((k) => inputs.get(k)!),
          outputs: [],
        };
      });
      for (const n of w.nodes) {
        emit(`node\u0000${w.id}\u0000${n.id}\u0000${w.version}\u0000${m.fingerprint}`, (runId) => {
          const parent = { run: { runId: parentRun }, job: { namespace: opts.namespace, name: `workflow.${w.id}` } };
          return {
            ...base(m.at, `workflow.${w.id}.${n.id}`, 'TASK', runId, n.score === null),
            run: {
              runId,
              facets: {
                parent: f(FACET_SCHEMA.parent, { ...parent, root: parent }),
                lineageGate_node: f(FACET_SCHEMA.node, nodeFacetBody(n)),
              },
            },
            inputs: [
              versioned(opts.identities.model(n.model), n.model_version),
              versioned(opts.identities.dataset(n.dataset), n.dataset_version),
            ],
            outputs: [],
          };
        });
      }
    }
  }
  return events;
}

function nodeFacetBody(n: WorkflowResult['nodes'][number]): Record<string, unknown> {
  return {
    id: n.id,
    model: n.model,
    model_version: n.model_version,
    dataset: n.dataset,
    dataset_version: n.dataset_version,
    metric: n.metric,
    weight: n.weight,
    score: n.score,
    contribution: n.contribution,
    headroom: n.headroom,
    needs: n.needs,
  };
}

/** History in sequence order, then what the lock holds that history does not date, then the current evaluation. */
function moments(src: LineageSource, opts: EventOptions): Moment[] {
  const out: Moment[] = [];
  for (const h of src.history) {
    const r = historyReport(h.report);
    const models = r.models.map((x) => ({ id: x.id, version: x.version, datasets: trainedOn(x) }));
    out.push({
      at: h.at,
      fingerprint: h.fingerprint,
      datasets: datasetVersions([
        ...r.datasets.map((d) => ({ id: d.id, version: d.version })),
        ...Object.entries(h.accepted.datasets).map(([id, version]) => ({ id, version })),
        ...fromModels(r.models),
        ...fromWorkflows(r.workflows),
      ]),
      models: byIdVersion(models),
      gate1: r.models.filter((x) => x.status !== 'unchanged').sort((a, b) => cmp(a.id, b.id)),
      gate2: r.workflows.filter((x) => x.status !== 'unchanged').sort((a, b) => cmp(a.id, b.id)),
    });
  }
  const lastAt = src.history.at(-1)?.at ?? opts.at;
  out.push({
    at: lastAt,
    fingerprint: null,
    datasets: datasetVersions([
      ...Object.entries(src.lock.datasets).map(([id, d]) => ({ id, version: d.version })),
      ...Object.values(src.lock.models).flatMap((x) => Object.entries(x.datasets).map(([id, version]) => ({ id, version }))),
    ]),
    models: byIdVersion(Object.entries(src.lock.models).map(([id, x]) => ({ id, version: x.version, datasets: x.datasets }))),
    gate1: [],
    gate2: [],
  });
  if (!opts.acceptedOnly && src.report.status !== 'invalid') {
    const r = src.report;
    out.push({
      at: opts.at,
      fingerprint: r.fingerprint,
      datasets: datasetVersions([
        ...r.datasets.map((d) => ({ id: d.id, version: d.version })),
        ...fromModels(r.models),
        ...fromWorkflows(r.workflows),
      ]),
      models: byIdVersion(r.models.map((x) => ({ id: x.id, version: x.version, datasets: trainedOn(x) }))),
      gate1: r.models.filter((x) => x.status !== 'unchanged'),
      gate2: r.workflows.filter((x) => x.status !== 'unchanged'),
    });
  }
  return out;
}

function trainedOn(x: ModelResult): Record<string, string> {
  return Object.fromEntries(x.datasets.map((d) => [d.id, d.trained_on]));
}

function fromModels(models: readonly ModelResult[]): { id: string; version: string }[] {
  return models.flatMap((x) =>
    x.datasets.flatMap((d) => [{ id: d.id, version: d.trained_on }, ...(d.current ? [{ id: d.id, version: d.current }] : [])]),
  );
}

function fromWorkflows(workflows: readonly WorkflowResult[]): { id: string; version: string }[] {
  return workflows.flatMap((w) =>
    w.nodes.filter((n) => n.dataset_version !== '').map((n) => ({ id: n.dataset, version: n.dataset_version })),
  );
}

function datasetVersions(list: { id: string; version: string }[]): { id: string; version: string }[] {
  return byIdVersion(list);
}

function byIdVersion<T extends { id: string; version: string }>(list: T[]): T[] {
  const unique = new Map<string, T>();
  for (const x of list) if (!unique.has(`${x.id}\u0000${x.version}`)) unique.set(`${x.id}\u0000${x.version}`, x);
  return [...unique.values()].sort((a, b) => cmp(a.id, b.id) || cmp(a.version, b.version));
}
