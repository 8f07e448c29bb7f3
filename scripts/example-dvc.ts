// Writes the DVC side of examples/molecular-property as `dvc add` and `dvc repro` (DVC 3) would leave it at one point
// of the example's story: .dvc files for the raw datasets, dvc.yaml, params.yaml, the metric files and dvc.lock with
// the hashes DVC would record. DVC itself is not needed: the data stays out of git, as DVC keeps it, and every hash
// is computed the way DVC computes it (src/core/input/dvc-hash.ts).
// Usage: node scripts/example-dvc.ts <example dir> <1|2|3>
//   1: first models; 2: metabolism retrained with more trees; 3: ds_mol_20210421 moved to 3.13, dvc repro run.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dirHash } from '../src/core/input/dvc-hash.ts';

const [dir, stageArg] = process.argv.slice(2);
if (!dir || !['1', '2', '3'].includes(stageArg ?? '')) throw new Error('usage: node scripts/example-dvc.ts <example dir> <1|2|3>');
const stage = Number(stageArg);
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

/** Raw data: what `dvc add` hashed. The bytes stay in DVC's cache; their release is the file's content here. */
const RAW: Record<string, { file: string; release: string; size: number }> = {
  ds_mol_20210421: { file: 'mol_20210421.csv', release: stage === 3 ? '3.13' : '3.12_beta', size: stage === 3 ? 96121873 : 95873310 },
  ds_chembl_act_20210601: { file: 'chembl_act_20210601.csv', release: '29.1', size: 41288012 },
  ds_admet_20210502: { file: 'admet_20210502.csv', release: '1.4', size: 9631877 },
  ds_tox21_20210310: { file: 'tox21_20210310.csv', release: '2.0', size: 783104 },
  ds_solubility: { file: 'solubility.csv', release: '2021.1', size: 1048576 },
};
const rawMd5 = (id: string) => md5(`${id} ${RAW[id]!.release}\n`);

interface Model {
  id: string;
  key: string;
  datasets: string[];
  metrics: string;
  params: Record<string, number>;
  /** Metric file text at this point of the story. */
  text: string;
}

const s3 = stage === 3;
const MODELS: Model[] = [
  {
    id: 'mol_activity',
    key: 'activity',
    datasets: ['ds_chembl_act_20210601', 'ds_mol_20210421'],
    metrics: 'results/mol_activity.json',
    params: { n_estimators: 300, max_depth: 12 },
    text: `{\n  "test": {"auc": ${s3 ? '0.87' : '0.86'}, "precision": 0.71},\n  "train": {"auc": 0.93}\n}\n`,
  },
  {
    id: 'mol_physchem',
    key: 'physchem',
    datasets: ['ds_mol_20210421', 'ds_solubility'],
    metrics: 'results/mol_physchem.yaml',
    params: { alpha: 0.5 },
    text: `r2: ${s3 ? '0.89' : '0.88'}\nrmse: ${s3 ? '0.40' : '0.42'}\n`,
  },
  {
    id: 'mol_toxicity',
    key: 'toxicity',
    datasets: ['ds_mol_20210421', 'ds_tox21_20210310'],
    metrics: 'results/mol_toxicity.json',
    params: { n_estimators: 500, max_depth: 8 },
    text: `{\n  "test": {"auc": ${s3 ? '0.86' : '0.91'}, "f1": 0.64}\n}\n`,
  },
  {
    id: 'wf_mol_property_0721',
    key: 'screening',
    datasets: ['ds_mol_20210421'],
    metrics: 'results/wf_mol_property_0721.csv',
    params: { threshold: 0.5 },
    text: `accuracy,precision,recall\n${s3 ? '0.85' : '0.84'},0.81,0.79\n`,
  },
  {
    id: 'mol_metabolism',
    key: 'metabolism',
    datasets: ['ds_admet_20210502'],
    metrics: 'results/mol_metabolism.csv',
    params: { n_estimators: stage === 1 ? 200 : 400 },
    text: stage === 1 ? 'metric,value\ntest.auc,0.80\ntest.f1,0.69\n' : 'metric,value\ntest.auc,0.82\ntest.f1,0.71\n',
  },
  {
    id: 'mol_druggability',
    key: 'druggability',
    datasets: ['ds_admet_20210502'],
    metrics: 'results/mol_druggability.yaml',
    params: { c: 1 },
    text: 'qed_acc: 0.78\nqed_f1: 0.74\n',
  },
];

const SRC: Record<string, string> = {
  'src/prepare.py':
    '"""Featurises the raw datasets a model needs (Morgan fingerprints, scaffold split) into features/<model>."""\nimport sys\n\nmodel = sys.argv[1]\nprint(f"prepare {model}")\n',
  'src/train.py':
    '"""Trains one property model on features/<model> into models/<model>.pkl."""\nimport sys\n\nmodel = sys.argv[1]\nprint(f"train {model}")\n',
  'src/evaluate.py':
    '"""Scores models/<model>.pkl on the held-out scaffolds and writes its metric file under results/."""\nimport sys\n\nmodel = sys.argv[1]\nprint(f"evaluate {model}")\n',
};
for (const [rel, text] of Object.entries(SRC)) write(rel, text);

// .dvc files, as `dvc add data/<file>` writes them (DVC 3), and the .gitignore it keeps.
for (const [id, r] of Object.entries(RAW))
  write(`data/${r.file}.dvc`, `outs:\n- md5: ${rawMd5(id)}\n  size: ${r.size}\n  hash: md5\n  path: ${r.file}\n`);
write(
  'data/.gitignore',
  `${Object.values(RAW)
    .map((r) => `/${r.file}`)
    .join('\n')}\n`,
);
write('features/.gitignore', `${MODELS.map((m) => `/${m.key}`).join('\n')}\n`);
write('models/.gitignore', `${MODELS.map((m) => `/${m.id}.pkl`).join('\n')}\n`);
write('.dvc/.gitignore', '/config.local\n/tmp\n/cache\n');
write('.dvc/config', '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://molecular-property/dvcstore\n');
write(
  '.dvcignore',
  '# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n',
);

const params = ['prepare:', '  split: scaffold', '  radius: 2', 'train:'];
for (const m of MODELS) {
  params.push(`  ${m.key}:`);
  for (const [k, v] of Object.entries(m.params)) params.push(`    ${k}: ${v}`);
}
write('params.yaml', `${params.join('\n')}\n`);

const yaml: string[] = ['stages:'];
for (const m of MODELS) {
  const raws = m.datasets.map((d) => `data/${RAW[d]!.file}`).sort();
  yaml.push(
    `  prepare_${m.key}:`,
    `    cmd: python src/prepare.py ${m.key}`,
    '    deps:',
    ...raws.map((p) => `    - ${p}`),
    '    - src/prepare.py',
    '    params:',
    '    - prepare.radius',
    '    - prepare.split',
    '    outs:',
    `    - features/${m.key}`,
    `  train_${m.key}:`,
    `    cmd: python src/train.py ${m.key}`,
    '    deps:',
    `    - features/${m.key}`,
    '    - src/train.py',
    '    params:',
    ...Object.keys(m.params).map((k) => `    - train.${m.key}.${k}`),
    '    outs:',
    `    - models/${m.id}.pkl`,
    `  evaluate_${m.key}:`,
    `    cmd: python src/evaluate.py ${m.key}`,
    '    deps:',
    `    - features/${m.key}`,
    `    - models/${m.id}.pkl`,
    '    - src/evaluate.py',
    '    metrics:',
    `    - ${m.metrics}:`,
    '        cache: false',
  );
}
yaml.push('artifacts:');
for (const m of MODELS) yaml.push(`  ${m.id}:`, `    path: models/${m.id}.pkl`, '    type: model');
write('dvc.yaml', `${yaml.join('\n')}\n`);

// dvc.lock as `dvc repro` writes it: deps and outs sorted by path, each with hash, md5 and size (nfiles for folders).
const entry = (p: string, hash: string, size: number, nfiles?: number) =>
  [`    - path: ${p}`, '      hash: md5', `      md5: ${hash}`, `      size: ${size}`, ...(nfiles ? [`      nfiles: ${nfiles}`] : [])].join(
    '\n',
  );
const srcEntry = (p: string) => entry(p, md5(SRC[p]!), Buffer.byteLength(SRC[p]!));
const lock: string[] = ["schema: '2.0'", 'stages:'];
for (const m of MODELS) {
  write(m.metrics, m.text);
  const files = ['test.parquet', 'train.parquet'].map((f) => ({
    relpath: f,
    md5: md5(`${m.key} ${f} ${m.datasets.map(rawMd5).join(' ')}`),
  }));
  const features = dirHash(files);
  const featureSize = 1000 * (m.key.length + 40);
  const model = md5(`${m.id} ${features} ${JSON.stringify(m.params)}`);
  const modelSize = 500_000 + 1000 * m.key.length;
  const rawDeps = m.datasets.map((d) => ({ p: `data/${RAW[d]!.file}`, d })).sort((a, b) => (a.p < b.p ? -1 : 1));
  lock.push(
    `  prepare_${m.key}:`,
    `    cmd: python src/prepare.py ${m.key}`,
    '    deps:',
    ...rawDeps.map(({ p, d }) => entry(p, rawMd5(d), RAW[d]!.size)),
    srcEntry('src/prepare.py'),
    '    params:',
    '      params.yaml:',
    '        prepare.radius: 2',
    '        prepare.split: scaffold',
    '    outs:',
    entry(`features/${m.key}`, features, featureSize, 2),
    `  train_${m.key}:`,
    `    cmd: python src/train.py ${m.key}`,
    '    deps:',
    entry(`features/${m.key}`, features, featureSize, 2),
    srcEntry('src/train.py'),
    '    params:',
    '      params.yaml:',
    ...Object.entries(m.params).map(([k, v]) => `        train.${m.key}.${k}: ${v}`),
    '    outs:',
    entry(`models/${m.id}.pkl`, model, modelSize),
    `  evaluate_${m.key}:`,
    `    cmd: python src/evaluate.py ${m.key}`,
    '    deps:',
    entry(`features/${m.key}`, features, featureSize, 2),
    entry(`models/${m.id}.pkl`, model, modelSize),
    srcEntry('src/evaluate.py'),
    '    outs:',
    entry(m.metrics, md5(m.text), Buffer.byteLength(m.text)),
  );
}
write('dvc.lock', `${lock.join('\n')}\n`);
