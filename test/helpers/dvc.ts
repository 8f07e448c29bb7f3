// DVC files for tests, written exactly as DVC 3 writes them.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Report } from '../../src/core/types.ts';
import { cli } from './cli.ts';

/** A pipeline as DVC 3 writes it: prepare → featurize → train → evaluate, with a raw dataset tracked by a .dvc file. */
export function pipeline(h: { raw: string; prepared?: string; features: string; trainFeatures?: string; model: string; metrics: string }) {
  const yaml = `stages:
  prepare:
    cmd: python src/prepare.py data/raw.csv
    deps:
    - data/raw.csv
    - src/prepare.py
    params:
    - prepare.split
    outs:
    - data/prepared
  featurize:
    cmd: python src/featurize.py data/prepared data/features
    deps:
    - data/prepared
    - src/featurize.py
    outs:
    - data/features
  train:
    cmd: python src/train.py data/features model.pkl
    deps:
    - data/features
    - src/train.py
    params:
    - train.seed
    outs:
    - model.pkl
  evaluate:
    cmd: python src/evaluate.py model.pkl data/features
    deps:
    - data/features
    - model.pkl
    - src/evaluate.py
    metrics:
    - eval/metrics.json:
        cache: false
artifacts:
  tox-model:
    path: model.pkl
    type: model
`;
  const prepared = h.prepared ?? '153aad06d376b6595932470e459ef42a.dir';
  const lock = `schema: '2.0'
stages:
  prepare:
    cmd: python src/prepare.py data/raw.csv
    deps:
    - path: data/raw.csv
      hash: md5
      md5: ${h.raw}
      size: 19
    - path: src/prepare.py
      hash: md5
      md5: f09ea0c15980b43010257ccb9f0055e2
      size: 1576
    params:
      params.yaml:
        prepare.split: 0.2
    outs:
    - path: data/prepared
      hash: md5
      md5: ${prepared}
      size: 8437363
      nfiles: 2
  featurize:
    cmd: python src/featurize.py data/prepared data/features
    deps:
    - path: data/prepared
      hash: md5
      md5: ${prepared}
      size: 8437363
      nfiles: 2
    - path: src/featurize.py
      hash: md5
      md5: e0265fc22f056a4b86d85c3056bc2894
      size: 2490
    outs:
    - path: data/features
      hash: md5
      md5: ${h.features}
      size: 2232588
      nfiles: 2
  train:
    cmd: python src/train.py data/features model.pkl
    deps:
    - path: data/features
      hash: md5
      md5: ${h.trainFeatures ?? h.features}
      size: 2232588
      nfiles: 2
    - path: src/train.py
      hash: md5
      md5: c3961d777cfbd7727f9fde4851896006
      size: 967
    params:
      params.yaml:
        train.seed: 20170428
    outs:
    - path: model.pkl
      hash: md5
      md5: ${h.model}
      size: 1953721
  evaluate:
    cmd: python src/evaluate.py model.pkl data/features
    deps:
    - path: data/features
      hash: md5
      md5: ${h.features}
      size: 2232588
      nfiles: 2
    - path: model.pkl
      hash: md5
      md5: ${h.model}
      size: 1953721
    - path: src/evaluate.py
      hash: md5
      md5: 44e714021a65edf881b1716e791d7f59
      size: 2346
    outs:
    - path: eval/metrics.json
      hash: md5
      md5: ${h.metrics}
      size: 40
`;
  return { yaml, lock };
}

/** What `dvc repro` leaves when a stage writes a new metric file: the file, and its md5 in dvc.lock. */
export function rewriteMetricFile(dir: string, rel: string, edit: (text: string) => string): void {
  const file = path.join(dir, rel);
  const before = readFileSync(file, 'utf8');
  const after = edit(before);
  writeFileSync(file, after);
  const lock = path.join(dir, 'dvc.lock');
  const md5 = (t: string) => createHash('md5').update(t).digest('hex');
  writeFileSync(lock, readFileSync(lock, 'utf8').replace(`md5: ${md5(before)}`, `md5: ${md5(after)}`));
}

/** The versions in force in the shipped example (a DVC project: most are hashes), by dataset and model id. */
export async function exampleVersions(): Promise<Record<string, string>> {
  const r = await cli(['check', '--root', 'examples/molecular-property/lineage', '--json', '-']);
  const report = JSON.parse(r.out) as Report;
  return Object.fromEntries([...report.datasets, ...report.models].map((e) => [e.id, e.version]));
}

/** The version the shipped example's lock accepted for a model or dataset (read synchronously, for test tables). */
export function exampleAccepted(kind: 'models' | 'datasets', id: string): string {
  const lock = parse(readFileSync('examples/molecular-property/lineage/associations.lock.yaml', 'utf8')) as Record<
    string,
    Record<string, { version: string }>
  >;
  return lock[kind]![id]!.version;
}

/** The hash the shipped example's dvc.lock records for the first out of a stage: a DVC model's version now. */
export function exampleStageOut(stage: string): string {
  const lock = parse(readFileSync('examples/molecular-property/dvc.lock', 'utf8')) as {
    stages: Record<string, { outs: { md5: string }[] }>;
  };
  return lock.stages[stage]!.outs[0]!.md5;
}
