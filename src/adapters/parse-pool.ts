// Parsing manifests on more than one core. YAML parsing is most of `check` on a large repository (76 % at 41,000
// files), and it is pure, so the files are cut into contiguous runs: this thread parses the first while worker
// threads parse the others, and the runs are joined in file order, so the result (entities, problems and their
// order) is exactly what one thread would produce. Small repositories are parsed here alone: starting a worker
// (a V8 isolate, the YAML library, the compiled schemas) costs more than it saves below a few thousand files.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  joinParsed,
  type Kind,
  type ParsedManifests,
  type PlainParsed,
  parseManifestsPlain,
  type SourceFile,
  withLines,
} from '../core/input/manifests.ts';

/** The worker's file beside this one: TypeScript in a clone, JavaScript in the published package. */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './parse-worker.ts' : './parse-worker.js', import.meta.url);
/** Below this many files, one thread. */
export const PARALLEL_MIN_FILES = 4000;
/** Worker threads at most, besides this one. */
const MAX_WORKERS = 3;
/** This thread's share of the text against 1 for each worker. */
const MAIN_SHARE = 1.3;

/**
 * How many worker threads to use: LINEAGE_GATE_PARSE_THREADS when set (0 turns them off), else one per spare core,
 * up to MAX_WORKERS, and none for small repositories.
 */
export function parseThreads(fileCount: number, env: NodeJS.ProcessEnv = process.env): number {
  const set = env.LINEAGE_GATE_PARSE_THREADS;
  if (set !== undefined && /^\d{1,2}$/.test(set.trim())) return Math.min(Number(set.trim()), 16);
  return fileCount < PARALLEL_MIN_FILES ? 0 : Math.max(0, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

/**
 * `workers` overrides parseThreads. A worker that fails (it cannot start, runs out of memory) has its run parsed here
 * instead, unless `fallback` is false (for tests, which must know the threads ran).
 */
export async function parseManifestsParallel(
  files: readonly { kind: Kind; file: SourceFile }[],
  opts: { workers?: number; fallback?: boolean } = {},
): Promise<ParsedManifests> {
  return withLines(await parsePlainParallel(files, opts), files);
}

/** The same parse without line lookups, as plain data. */
export async function parsePlainParallel(
  files: readonly { kind: Kind; file: SourceFile }[],
  opts: { workers?: number; fallback?: boolean } = {},
): Promise<PlainParsed> {
  const workers = opts.workers ?? parseThreads(files.length);
  if (workers <= 0) return parseManifestsPlain(files);
  // Runs measured in text, not files: a workflow file is several times a dataset file. This thread takes a larger
  // run (weight MAIN_SHARE against 1 per worker), because a worker first starts and copies its files and results
  // (about 0.7 s at L on two cores); measured, that evens out when both finish.
  const total = files.reduce((sum, f) => sum + f.file.text.length, 0);
  const weights = [MAIN_SHARE, ...Array<number>(workers).fill(1)];
  const whole = weights.reduce((a, b) => a + b, 0);
  const runs: { kind: Kind; file: SourceFile }[][] = [[]];
  let acc = 0;
  let bound = (total * weights[0]!) / whole;
  for (const f of files) {
    if (acc >= bound && runs.length < weights.length) {
      bound += (total * weights[runs.length]!) / whole;
      runs.push([]);
    }
    runs.at(-1)!.push(f);
    acc += f.file.text.length;
  }
  // Started first, so the workers boot while this thread parses its own run.
  const remote = runs
    .slice(1)
    .map((run) => (opts.fallback === false ? inWorker(run) : inWorker(run).catch(() => parseManifestsPlain(run))));
  const local = parseManifestsPlain(runs[0]!);
  return joinParsed([local, ...(await Promise.all(remote))]);
}

function inWorker(run: readonly { kind: Kind; file: SourceFile }[]): Promise<PlainParsed> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: run });
    worker.once('message', (result: PlainParsed) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`manifest parser thread exited with code ${code}`)));
  });
}
