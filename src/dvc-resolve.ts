// The reading shell around the DVC rules: reads the .dvc files, dvc.lock and dvc.yaml the manifests name, and turns
// dataset and model drafts into entities with their versions, trained-on datasets and metric files filled in.
import type { CachedFile, CachedReader } from './cached-inputs.ts';
import { dvcFileVersion } from './core/input/dvc-file.ts';
import { dvcFileMd5 } from './core/input/dvc-hash.ts';
import { type DvcLock, type DvcYaml, parseDvcLock, parseDvcYaml, within } from './core/input/dvc-lock.ts';
import { type DatasetAtPath, resolveDvcDatasetOut, resolveDvcModel } from './core/input/dvc-model.ts';
import type { DatasetDraft, LineIndex, ModelDraft } from './core/input/manifests.ts';
import { type InputProblem, problem } from './core/input/problems.ts';
import { cmp } from './core/order.ts';
import type { Dataset, Model } from './core/types.ts';

/** A metric file dvc.lock records: it must be the file DVC produced. */
export interface MetricCheck {
  md5: string;
  legacy: boolean;
  stage: string;
  lock: string;
}

/** An out DVC keeps out of git (cached), for the hint when a metric file inside one is missing. */
export interface TrackedOut {
  path: string;
  by: string;
}

export interface Resolved {
  datasets: Dataset[];
  models: Model[];
  problems: InputProblem[];
  /** Model id → what its dvc.lock recorded for its metric file (DVC models whose metric file the lock lists). */
  metricChecks: Map<string, MetricCheck & { path: string }>;
  tracked: TrackedOut[];
  /** Models whose metric file came from dvc.yaml, so errors about it point at their `dvc` field. */
  metricsFromDvc: Set<string>;
}

/** `reader` opens files through the parse cache (cached-inputs.ts): what each parsed to is cached by its content. */
export async function resolveDvc(
  reader: CachedReader,
  drafts: { datasets: readonly DatasetDraft[]; models: readonly ModelDraft[] },
  lines: LineIndex,
): Promise<Resolved> {
  const problems: InputProblem[] = [];
  const out: Resolved = { datasets: [], models: [], problems, metricChecks: new Map(), tracked: [], metricsFromDvc: new Set() };
  const texts = new Map<string, Promise<CachedFile | null>>();
  /** Opens a file once; a failure is reported against the manifest field that named it. */
  const read = (rel: string, where: { file: string; field: string }, what: string): Promise<CachedFile | null> => {
    const key = `${rel}\u0000${where.file}\u0000${where.field}`;
    if (!texts.has(key))
      texts.set(
        key,
        reader.open(rel).then((r) => {
          if (r.ok) return r;
          problems.push(
            problem(where.file, `${where.field}: ${r.detail}`, {
              line: lines.get(where.file)?.(where.field.split('.')),
              field: where.field,
              hint:
                r.reason === 'symlink' ? `point at the ${what} itself, not a link` : `commit the ${what} DVC wrote, or correct the path`,
            }),
          );
          return null;
        }),
      );
    return texts.get(key)!;
  };
  const pipelines = new Map<string, Promise<{ lock: DvcLock; yaml: DvcYaml | null } | null>>();
  const pipeline = (lockPath: string, where: { file: string; field: string }) => {
    if (!pipelines.has(lockPath))
      pipelines.set(
        lockPath,
        (async () => {
          const lockFile = await read(lockPath, where, 'dvc.lock');
          if (lockFile === null) return null;
          const yamlPath = lockPath.replace(/[^/]*$/, 'dvc.yaml');
          const y = await reader.open(yamlPath);
          let yaml: DvcYaml | null = null;
          if (y.ok) {
            const parsed = y.derive(
              'dvc.yaml',
              (text) => parseDvcYaml(text, yamlPath),
              (r) => r.ok,
            );
            if (!parsed.ok) {
              problems.push(...parsed.problems);
              return null;
            }
            yaml = parsed.value;
          }
          // The lock's reading depends on its dvc.yaml, so that file's content is part of the key.
          const lock = lockFile.derive(
            `dvc.lock\u0000${y.ok ? y.blob : 'none'}`,
            (text) => parseDvcLock(text, lockPath, yaml),
            (r) => r.ok,
          );
          if (!lock.ok) {
            problems.push(...lock.problems);
            return null;
          }
          for (const s of lock.value.stages.values()) {
            const uncached = new Set(yaml?.stages.get(s.name)?.uncached ?? yaml?.stages.get(s.name.split('@')[0]!)?.uncached ?? []);
            for (const o of s.outs)
              if (o.repoPath !== null && !uncached.has(o.repoPath))
                out.tracked.push({ path: o.repoPath, by: `stage ${s.name} of ${lockPath}` });
          }
          return { lock: lock.value, yaml };
        })(),
      );
    return pipelines.get(lockPath)!;
  };

  // Datasets first: their DVC paths are what the models' stage deps are matched against.
  for (const d of drafts.datasets) {
    const { dvcRef, ...rest } = d;
    if (!dvcRef) {
      out.datasets.push({ ...rest, version: d.version! });
      continue;
    }
    let version: string;
    let path: string | undefined;
    if (dvcRef.kind === 'file') {
      const dvcFile = await read(dvcRef.file, { file: d.file, field: 'dvc' }, '.dvc file');
      if (dvcFile === null) continue;
      const v = dvcFile.derive(
        `.dvc\u0000${dvcRef.out ?? ''}`,
        (text) => dvcFileVersion(text, dvcRef.file, dvcRef.out),
        (r) => r.ok,
      );
      if (!v.ok) {
        problems.push(...v.problems);
        continue;
      }
      version = v.version;
      path = v.out.repoPath ?? undefined;
      if (path !== undefined) out.tracked.push({ path, by: dvcRef.file });
    } else {
      const p = await pipeline(dvcRef.lock, { file: d.file, field: 'dvc.lock' });
      if (p === null) continue;
      // Lines are looked up only for a message: a manifest whose parse came from the cache is not read for one.
      const where = {
        file: d.file,
        get line() {
          return lines.get(d.file)?.(['dvc']);
        },
      };
      const v = resolveDvcDatasetOut(p.lock, dvcRef.out, where);
      if (!v.ok) {
        problems.push(...v.problems);
        continue;
      }
      version = v.value.version;
      path = dvcRef.out;
    }
    if (d.version !== undefined && d.version !== version) {
      problems.push(
        problem(d.file, `version "${d.version}" differs from ${version}, which ${d.dvc} records`, {
          line: lines.get(d.file)?.(['version']),
          field: 'version',
          hint: 'remove "version": with "dvc" the version is read from DVC',
        }),
      );
      continue;
    }
    const ds: Dataset = { ...rest, version };
    if (path !== undefined) ds.path = path;
    out.datasets.push(ds);
  }

  const atPath: DatasetAtPath[] = out.datasets.filter((d) => d.path !== undefined).map((d) => ({ id: d.id, path: d.path! }));
  for (const m of drafts.models) {
    const { dvcRef, datasetsGiven, ...rest } = m;
    if (!dvcRef) {
      out.models.push({ ...rest, version: m.version! });
      continue;
    }
    const at = (field: string) => lines.get(m.file)?.(field.split('.'));
    const p = await pipeline(dvcRef.lock, { file: m.file, field: 'dvc.lock' });
    if (p === null) continue;
    const ref = {
      file: m.file,
      get line() {
        return at('dvc');
      },
      stage: dvcRef.stage,
      ...(dvcRef.out !== undefined ? { out: dvcRef.out } : {}),
    };
    const r = resolveDvcModel(ref, p.lock, p.yaml, atPath);
    if (!r.ok) {
      problems.push(...r.problems);
      continue;
    }
    const dvc = r.value;
    const disagree: InputProblem[] = [];
    const where = `stage ${dvcRef.stage} of ${dvcRef.lock}`;
    if (m.version !== undefined && m.version !== dvc.version)
      disagree.push(
        problem(m.file, `version "${m.version}" differs from ${dvc.version}, the hash ${where} records for ${dvc.out}`, {
          line: at('version'),
          field: 'version',
          hint: 'remove "version": with "dvc" it is read from dvc.lock (or run `dvc repro` if the lock is behind)',
        }),
      );
    if (datasetsGiven) {
      for (const id of [...new Set([...Object.keys(m.datasets), ...Object.keys(dvc.datasets)])].sort(cmp)) {
        const given = m.datasets[id];
        const locked = dvc.datasets[id];
        if (given === locked) continue;
        const message =
          given === undefined
            ? `datasets does not list ${id}, which ${where} was trained on at ${locked}`
            : locked === undefined
              ? `datasets.${id}: "${given}" is listed, but ${where} does not depend on dataset ${id}`
              : `datasets.${id}: "${given}" differs from ${locked}, the hash ${where} recorded for it`;
        disagree.push(
          problem(m.file, message, {
            line: at(given === undefined ? 'datasets' : `datasets.${id}`),
            field: given === undefined ? 'datasets' : `datasets.${id}`,
            hint: 'remove "datasets": with "dvc" they are read from dvc.lock',
          }),
        );
      }
    }
    if (disagree.length > 0) {
      problems.push(...disagree);
      continue;
    }
    const model: Model = {
      ...rest,
      version: dvc.version,
      datasets: dvc.datasets,
      dvc: { lock: dvcRef.lock, stage: dvcRef.stage, out: dvc.out },
    };
    if (model.metrics === undefined && dvc.metrics !== undefined) {
      model.metrics = dvc.metrics;
      out.metricsFromDvc.add(model.id);
    }
    if (dvc.stale.length > 0) model.stale_reasons = dvc.stale;
    // A metric file the lock records must be the one DVC produced: not edited after `dvc repro`.
    for (const s of [...p.lock.stages.values()].sort((a, b) => cmp(a.name, b.name))) {
      const o = s.outs.find((x) => x.repoPath !== null && x.repoPath === model.metrics && x.hash !== null);
      if (o && !out.metricChecks.has(model.id))
        out.metricChecks.set(model.id, { path: o.repoPath!, md5: o.hash!, legacy: o.legacy, stage: s.name, lock: dvcRef.lock });
    }
    const notes: string[] = [];
    for (const c of dvc.code) {
      if (c.repoPath === null || c.hash === null || c.hash.endsWith('.dir')) continue;
      const f = await reader.open(c.repoPath);
      if (!f.ok) continue;
      const legacy = c.legacy;
      if (
        f.derive(
          `md5\u0000${legacy}`,
          (text) => dvcFileMd5(new TextEncoder().encode(text), legacy),
          () => true,
        ) !== c.hash
      )
        notes.push(`code changed since dvc.lock was written: ${c.repoPath} (run \`dvc repro\` to retrain on it)`);
    }
    if (notes.length > 0) model.notes = [...new Set(notes)].sort(cmp);
    out.models.push(model);
  }
  return out;
}

/** The DVC out a missing metric file lies in, when DVC keeps that out in its cache instead of git. */
export function trackedOutOf(path: string, tracked: readonly TrackedOut[]): TrackedOut | undefined {
  return tracked.find((t) => within(path, t.path));
}
