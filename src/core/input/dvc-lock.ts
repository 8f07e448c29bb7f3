// `dvc.lock` (schema 2.0, as DVC 2 and 3 write it) and the `dvc.yaml` beside it, read into a graph of stages with
// repository-relative paths: what each stage read (deps, with the hash recorded when it ran) and wrote (outs).
import { parseDocument } from './document.ts';
import { outRepoPath } from './dvc-file.ts';
import { type InputProblem, problem } from './problems.ts';

export interface LockEntry {
  /** As written in the lock. */
  path: string;
  repoPath: string | null;
  /** md5 (with ".dir" for a folder), else etag, else checksum, exactly as written; null when none is recorded. */
  hash: string | null;
  /** No `hash: md5` field: the entry was hashed by DVC 2, with the legacy dos2unix md5 for text files. */
  legacy: boolean;
  line: number | undefined;
}

export interface LockStage {
  name: string;
  deps: LockEntry[];
  outs: LockEntry[];
  line: number | undefined;
}

export interface DvcLock {
  file: string;
  stages: Map<string, LockStage>;
}

export interface YamlStage {
  /** Repository-relative metric files the stage declares (`metrics:`). */
  metrics: string[];
  /** Repository-relative outs declared as plots or metrics, which are never the model. */
  reports: string[];
  /** Repository-relative outs declared with `cache: false` (kept in git, so readable). */
  uncached: string[];
}

export interface DvcYaml {
  file: string;
  stages: Map<string, YamlStage>;
  /** Stage name → its wdir as written ('.' by default). */
  wdirs: Map<string, string>;
  /** Top-level `metrics:` files, repository-relative. */
  metrics: string[];
  /** `artifacts:` entries, repository-relative. */
  artifacts: { name: string; path: string; type: string | null; line: number | undefined }[];
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: InputProblem[] };

/** The dvc.yaml beside a lock: wdirs, per-stage metrics and plots, top-level metrics, artifacts. */
export function parseDvcYaml(text: string, file: string): Parsed<DvcYaml> {
  const parsed = parseDocument(text, file, 'yaml');
  if (!parsed.ok) return parsed;
  const doc = parsed.doc.value;
  const out: DvcYaml = { file, stages: new Map(), wdirs: new Map(), metrics: [], artifacts: [] };
  if (!isObj(doc)) return { ok: true, value: out };
  const rel = (wdir: string, p: string) => (p.includes('${') ? null : outRepoPath(file, wdir, p));
  const entries = (list: unknown): { path: string; opts: Raw }[] =>
    Array.isArray(list)
      ? list.flatMap((e) => {
          if (typeof e === 'string') return [{ path: e, opts: {} }];
          if (isObj(e) && Object.keys(e).length === 1) {
            const [path, opts] = Object.entries(e)[0]!;
            return [{ path, opts: isObj(opts) ? opts : {} }];
          }
          return [];
        })
      : [];
  if (isObj(doc.stages)) {
    for (const [name, s] of Object.entries(doc.stages)) {
      if (!isObj(s)) continue;
      const wdir = typeof s.wdir === 'string' ? s.wdir : '.';
      out.wdirs.set(name, wdir);
      const stage: YamlStage = { metrics: [], reports: [], uncached: [] };
      for (const key of ['outs', 'metrics', 'plots'] as const) {
        for (const e of entries(s[key])) {
          const p = rel(wdir, e.path);
          if (p === null) continue;
          if (key === 'metrics') stage.metrics.push(p);
          if (key !== 'outs') stage.reports.push(p);
          if (e.opts.cache === false) stage.uncached.push(p);
        }
      }
      out.stages.set(name, stage);
    }
  }
  for (const e of entries(doc.metrics)) {
    const p = rel('.', e.path);
    if (p !== null) out.metrics.push(p);
  }
  if (isObj(doc.artifacts)) {
    for (const [name, a] of Object.entries(doc.artifacts)) {
      if (!isObj(a) || typeof a.path !== 'string') continue;
      const p = rel('.', a.path);
      if (p !== null)
        out.artifacts.push({
          name,
          path: p,
          type: typeof a.type === 'string' ? a.type : null,
          line: parsed.doc.lineAt(['artifacts', name]),
        });
    }
  }
  return { ok: true, value: out };
}

/** A dvc.lock; `yaml` supplies each stage's wdir (paths in the lock are relative to it). */
export function parseDvcLock(text: string, file: string, yaml: DvcYaml | null): Parsed<DvcLock> {
  const parsed = parseDocument(text, file, 'yaml');
  if (!parsed.ok) return parsed;
  const at = parsed.doc.lineAt;
  const doc = parsed.doc.value;
  if (!isObj(doc) || doc.schema !== '2.0') {
    const schema = isObj(doc) && doc.schema !== undefined ? JSON.stringify(doc.schema) : 'none';
    return {
      ok: false,
      problems: [
        problem(file, `dvc.lock schema is ${schema}; lineage-gate reads schema '2.0' (DVC 2 and 3)`, {
          line: at(['schema']),
          field: 'schema',
          hint: "run `dvc repro` (or `dvc commit`) with DVC 2 or later, which rewrites the lock with schema: '2.0'",
        }),
      ],
    };
  }
  const stages = new Map<string, LockStage>();
  if (isObj(doc.stages)) {
    for (const [name, s] of Object.entries(doc.stages)) {
      if (!isObj(s)) continue;
      // foreach/matrix stages are written "name@key": their wdir is the template's.
      const wdir = yaml?.wdirs.get(name) ?? yaml?.wdirs.get(name.split('@')[0]!) ?? '.';
      const list = (key: 'deps' | 'outs'): LockEntry[] =>
        (Array.isArray(s[key]) ? s[key] : []).flatMap((e, i) => {
          if (!isObj(e) || typeof e.path !== 'string') return [];
          const hash = [e.md5, e.etag, e.checksum].find((h): h is string => typeof h === 'string' && h !== '') ?? null;
          return [
            {
              path: e.path,
              repoPath: outRepoPath(file, wdir, e.path),
              hash,
              legacy: e.hash === undefined,
              line: at(['stages', name, key, i]),
            },
          ];
        });
      stages.set(name, { name, deps: list('deps'), outs: list('outs'), line: at(['stages', name]) });
    }
  }
  return { ok: true, value: { file, stages } };
}

/** Whether `path` is `root` or lies inside the folder `root`. */
export function within(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}
