// Which OpenLineage dataset each lineage-gate dataset is: the repository's namespace and the dataset id, unless the
// manifest's meta.openlineage names the dataset as Airflow, Spark or dbt report it, so the two merge in the consumer.
import type { LineIndex } from '../input/manifests.ts';
import { type InputProblem, problem } from '../input/problems.ts';
import { cmp } from '../order.ts';
import type { Dataset } from '../types.ts';
import type { DatasetRef } from './facets.ts';

/** Long enough for any URI a consumer uses as a namespace; short enough that a forged manifest cannot bloat events. */
const MAX_IDENTITY = 1024;

export interface Identities {
  /** OpenLineage identity of a dataset id; datasets no manifest declares any more keep the default. */
  dataset(id: string): DatasetRef;
  /** The model as an OpenLineage dataset: what a training run outputs and a gate or workflow run reads. */
  model(id: string): DatasetRef;
}

export function identities(
  namespace: string,
  datasets: readonly Dataset[],
  modelIds: readonly string[],
  lines: LineIndex,
): { ok: true; identities: Identities } | { ok: false; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const overrides = new Map<string, DatasetRef>();
  // Models are datasets too (model.<id> in the repository's namespace): a dataset may not take one's name either.
  const claimed = new Map<string, string>(modelIds.map((id) => [`${namespace}\u0000model.${id}`, `model ${id}`]));
  const sorted = [...datasets].sort((a, b) => cmp(a.id, b.id));
  for (const d of sorted) {
    const ol = d.meta.openlineage;
    const line = (field: string[]) => lines.get(d.file)?.(['meta', 'openlineage', ...field]);
    const bad = (message: string, field: string[] = []) =>
      problems.push(
        problem(d.file, `meta.openlineage${field.length ? `.${field.join('.')}` : ''}: ${message}`, {
          line: line(field),
          field: ['meta', 'openlineage', ...field].join('.'),
          hint: 'write meta: {openlineage: {namespace: "s3://bucket", name: "path/to/data"}} as your other tools report this dataset',
        }),
      );
    let ref: DatasetRef = { namespace, name: d.id };
    if (ol !== undefined) {
      if (ol === null || typeof ol !== 'object' || Array.isArray(ol)) {
        bad('must be an object with namespace and/or name');
        continue;
      }
      const o = ol as Record<string, unknown>;
      const extra = Object.keys(o).filter((k) => k !== 'namespace' && k !== 'name');
      if (extra.length > 0) bad(`unknown field ${extra.map((k) => `"${k}"`).join(', ')}`, [extra[0]!]);
      if (o.namespace === undefined && o.name === undefined) bad('give namespace, name or both');
      for (const k of ['namespace', 'name'] as const) {
        const v = o[k];
        if (v === undefined) continue;
        if (typeof v !== 'string' || v.length === 0 || v.length > MAX_IDENTITY || /[\u0000-\u001f\u007f]/.test(v))
          bad(`must be a non-empty string of at most ${MAX_IDENTITY} characters without control characters`, [k]);
        else ref = { ...ref, [k]: v };
      }
    }
    // Two datasets reported as one would merge two lineages in the consumer: refuse rather than guess.
    const key = `${ref.namespace}\u0000${ref.name}`;
    const other = claimed.get(key);
    if (other !== undefined) bad(`names the same OpenLineage dataset (${ref.namespace} ${ref.name}) as ${other}`);
    else claimed.set(key, `dataset ${d.id}`);
    overrides.set(d.id, ref);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    identities: {
      dataset: (id) => overrides.get(id) ?? { namespace, name: id },
      model: (id) => ({ namespace, name: `model.${id}` }),
    },
  };
}
