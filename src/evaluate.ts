// The imperative shell of one evaluation: read the repository, parse and validate, let DuckDB decide, build the report.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Db, openDb } from './adapters/duckdb.ts';
import { computeAffected, downstream, edges, evaluateGates, loadGraph } from './adapters/graph-db.ts';
import { NO_CACHE, type ParseCache } from './adapters/parse-cache.ts';
import type { Repo } from './adapters/repo-fs.ts';
import { cachedReader, openCache, readLock, readManifests } from './cached-inputs.ts';
import { dvcFileMd5 } from './core/input/dvc-hash.ts';
import { layoutWarnings } from './core/input/layout.ts';
import { KIND_DIRS, type Kind, type LineIndex, validateManifests } from './core/input/manifests.ts';
import type { Metrics } from './core/input/metrics.ts';
import { extensionFormat, relativeTo } from './core/input/paths.ts';
import { type InputProblem, problem, sortProblems } from './core/input/problems.ts';
import { LOCK_FILE, parseLock } from './core/lock/lock-file.ts';
import type { DownstreamRows } from './core/plan/plan.ts';
import { type Edge, EMPTY_LOCK, type Lock, type Manifests, type MetricFile, type Report } from './core/types.ts';
import { type Declared, pendingOnBase } from './core/verdict/change-scope.ts';
import { decide, type Pending } from './core/verdict/decide.ts';
import { buildReport, invalidReport } from './core/verdict/report.ts';
import { seenVersions } from './core/verdict/versions.ts';
import { findWeakenings } from './core/verdict/weaken.ts';
import { resolveDvc, trackedOutOf } from './dvc-resolve.ts';
import { readHistory } from './history-files.ts';
import { verifyAcceptedState } from './integrity.ts';
import { readModelMetrics } from './metric-files.ts';
import { metricIds } from './metric-ids.ts';
import { openSources, type Revision } from './sources.ts';

export interface EvaluateOptions {
  /** The lineage root as the user gave it (relative to cwd or absolute). */
  root: string;
  all?: boolean;
  /** Model or workflow ids to re-evaluate even when unchanged. */
  only?: readonly string[];
  /**
   * A git revision whose lock and history are the accepted state, read through git plumbing (no checkout). Without
   * it the work tree's lock is taken as accepted, which suits local use but not judging a change that may edit it.
   */
  base?: string;
  /** A git revision whose manifests and metric files are judged instead of the work tree's (read as data). */
  head?: string;
  /** Leave out the check of the change's lock and history against the base (for that check's own re-evaluation). */
  skipIntegrity?: boolean;
  /** Weakened gates do not fail the run (--allow-weakening, or the Action's label). */
  allowWeakening?: boolean;
  /** Stop once the manifests are read and their metric files identified: what a base declares, to compare a change with. */
  manifestsOnly?: boolean;
  /**
   * Folder of the parse cache (src/adapters/parse-cache.ts); false for none. By default under the repository's git
   * folder, else in a folder of this user's own in the temporary folder.
   */
  cache?: string | false;
  /** Where one-line notices go: a parse cache that was ignored or could not be written. By default nowhere. */
  notice?: (line: string) => void;
}

/** Queries over the loaded association graph, answered by the evaluation's own database. */
export interface EvaluatedGraph {
  /** Every edge with the versions in force at both ends, sorted. */
  edges(): Promise<Edge[]>;
  /** Everything downstream of what moved since it was accepted (the retrain plan's rows), or of one dataset or model. */
  downstream(id?: string): Promise<DownstreamRows>;
}

/** One evaluation. It owns an in-memory database while `graph` is open: `using ev = await evaluate(...)`, or close(). */
export interface Evaluation extends Disposable {
  /** Where the manifests and metric files were read: the work tree, or the --head revision. */
  repo: Repo;
  /** Where the lock and history were read: `repo`, or the --base revision. */
  state: Repo;
  /** The --base revision, resolved. */
  base: Revision | null;
  /** Lineage root relative to the repository, '' when it is the repository itself. */
  rootRel: string;
  /** The verdict: what the change touches decides, weakened gates fail unless allowed. */
  report: Report;
  /** The evaluation before that decision, against the accepted state as a whole: what accept and history use. */
  absolute: Report;
  manifests: Manifests | null;
  lock: Lock;
  /** Metric values read this run: model → metric → finite value. */
  values: Map<string, Map<string, number>>;
  /** Every declared metric file that exists, by model, with its blob id. */
  metricFiles: Map<string, MetricFile>;
  /** The loaded graph, until close(); null when input was invalid. */
  graph: EvaluatedGraph | null;
  /** Repository-relative files this evaluation read, sorted. */
  files: string[];
  /** Line of a field in a manifest, for annotations. */
  lines: LineIndex;
  /** How the parse cache served this run: its file (null when off), entries loaded, served and added. */
  parseCache?: { file: string | null; loaded: number; hits: number; added: number };
  /** Milliseconds spent in each phase, for the benchmark. */
  timings: Record<'read' | 'parse' | 'load' | 'affected' | 'metrics' | 'gates' | 'report', number>;
  /** Releases the database; graph is null afterwards. Safe to call twice. */
  close(): void;
}

/** Reading many small files at once is faster than one by one, but unbounded parallelism exhausts file handles. */
const READ_CONCURRENCY = 64;

export async function evaluate(opts: EvaluateOptions): Promise<Evaluation> {
  const all = opts.all ?? false;
  const opened = await openSources(opts);
  if (!opened.ok) {
    const repoRel = path.relative(process.cwd(), path.resolve(opts.root)) || '.';
    return withDb(null, null, {
      repo: nowhere,
      state: nowhere,
      base: null,
      rootRel: repoRel,
      ...twice(invalidReport(opened.problems, fingerprintOf(new Map(), all, opts.only ?? []), all)),
      manifests: null,
      lock: EMPTY_LOCK,
      values: new Map(),
      metricFiles: new Map(),
      files: [],
      lines: new Map(),
      timings: { read: 0, parse: 0, load: 0, affected: 0, metrics: 0, gates: 0, report: 0 },
    });
  }
  const src = opened.sources;
  const { repo, state, rootRel, rootAbs } = src;
  const notice = opts.notice ?? (() => {});
  const under = (p: string) => (rootRel ? `${rootRel}/${p}` : p);
  const hashed = new Map<string, string>();
  /** Records a file's fingerprint input: the SHA-256 of its text. */
  const remember = (file: string, digest: string) => hashed.set(file, digest);
  const fingerprint = () => fingerprintOf(hashed, all, opts.only ?? []);
  const timings: Evaluation['timings'] = { read: 0, parse: 0, load: 0, affected: 0, metrics: 0, gates: 0, report: 0 };
  let mark = performance.now();
  const phase = (name: keyof Evaluation['timings']) => {
    const now = performance.now();
    timings[name] += now - mark;
    mark = now;
  };
  const files = () => [...hashed.keys()].sort();
  let lines: LineIndex = new Map();
  const warnings: InputProblem[] = [];
  // In place: the report is completed later (its `base`), and must stay the one object the evaluation holds.
  const withWarnings = (r: Report): Report => {
    if (warnings.length > 0) r.warnings = sortProblems(warnings);
    return r;
  };
  let cache: ParseCache = NO_CACHE;
  const invalid = (problems: InputProblem[], manifests: Manifests | null = null): Evaluation =>
    withDb(null, src, {
      parseCache: { file: cache.file, ...cache.stats() },
      repo,
      state,
      base: src.base,
      rootRel,
      ...twice(withWarnings(invalidReport(problems, fingerprint(), all))),
      manifests,
      lock: EMPTY_LOCK,
      values: new Map(),
      metricFiles: new Map(),
      files: files(),
      lines,
      timings,
    });

  const rootExists = src.head
    ? (await repo.list(rootRel || '.')).length > 0 || rootRel === ''
    : (await fs.stat(rootAbs).catch(() => null))?.isDirectory();
  if (!rootExists) {
    return invalid([
      problem(rootRel || '.', 'the lineage root does not exist or is not a folder', {
        hint: 'create it with datasets/, models/ and workflows/ inside, or pass --root DIR',
      }),
    ]);
  }

  // 1. Read manifests and the lock.
  const problems: InputProblem[] = [];
  const listed: { kind: Kind; path: string }[] = [];
  const unread: { kind: Kind; path: string }[] = [];
  for (const kind of ['dataset', 'model', 'workflow'] as const) {
    const folder = under(KIND_DIRS[kind]);
    const refused = repo.folderProblem(folder);
    if (refused)
      problems.push(
        problem(folder, `${refused}; its manifests were not read`, {
          hint: 'make it a real folder inside the repository: links are not followed',
        }),
      );
    for (const p of await repo.list(folder)) {
      const f = extensionFormat(p);
      if (f === 'yaml' || f === 'json') listed.push({ kind, path: p });
      else unread.push({ kind, path: p });
    }
  }
  // Manifest-looking files where none are read, and a root with none: warnings beside the verdict.
  warnings.push(
    ...layoutWarnings({ root: rootRel, topLevel: src.head ? null : await topLevel(rootAbs), unread, manifests: listed.length }),
  );
  // Files whose content the cache knows are not read or parsed again; the rest are, and their parse is cached.
  cache = openCache({ dir: opts.cache, repoRoot: repo.root, gitDir: src.git?.gitDir ?? null }, notice);
  const read = await readManifests(repo, listed, cache, remember);
  problems.push(...read.problems);
  const lockPath = under(LOCK_FILE);
  const lockRead = await readLock(state, lockPath, cache, remember);
  if (!lockRead.ok && lockRead.reason !== 'missing')
    problems.push(
      problem(lockPath, `${lockRead.detail}${src.base ? ` at ${state.source}` : ''}`, { hint: 'restore the lock from the default branch' }),
    );

  phase('read');
  timings.read -= read.timings.parse;
  timings.parse += read.timings.parse;

  // 2. Parse, resolve DVC versions, validate across files.
  const parsed = read.parsed;
  lines = parsed.lines;
  problems.push(...parsed.problems);
  const dvc = await resolveDvc(cachedReader(repo, cache, remember), parsed, parsed.lines);
  problems.push(...dvc.problems);
  const lockParsed = lockRead.ok ? lockRead.parsed() : parseLock(null, lockPath);
  if (!lockParsed.ok) problems.push(...lockParsed.problems);
  const saved = await cache.save();
  if (saved) notice(saved);
  if (problems.length > 0) return invalid(problems);
  const manifests: Manifests = { datasets: dvc.datasets, models: dvc.models, workflows: parsed.workflows };
  const crossFile = validateManifests(manifests, parsed.lines);
  if (crossFile.length > 0) return invalid(crossFile, manifests);
  const lock = lockParsed.ok ? lockParsed.lock : EMPTY_LOCK;
  phase('parse');

  // 3. Every metric file a manifest names is an input of the accepted state, read or not: each is checked and its
  // blob id goes into the fingerprint and is compared with the lock's (git's index knows most ids without a read).
  const metricFiles = new Map<string, MetricFile>();
  const declaredMetrics = new Map<string, { path: string; blob: string | null }>();
  const metricPaths = [...new Set(manifests.models.flatMap((x) => (x.metrics === undefined ? [] : [x.metrics])))].sort();
  const blobs = await metricIds(repo, metricPaths);
  for (const x of manifests.models) {
    if (x.metrics === undefined) continue;
    const b = blobs.get(x.metrics)!;
    const fromRoot = relativeTo(rootRel, x.metrics);
    declaredMetrics.set(x.id, { path: fromRoot, blob: b.ok ? b.blob : null });
    if (b.ok) {
      metricFiles.set(x.id, { path: fromRoot, blob: b.blob });
      hashed.set(x.metrics, `blob ${b.blob}`);
    } else if (b.reason === 'missing') hashed.set(x.metrics, 'missing');
    else problems.push(metricsProblem(x.file, b, parsed.lines));
  }
  if (problems.length > 0) return invalid(problems, manifests);
  phase('read');
  if (opts.manifestsOnly)
    return withDb(null, src, {
      repo,
      state,
      base: src.base,
      rootRel,
      ...twice({ ...invalidReport([], fingerprint(), all), status: 'noop' }),
      manifests,
      lock,
      values: new Map(),
      metricFiles,
      files: files(),
      lines,
      timings,
    });

  // 4. Load the graph; DuckDB decides what is affected.
  const db = await openDb();
  try {
    await loadGraph(db, manifests, lock, declaredMetrics);
    phase('load');
    const needed = await computeAffected(db, all, opts.only ?? []);
    phase('affected');

    // 5. Read only the metric files the verdict depends on.
    const modelsById = new Map(manifests.models.map((x) => [x.id, x]));
    const wanted = new Map<string, Set<string>>();
    for (const x of manifests.models) wanted.set(x.id, new Set(x.gate.map((c) => c.metric)));
    for (const w of manifests.workflows) for (const n of w.nodes) wanted.get(n.model)?.add(n.metric);
    const fileStates = new Map<string, 'ok' | 'missing' | 'none'>();
    const metricHints = new Map<string, string>();
    const parsedMetrics = new Map<string, Metrics>();
    const values = new Map<string, Map<string, number>>();
    const texts = new Map<string, Map<string, string>>();
    await mapLimit(needed, READ_CONCURRENCY, async (id) => {
      const model = modelsById.get(id)!;
      if (model.metrics === undefined) return void fileStates.set(id, 'none');
      // The line only for a message: a manifest whose parse came from the cache is not read again for it.
      const where = {
        file: model.file,
        get line() {
          return parsed.lines.get(model.file)?.(['metrics']);
        },
      };
      const m = await readModelMetrics(repo, model.metrics, where);
      if (m.state === 'missing') {
        const inside = trackedOutOf(model.metrics, dvc.tracked);
        if (inside)
          metricHints.set(
            id,
            `it lies in ${inside.path}, which DVC keeps out of git (${inside.by}): declare the metric file with cache: false in dvc.yaml and commit it, or run \`dvc pull\` before lineage-gate`,
          );
        return void fileStates.set(id, 'missing');
      }
      if (m.state === 'invalid') return void problems.push(...m.problems);
      // Its blob id, not its text, is in the fingerprint already: the same whether or not this run reads it.
      const recorded = dvc.metricChecks.get(id);
      if (recorded && recorded.path === model.metrics && m.files.length === 1) {
        const actual = dvcFileMd5(new TextEncoder().encode(m.files[0]!.text), recorded.legacy);
        if (actual !== recorded.md5)
          return void problems.push(
            problem(
              model.file,
              `metrics: ${model.metrics} is not the file DVC produced: ${recorded.lock} records md5 ${recorded.md5} for it (stage ${recorded.stage}), and this file's is ${actual}`,
              {
                line: parsed.lines.get(model.file)?.([dvc.metricsFromDvc.has(id) ? 'dvc' : 'metrics']),
                field: dvc.metricsFromDvc.has(id) ? 'dvc' : 'metrics',
                hint: 'commit the metric file `dvc repro` wrote, or run `dvc repro` (or `dvc commit`) so the lock records this one',
              },
            ),
          );
      }
      fileStates.set(id, 'ok');
      parsedMetrics.set(id, m.metrics);
      const mine = new Map<string, number>();
      const mineText = new Map<string, string>();
      for (const name of wanted.get(id) ?? []) {
        const v = m.metrics.get(name);
        if (v?.value != null && v.text !== undefined) {
          mine.set(name, v.value);
          mineText.set(name, v.text);
        }
      }
      values.set(id, mine);
      texts.set(id, mineText);
    });
    if (problems.length > 0) {
      db.close();
      return invalid(problems, manifests);
    }
    phase('metrics');
    const loadValues = [...values]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([model, ms]) => [...ms].map(([metric, value]) => ({ model, metric, value, text: texts.get(model)!.get(metric)! })));
    const rows = await evaluateGates(db, { files: fileStates, values: loadValues });
    phase('gates');

    // 6. The report. A trained-on version the dataset is not at and was never accepted at is likelier a typo than
    // training to redo; the history is read to tell only when the lock alone cannot.
    let seen = seenVersions(manifests, lock, []);
    if (rows.staleEdges.some((e) => !seen.get(e.dataset_id)?.has(e.trained_on)))
      seen = seenVersions(manifests, lock, (await readHistory({ state, rootRel })).records);
    const absolute = buildReport({
      manifests,
      lock,
      rows,
      metrics: parsedMetrics,
      metricHints,
      metricFiles,
      weakened: findWeakenings(manifests, lock),
      fingerprint: fingerprint(),
      all,
      only: opts.only,
      seenVersions: seen,
    });
    phase('report');
    const result = withDb(db, src, {
      parseCache: { file: cache.file, ...cache.stats() },
      repo,
      state,
      base: src.base,
      rootRel,
      report: withWarnings(absolute),
      absolute,
      manifests,
      lock,
      values,
      metricFiles,
      files: files(),
      lines,
      timings,
    });
    // With a base, the lock and history the change carries must be the base's, or exactly what accept computes.
    let lockState: 'unchanged' | 'accepted' = 'unchanged';
    if (src.base && !opts.skipIntegrity) {
      const integrity = await verifyAcceptedState(result, opts.only ?? [], (o) =>
        evaluate({ ...opts, all: o.all, only: o.only, skipIntegrity: true }),
      );
      if (integrity.problems.length > 0) {
        db.close();
        return invalid(integrity.problems, manifests);
      }
      lockState = integrity.state;
    }
    // With a base, what the change leaves as the base declares it was pending there already and does not decide.
    const pending = src.base ? await pendingAgainst(opts, src.base.sha, { manifests, metricFiles }, lock) : null;
    result.report = decide(absolute, { allowWeakening: opts.allowWeakening ?? false, lock: lockState, pending });
    if (src.base) result.report.base = { name: src.base.name, sha: src.base.sha, lock: lockState };
    return result;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The evaluation with its database behind a narrow door: graph queries while open, close() to release. */
function withDb(
  db: Db | null,
  sources: { close(): void } | null,
  ev: Omit<Evaluation, 'graph' | 'close' | typeof Symbol.dispose>,
): Evaluation {
  let open = db;
  const graph: EvaluatedGraph = {
    edges: () => edges(open!),
    downstream: (id) => downstream(open!, id),
  };
  const close = () => {
    open?.close();
    open = null;
    result.graph = null;
    sources?.close();
  };
  const result: Evaluation = { ...ev, graph: db ? graph : null, close, [Symbol.dispose]: close };
  return result;
}

/** What the change leaves as `base` declares it; null when the base's manifests cannot be read (all is the change's). */
async function pendingAgainst(opts: EvaluateOptions, base: string, head: Declared, lock: Lock): Promise<Pending | null> {
  // The same parse cache: the base's unchanged files are the change's, so nearly all of them are served from it.
  using atBase = await evaluate({ root: opts.root, head: base, manifestsOnly: true, cache: opts.cache, notice: opts.notice });
  return atBase.manifests && atBase.report.status !== 'invalid'
    ? pendingOnBase(head, { manifests: atBase.manifests, metricFiles: atBase.metricFiles }, lock)
    : null;
}

/** An invalid evaluation's report is both its verdict and its absolute report. */
function twice(report: Report): { report: Report; absolute: Report } {
  return { report, absolute: report };
}

/** A metric file that exists but cannot be used (a link, not a file, too large, unreadable). */
function metricsProblem(file: string, r: { reason: string; detail: string }, lines: LineIndex): InputProblem {
  return problem(file, `metrics: ${r.detail}`, {
    line: lines.get(file)?.(['metrics']),
    field: 'metrics',
    hint: r.reason === 'symlink' ? 'commit the metric file itself, not a link to it' : 'check the metric file',
  });
}

/** The repository of an evaluation that could not open one: nothing to list or read. */
const nowhere: Repo = {
  root: process.cwd(),
  source: 'nowhere',
  list: async () => [],
  folderProblem: () => null,
  read: async (rel) => ({ ok: false, reason: 'missing', detail: `${rel} does not exist` }),
  readSync: (rel) => ({ ok: false, reason: 'missing', detail: `${rel} does not exist` }),
  knownIds: async () => new Map(),
  filesRead: () => new Map(),
  blobIds: async () => new Map(),
  writeAtomic: () => Promise.reject(new Error('no repository was opened')),
  remove: () => Promise.reject(new Error('no repository was opened')),
};

/** Every input that decided the verdict, in path order, so the same inputs always give the same fingerprint. */
function fingerprintOf(files: Map<string, string>, all: boolean, only: readonly string[]): string {
  const h = createHash('sha256').update(`lineage-gate fingerprint v1\nall=${all}\n`);
  if (only.length > 0) h.update(`only=${[...only].sort().join(',')}\n`);
  for (const p of [...files.keys()].sort()) h.update(`${p}\0${files.get(p)}\n`);
  return h.digest('hex');
}

/** The lineage root's top-level entries, for the layout warnings; none when it cannot be read. */
async function topLevel(dir: string): Promise<{ name: string; dir: boolean }[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.map((e) => ({ name: e.name, dir: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
