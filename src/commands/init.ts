// `lineage-gate init`: writes a starting lineage root (from the repository's DVC files with --from-dvc), never
// overwriting a file, and says what it wrote and what to edit next.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { findRepoRoot, openRepo } from '../adapters/repo-fs.ts';
import { datasetManifest, idFrom, modelManifest, type StartingDataset, type StartingModel } from '../core/init/templates.ts';
import { parseDocument } from '../core/input/document.ts';
import { outRepoPath } from '../core/input/dvc-file.ts';
import { parseDvcLock, parseDvcYaml, within } from '../core/input/dvc-lock.ts';
import { formatProblem, type InputProblem } from '../core/input/problems.ts';
import { cmp } from '../core/order.ts';
import { plain } from '../core/render/text.ts';
import { type Command, EXIT, flag, str, UsageError } from './command.ts';

/** Folders that never hold a project's own DVC files. */
const SKIP = new Set(['.git', '.dvc', 'node_modules']);

export const init: Command = {
  name: 'init',
  usage: 'init   [--root DIR] [--from-dvc] [--stage NAME]...',
  options: { 'from-dvc': { type: 'boolean', default: false }, stage: { type: 'string', multiple: true } },
  async run(v, _args, io) {
    const rootAbs = path.resolve(str(v, 'root')!);
    const repoRoot = await findRepoRoot(rootAbs);
    const rootRel = path.relative(repoRoot, rootAbs).split(path.sep).join('/');
    if (rootRel.startsWith('..')) throw new UsageError('--root must lie inside the repository');
    const stages = ((v as Record<string, unknown>).stage as string[] | undefined) ?? [];
    const fromDvc = flag(v, 'from-dvc');
    if (stages.length > 0 && !fromDvc) throw new UsageError('--stage goes with --from-dvc');
    const repo = openRepo(repoRoot);
    const under = (p: string) => (rootRel ? `${rootRel}/${p}` : p);
    const found = fromDvc ? await discover(repoRoot, stages) : plainStart();
    if (found.problems.length > 0) {
      io.err(`lineage-gate init: ${found.problems.length} problem(s) in the DVC files; nothing was written\n`);
      for (const p of found.problems) io.err(`  ${plain(formatProblem(p))}\n`);
      return EXIT.invalid;
    }
    const schema = (manifest: string, name: string) =>
      path.posix.relative(path.posix.dirname(manifest), `node_modules/lineage-gate/schemas/${name}.schema.json`);
    const rel = (manifest: string, target: string) => path.posix.relative(path.posix.dirname(manifest), target);
    const files: [string, string][] = [];
    for (const d of found.datasets) {
      const file = under(`datasets/${d.id}.yaml`);
      const dvc =
        d.dvc === undefined
          ? undefined
          : typeof d.dvc === 'string'
            ? rel(file, d.dvc)
            : 'lock' in d.dvc
              ? { lock: rel(file, d.dvc.lock), out: rel(file, d.dvc.out) }
              : { file: rel(file, d.dvc.file), out: rel(file, d.dvc.out) };
      files.push([file, datasetManifest({ ...d, ...(dvc !== undefined ? { dvc } : {}) }, schema(file, 'dataset'))]);
    }
    for (const m of found.models) {
      const file = under(`models/${m.id}.yaml`);
      const dvc = m.dvc ? { lock: rel(file, m.dvc.lock), stage: m.dvc.stage } : undefined;
      files.push([file, modelManifest({ ...m, ...(dvc ? { dvc } : {}) }, schema(file, 'model'))]);
    }
    const wrote: string[] = [];
    const kept: string[] = [];
    for (const [file, text] of files) {
      if (await exists(path.join(repoRoot, file))) kept.push(file);
      else {
        await repo.writeAtomic(file, text);
        wrote.push(file);
      }
    }
    const lines = [`lineage-gate init: wrote ${wrote.length} manifest(s) in ${rootRel || '.'}`];
    for (const f of wrote) lines.push(`  + ${f}`);
    for (const f of kept) lines.push(`  = ${f} (exists; left as it is)`);
    if (files.length === 0) lines.push('  found no .dvc file, no artifact of type model in dvc.yaml, and no --stage: nothing to write');
    lines.push(
      '',
      'Next:',
      '  1. Replace every "TODO(lineage-gate init)" description: check refuses them until you do.',
      '  2. Add gate conditions to each model (the comment in each model manifest shows the syntax).',
      '  3. Add workflows/ when models run together, then run: lineage-gate check' +
        (rootRel && rootRel !== 'lineage' ? ` --root ${rootRel}` : ''),
    );
    io.out(`${lines.map(plain).join('\n')}\n`);
    return EXIT.ok;
  },
};

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

interface Found {
  datasets: StartingDataset[];
  models: StartingModel[];
  problems: InputProblem[];
}

function plainStart(): Found {
  return {
    datasets: [{ id: 'example_dataset', version: '1' }],
    models: [{ id: 'example_model', version: '1', datasets: { example_dataset: '1' } }],
    problems: [],
  };
}

/** The repository's .dvc files and pipelines, as the manifests that describe them. */
async function discover(repoRoot: string, wanted: readonly string[]): Promise<Found> {
  const out: Found = { datasets: [], models: [], problems: [] };
  const files = await walk(repoRoot, '');
  const read = (rel: string) => fs.readFile(path.join(repoRoot, rel), 'utf8');
  const ids = new Set<string>();
  const unique = (id: string) => {
    let n = id;
    for (let i = 2; ids.has(n); i++) n = `${id}_${i}`;
    ids.add(n);
    return n;
  };
  const datasetPaths: string[] = [];
  for (const f of files.filter((x) => x.endsWith('.dvc'))) {
    const parsed = parseDocument(await read(f), f, 'yaml');
    if (!parsed.ok) {
      out.problems.push(...parsed.problems);
      continue;
    }
    const doc = parsed.doc.value as { outs?: { path?: unknown }[]; wdir?: unknown } | null;
    const outs = (Array.isArray(doc?.outs) ? doc.outs : [])
      .map((o) => (typeof o?.path === 'string' ? outRepoPath(f, typeof doc?.wdir === 'string' ? doc.wdir : '.', o.path) : null))
      .filter((p): p is string => p !== null);
    const base = f
      .split('/')
      .pop()!
      .replace(/\.dvc$/, '');
    if (outs.length === 1) {
      out.datasets.push({ id: unique(idFrom(base.replace(/\.[^.]*$/, ''), 'ds_')), dvc: f });
      datasetPaths.push(outs[0]!);
    } else
      for (const o of outs) {
        out.datasets.push({
          id: unique(
            idFrom(
              o
                .split('/')
                .pop()!
                .replace(/\.[^.]*$/, ''),
              'ds_',
            ),
          ),
          dvc: { file: f, out: o },
        });
        datasetPaths.push(o);
      }
  }
  const modelStages = new Set<string>();
  for (const y of files.filter((x) => x === 'dvc.yaml' || x.endsWith('/dvc.yaml'))) {
    const lockPath = y.replace(/dvc\.yaml$/, 'dvc.lock');
    const yaml = parseDvcYaml(await read(y), y);
    if (!yaml.ok) {
      out.problems.push(...yaml.problems);
      continue;
    }
    if (!files.includes(lockPath)) continue;
    const lock = parseDvcLock(await read(lockPath), lockPath, yaml.value);
    if (!lock.ok) {
      out.problems.push(...lock.problems);
      continue;
    }
    const stages = [...lock.value.stages.values()].sort((a, b) => cmp(a.name, b.name));
    for (const a of yaml.value.artifacts.filter((x) => x.type === 'model')) {
      const s = stages.find((st) => st.outs.some((o) => o.repoPath === a.path));
      if (s && !modelStages.has(`${lockPath}\u0000${s.name}`)) {
        modelStages.add(`${lockPath}\u0000${s.name}`);
        out.models.push({ id: unique(idFrom(a.name, '')), dvc: { lock: lockPath, stage: s.name } });
      }
    }
    for (const name of wanted) {
      if (!lock.value.stages.has(name) || modelStages.has(`${lockPath}\u0000${name}`)) continue;
      modelStages.add(`${lockPath}\u0000${name}`);
      out.models.push({ id: unique(idFrom(name, '')), dvc: { lock: lockPath, stage: name } });
    }
    // A stage out other stages read, from a stage that reads no dataset and no other stage's out (a download, say).
    const outsOf = new Map(stages.flatMap((s) => s.outs.filter((o) => o.repoPath !== null).map((o) => [o.repoPath!, s.name] as const)));
    for (const s of stages) {
      const fromData = s.deps.some(
        (d) =>
          d.repoPath !== null &&
          (datasetPaths.some((p) => within(d.repoPath!, p)) || [...outsOf.keys()].some((p) => within(d.repoPath!, p))),
      );
      if (fromData) continue;
      for (const o of s.outs) {
        if (o.repoPath === null || datasetPaths.includes(o.repoPath)) continue;
        const read = stages.some((t) => t !== s && t.deps.some((d) => d.repoPath !== null && within(d.repoPath, o.repoPath!)));
        if (!read) continue;
        out.datasets.push({ id: unique(idFrom(o.repoPath.split('/').pop()!, 'ds_')), dvc: { lock: lockPath, out: o.repoPath } });
      }
    }
  }
  const missing = wanted.filter((w) => ![...modelStages].some((k) => k.endsWith(`\u0000${w}`)));
  for (const w of missing)
    out.problems.push({
      file: 'dvc.lock',
      message: `--stage ${w}: no dvc.lock in the repository has a stage of that name`,
      hint: 'name the stage as dvc.lock writes it',
    });
  return out;
}

async function walk(root: string, rel: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries.sort((a, b) => cmp(a.name, b.name))) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory() && !SKIP.has(e.name)) out.push(...(await walk(root, child)));
    else if (e.isFile()) out.push(child);
  }
  return out;
}
