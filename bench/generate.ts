// Deterministic (seeded) generator of realistic lineage repositories for the benchmark: a git repository whose
// `main` holds the accepted state (manifests, metric files, lock, history) and whose branch `change` holds a pending
// change of a chosen size, checked out, as a CI runner checks out a pull request.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gitBlobId } from '../src/adapters/git-rev.ts';
import { type HistoryRecord, historyFileName, serializeHistory } from '../src/core/lock/history.ts';
import { serializeLock } from '../src/core/lock/lock-file.ts';
import type { Lock, LockNode } from '../src/core/types.ts';

export interface Size {
  name: string;
  datasets: number;
  models: number;
  workflows: number;
  minNodes: number;
  maxNodes: number;
  metricsPerModel: number;
}
export const SIZES: Record<'S' | 'M' | 'L', Size> = {
  S: { name: 'S', datasets: 100, models: 300, workflows: 20, minNodes: 6, maxNodes: 20, metricsPerModel: 100 },
  M: { name: 'M', datasets: 1_000, models: 3_000, workflows: 200, minNodes: 6, maxNodes: 20, metricsPerModel: 100 },
  L: { name: 'L', datasets: 10_000, models: 30_000, workflows: 1_000, minNodes: 6, maxNodes: 20, metricsPerModel: 100 },
};
export type Change = 'one-dataset' | 'one-percent' | 'one-model';

/** mulberry32: small, fast, and the same sequence on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const dsId = (i: number) => `ds_${pad(i, 5)}`;
const mId = (i: number) => `model_${pad(i, 5)}`;
const wfId = (i: number) => `wf_${pad(i, 4)}`;
/** Spread files over folders as a real repository would, 100 to a folder. */
const bucket = (i: number) => pad(Math.floor(i / 100), 3);
const round = (x: number) => Math.round(x * 10_000) / 10_000;

interface ModelSpec {
  id: string;
  datasets: number[];
  format: 'json' | 'yaml' | 'csv';
  gated: string[];
}

export interface Generated {
  dir: string;
  root: string;
  models: ModelSpec[];
  trainedBy: Map<number, number[]>;
  /** The commit on `main` holding the accepted state. */
  base: string;
}

/** Fixed identity and dates, so the same seed gives the same commits. */
const GIT_ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_'))),
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_AUTHOR_DATE: '2026-11-01T10:00:00Z',
  GIT_COMMITTER_DATE: '2026-11-01T10:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs git in the generated repository; returns its trimmed output. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: GIT_ENV, maxBuffer: 256 << 20 }).trim();
}

/** Commits everything in the work tree; returns the commit. */
function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

export function generate(dir: string, size: Size, seed = 42): Generated {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const rand = rng(seed);
  const pick = (n: number) => Math.floor(rand() * n);
  const write = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  const lock: Lock = { lock_version: 1, evaluations: 2, datasets: {}, models: {}, workflows: {} };

  for (let i = 0; i < size.datasets; i++) {
    const id = dsId(i);
    write(
      `lineage/datasets/${bucket(i)}/${id}.yaml`,
      `id: ${id}\nversion: "1"\ndescription: "Assay table ${i}: measurements for target family ${i % 37}."\nmeta:\n  creator: team-${i % 12}\n  rows: ${1000 + pick(1_000_000)}\n  features: ${5 + pick(2000)}\n  tags: [bench, family-${i % 37}]\n`,
    );
    lock.datasets[id] = { version: '1' };
  }

  const models: ModelSpec[] = [];
  const trainedBy = new Map<number, number[]>();
  const scores = new Map<string, Map<string, number>>();
  for (let i = 0; i < size.models; i++) {
    const id = mId(i);
    const n = 1 + pick(3);
    const datasets = [...new Set(Array.from({ length: n }, () => pick(size.datasets)))].sort((a, b) => a - b);
    for (const d of datasets) trainedBy.set(d, [...(trainedBy.get(d) ?? []), i]);
    const format = (['json', 'yaml', 'csv'] as const)[i % 3]!;
    const gated =
      i % 3 === 0
        ? ['test.m00 >= 0.5', 'test.m01 >= baseline - 0.1', 'val.m02 <= baseline * 1.5']
        : ['test.m00 >= 0.5', 'test.m01 >= baseline - 0.1'];
    const spec: ModelSpec = { id, datasets, format, gated };
    models.push(spec);
    const { values, metricFile } = writeModel(write, spec, size, rand, '1');
    scores.set(id, values);
    const metrics: Record<string, number> = { 'test.m00': values.get('test.m00')!, 'test.m01': values.get('test.m01')! };
    if (gated.length === 3) metrics['val.m02'] = values.get('val.m02')!;
    // As accept records it: the metric file read when this version was accepted, by its git blob id.
    lock.models[id] = {
      version: '1',
      datasets: Object.fromEntries(datasets.map((d) => [dsId(d), '1'])),
      gate: gated,
      metrics,
      metric_file: metricFile,
    };
  }

  for (let i = 0; i < size.workflows; i++) {
    const id = wfId(i);
    const count = size.minNodes + pick(size.maxNodes - size.minNodes + 1);
    const nodes: { id: string; model: string; dataset: string; weight: number; metric: string; needs: string[] }[] = [];
    for (let k = 0; k < count; k++) {
      const m = models[pick(models.length)]!;
      const needs = k === 0 ? [] : [...new Set(Array.from({ length: pick(3) }, () => `step${pad(pick(k), 2)}`))].sort();
      nodes.push({
        id: `step${pad(k, 2)}`,
        model: m.id,
        dataset: dsId(m.datasets[0]!),
        weight: round(0.05 + rand()),
        metric: 'test.m00',
        needs,
      });
    }
    const lines = [`id: ${id}`, 'version: "1"', `description: "Screening pipeline ${i}"`, 'threshold: 0.5', 'nodes:'];
    for (const n of nodes)
      lines.push(
        `  - { id: ${n.id}, model: ${n.model}, dataset: ${n.dataset}, weight: ${n.weight}, metric: ${n.metric}${n.needs.length ? `, needs: [${n.needs.join(', ')}]` : ''} }`,
      );
    write(`lineage/workflows/${bucket(i)}/${id}.yaml`, `${lines.join('\n')}\n`);
    const wsum = nodes.reduce((s, n) => s + n.weight, 0);
    const score = nodes.reduce((s, n) => s + n.weight * scores.get(n.model)!.get('test.m00')!, 0) / wsum;
    const pins: Record<string, LockNode> = {};
    for (const n of nodes)
      pins[n.id] = {
        model: n.model,
        model_version: '1',
        dataset: n.dataset,
        dataset_version: '1',
        weight: n.weight,
        metric: n.metric,
        score: scores.get(n.model)!.get('test.m00')!,
        needs: n.needs,
      };
    lock.workflows[id] = { version: '1', threshold: 0.5, score, nodes: pins };
  }

  const fp = (k: number) => pad(k, 64).replace(/0/g, 'a');
  lock.fingerprint = fp(2);
  write('lineage/associations.lock.yaml', serializeLock(lock));
  for (const seq of [1, 2]) {
    const h: HistoryRecord = {
      sequence: seq,
      fingerprint: fp(seq),
      at: `2026-0${seq}-01T00:00:00.000Z`,
      status: 'pass',
      accepted: { datasets: {}, models: {}, workflows: {} },
      rejected: { models: [], workflows: [] },
      report: {},
    };
    write(`lineage/${historyFileName(h)}`, serializeHistory(h));
  }
  const base = commitAll(dir, 'The accepted state');
  return { dir, root: path.join(dir, 'lineage'), models, trainedBy, base };
}

/** `versions`: dataset versions in force (after a pending change); datasets not in it are at version 1. */
function writeModel(
  write: (rel: string, text: string) => void,
  spec: ModelSpec,
  size: Size,
  rand: () => number,
  version: string,
  shift = 0,
  versions: ReadonlyMap<number, string> = new Map(),
): { values: Map<string, number>; metricFile: { path: string; blob: string } } {
  const values = new Map<string, number>();
  const half = size.metricsPerModel / 2;
  for (const split of ['test', 'val'])
    for (let k = 0; k < half; k++) values.set(`${split}.m${pad(k, 2)}`, round(0.6 + 0.39 * rand() + shift));
  const bucketOf = Math.floor(Number(spec.id.slice(6)) / 100);
  const metricsRel = `results/${pad(bucketOf, 3)}/${spec.id}.${spec.format}`;
  const manifest = [
    `id: ${spec.id}`,
    `version: "${version}"`,
    `description: "Predicts property ${spec.id.slice(6)} for candidate molecules; retrained when its assay tables change."`,
    `datasets: { ${spec.datasets.map((d) => `${dsId(d)}: "${versions.get(d) ?? '1'}"`).join(', ')} }`,
    `metrics: ../../../${metricsRel}`,
    `gate: [${spec.gated.map((g) => `"${g}"`).join(', ')}]`,
  ];
  write(`lineage/models/${pad(bucketOf, 3)}/${spec.id}.yaml`, `${manifest.join('\n')}\n`);
  let text: string;
  if (spec.format === 'csv') text = `metric,value\n${[...values].map(([k, v]) => `${k},${v}`).join('\n')}\n`;
  else {
    const nested: Record<string, Record<string, number>> = { test: {}, val: {} };
    for (const [k, v] of values) nested[k.split('.')[0]!]![k.split('.')[1]!] = v;
    text =
      spec.format === 'json'
        ? `${JSON.stringify(nested)}\n`
        : `${Object.entries(nested)
            .map(
              ([s, m]) =>
                `${s}:\n${Object.entries(m)
                  .map(([k, v]) => `  ${k}: ${v}`)
                  .join('\n')}`,
            )
            .join('\n')}\n`;
  }
  write(metricsRel, text);
  return { values, metricFile: { path: `../${metricsRel}`, blob: gitBlobId(Buffer.from(text)) } };
}

/**
 * The pending change, committed on the branch `change` (checked out): datasets moved to version 2 and every model
 * trained on them retrained, or one model retrained.
 */
export function applyChange(g: Generated, size: Size, change: Change, seed = 7): { datasets: number; models: number } {
  git(g.dir, 'checkout', '-q', '-b', 'change');
  const rand = rng(seed);
  const write = (rel: string, text: string) => {
    const p = path.join(g.dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  const chosen =
    change === 'one-dataset'
      ? [Math.floor(rand() * size.datasets)]
      : change === 'one-percent'
        ? pickDistinct(rand, size.datasets, Math.max(1, Math.round(size.datasets / 100)))
        : [];
  const retrain = new Set<number>();
  const versions = new Map<number, string>();
  for (const d of chosen) {
    versions.set(d, '2');
    const rel = `lineage/datasets/${bucket(d)}/${dsId(d)}.yaml`;
    write(rel, readFileSync(path.join(g.dir, rel), 'utf8').replace('version: "1"', 'version: "2"'));
    for (const m of g.trainedBy.get(d) ?? []) retrain.add(m);
  }
  if (change === 'one-model') retrain.add(Math.floor(rand() * size.models));
  for (const m of retrain) writeModel(write, g.models[m]!, size, rand, '2', 0.005, versions);
  commitAll(g.dir, `Pending change: ${change}`);
  return { datasets: chosen.length, models: retrain.size };
}

function pickDistinct(rand: () => number, n: number, k: number): number[] {
  const out = new Set<number>();
  while (out.size < k) out.add(Math.floor(rand() * n));
  return [...out].sort((a, b) => a - b);
}
