// A model (or a dataset) from a DVC pipeline: its version is the hash dvc.lock records for the out, and the datasets
// it was trained on are found by walking up the stage's deps through the stages that produced them, each at the hash
// the lock recorded for that dep when the stage ran.
import { cmp } from '../order.ts';
import { type DvcLock, type DvcYaml, type LockEntry, type LockStage, within } from './dvc-lock.ts';
import { type InputProblem, problem } from './problems.ts';

/** A dataset as the pipeline sees it: the repository path DVC tracks it at. */
export interface DatasetAtPath {
  id: string;
  path: string;
}

export interface DvcModel {
  version: string;
  /** Repository-relative path of the chosen out. */
  out: string;
  datasets: Record<string, string>;
  /** The metric file dvc.yaml declares for the stage or a stage consuming the out, when there is exactly one. */
  metrics?: string;
  /** Why the model is stale although its datasets look current: a stage ran on an older input than is now produced. */
  stale: string[];
  /** Deps that are neither datasets nor produced by a stage: code and configuration, with the hash recorded. */
  code: LockEntry[];
}

export interface ModelRef {
  /** The manifest asking, for errors. */
  file: string;
  line: number | undefined;
  stage: string;
  out?: string;
}

type Result<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

export function resolveDvcModel(ref: ModelRef, lock: DvcLock, yaml: DvcYaml | null, datasets: readonly DatasetAtPath[]): Result<DvcModel> {
  const fail = (message: string, hint: string, field = 'dvc'): Result<DvcModel> => ({
    ok: false,
    problems: [problem(ref.file, message, { line: ref.line, field, hint })],
  });
  const stage = lock.stages.get(ref.stage);
  if (!stage) {
    const names = [...lock.stages.keys()].sort(cmp);
    return fail(
      `dvc.stage: ${lock.file} has no stage "${ref.stage}"${names.length > 0 ? `; its stages are ${names.join(', ')}` : ''}`,
      'name the stage as dvc.lock writes it (foreach and matrix stages as name@key), or run `dvc repro` to record it',
      'dvc.stage',
    );
  }
  const out = chooseOut(stage, ref.out, yaml);
  if (!out.ok) return fail(out.message, out.hint, 'dvc.out');
  if (out.entry.hash === null)
    return fail(
      `${lock.file} records no hash for out ${out.entry.path} of stage ${stage.name}`,
      'run `dvc repro` or `dvc commit` so the lock records it',
    );
  const walked = walkDatasets(stage, lock, datasets);
  if (!walked.ok) return { ok: false, problems: walked.problems.map((p) => ({ ...p, file: ref.file, line: ref.line, field: 'dvc' })) };
  const value: DvcModel = { version: out.entry.hash, out: out.entry.repoPath!, ...walked.value };
  const metrics = defaultMetrics(stage, value.out, lock, yaml);
  if (metrics !== undefined) value.metrics = metrics;
  return { ok: true, value };
}

function chooseOut(
  stage: LockStage,
  want: string | undefined,
  yaml: DvcYaml | null,
): { ok: true; entry: LockEntry } | { ok: false; message: string; hint: string } {
  const list = stage.outs.map((o) => o.repoPath ?? o.path).join(', ') || 'none';
  if (want !== undefined) {
    const hit = stage.outs.find((o) => o.repoPath === want);
    return hit
      ? { ok: true, entry: hit }
      : {
          ok: false,
          message: `dvc.out: stage ${stage.name} has no out ${want}; its outs are ${list}`,
          hint: 'set out to one of these, relative to the manifest',
        };
  }
  const reports = new Set(yaml?.stages.get(stage.name)?.reports ?? []);
  const candidates = stage.outs.filter((o) => o.repoPath !== null && !reports.has(o.repoPath));
  if (candidates.length === 1) return { ok: true, entry: candidates[0]! };
  const models = new Set((yaml?.artifacts ?? []).filter((a) => a.type === 'model').map((a) => a.path));
  const artifacts = candidates.filter((o) => models.has(o.repoPath!));
  if (artifacts.length === 1) return { ok: true, entry: artifacts[0]! };
  return {
    ok: false,
    message: `dvc.out: stage ${stage.name} has ${candidates.length === 0 ? 'no out that can be a model' : `several outs (${list})`}, and dvc.yaml declares ${artifacts.length === 0 ? 'none of them' : 'more than one of them'} as an artifact of type model`,
    hint: 'add out: <path of the model, relative to the manifest>, or declare the model under artifacts: with type: model in dvc.yaml',
  };
}

/** Stages whose outs contain `path`: the one that wrote it (an exact out first). */
function producer(path: string, lock: DvcLock): { stage: LockStage; out: LockEntry } | null {
  let best: { stage: LockStage; out: LockEntry } | null = null;
  for (const s of [...lock.stages.values()].sort((a, b) => cmp(a.name, b.name))) {
    for (const o of s.outs) {
      if (o.repoPath === null || !within(path, o.repoPath)) continue;
      if (o.repoPath === path) return { stage: s, out: o };
      best ??= { stage: s, out: o };
    }
  }
  return best;
}

function walkDatasets(
  start: LockStage,
  lock: DvcLock,
  datasets: readonly DatasetAtPath[],
): Result<Pick<DvcModel, 'datasets' | 'stale' | 'code'>> {
  const byPath = new Map(datasets.map((d) => [d.path, d.id]));
  const found = new Map<string, { hash: string; stage: string }>();
  const problems: InputProblem[] = [];
  const stale: string[] = [];
  const code: LockEntry[] = [];
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const stage = queue.shift()!;
    if (seen.has(stage.name)) continue;
    seen.add(stage.name);
    for (const dep of stage.deps) {
      if (dep.repoPath === null) {
        code.push(dep);
        continue;
      }
      const id = byPath.get(dep.repoPath);
      if (id !== undefined) {
        if (dep.hash === null) {
          problems.push(
            problem(lock.file, `stage ${stage.name} records no hash for dataset ${id} (${dep.path})`, {
              line: dep.line,
              hint: 'run `dvc repro` so the lock records what the stage read',
            }),
          );
          continue;
        }
        const before = found.get(id);
        if (before && before.hash !== dep.hash)
          problems.push(
            problem(
              lock.file,
              `dataset ${id} (${dep.repoPath}) is recorded at two versions: ${before.hash} by stage ${before.stage} and ${dep.hash} by stage ${stage.name}`,
              { line: dep.line, hint: 'run `dvc repro` so every stage ran on the same version of the dataset' },
            ),
          );
        else if (!before) found.set(id, { hash: dep.hash, stage: stage.name });
        continue;
      }
      const inside = datasets.find((d) => within(dep.repoPath!, d.path));
      if (inside) {
        problems.push(
          problem(
            lock.file,
            `stage ${stage.name} reads ${dep.repoPath}, a part of dataset ${inside.id} (${inside.path}), whose version the lock cannot tell`,
            {
              line: dep.line,
              hint: `make the stage depend on ${inside.path} as a whole, or declare ${dep.repoPath} as a dataset of its own`,
            },
          ),
        );
        continue;
      }
      const made = producer(dep.repoPath, lock);
      if (!made || made.stage.name === stage.name) {
        code.push(dep);
        continue;
      }
      if (made.out.repoPath === dep.repoPath && made.out.hash !== dep.hash)
        stale.push(
          `not reproduced: stage ${stage.name} ran on ${dep.repoPath} at ${dep.hash ?? 'an unrecorded version'}, but stage ${made.stage.name} now produces ${made.out.hash ?? 'an unrecorded version'}; run \`dvc repro\``,
        );
      queue.push(made.stage);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const out: Record<string, string> = {};
  for (const id of [...found.keys()].sort(cmp)) out[id] = found.get(id)!.hash;
  return { ok: true, value: { datasets: out, stale, code } };
}

/** dvc.yaml's metric file for the stage, else for the stages that read the model: only when there is exactly one. */
function defaultMetrics(stage: LockStage, out: string, lock: DvcLock, yaml: DvcYaml | null): string | undefined {
  if (!yaml) return undefined;
  const of = (s: LockStage): string[] => {
    const own = yaml.stages.get(s.name)?.metrics ?? [];
    const top = yaml.metrics.filter((m) => s.outs.some((o) => o.repoPath !== null && within(m, o.repoPath)));
    return [...new Set([...own, ...top])];
  };
  const mine = of(stage);
  if (mine.length === 1) return mine[0];
  if (mine.length > 1) return undefined;
  const consumers = [...lock.stages.values()].filter((s) => s.deps.some((d) => d.repoPath !== null && within(d.repoPath, out)));
  const theirs = [...new Set(consumers.flatMap(of))];
  return theirs.length === 1 ? theirs[0] : undefined;
}

/** A dataset that is a stage's output: the hash the lock records for that out. */
export function resolveDvcDatasetOut(
  lock: DvcLock,
  out: string,
  where: { file: string; line: number | undefined },
): Result<{ version: string; stage: string }> {
  const made = producer(out, lock);
  if (!made || made.out.repoPath !== out) {
    const outs = [...lock.stages.values()].flatMap((s) => s.outs.map((o) => o.repoPath ?? o.path)).sort(cmp);
    return {
      ok: false,
      problems: [
        problem(
          where.file,
          `dvc.out: no stage of ${lock.file} writes ${out}${outs.length > 0 ? `; the outs are ${outs.join(', ')}` : ''}`,
          {
            line: where.line,
            field: 'dvc.out',
            hint: 'name a stage out exactly, relative to the manifest',
          },
        ),
      ],
    };
  }
  if (made.out.hash === null)
    return {
      ok: false,
      problems: [
        problem(where.file, `${lock.file} records no hash for ${out}`, {
          line: where.line,
          field: 'dvc.out',
          hint: 'run `dvc repro` or `dvc commit`',
        }),
      ],
    };
  return { ok: true, value: { version: made.out.hash, stage: made.stage.name } };
}
