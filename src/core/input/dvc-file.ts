// `.dvc` files in every shape DVC has written: 0.x (stage md5 on top, outs with cache/metric/persist), 2.x, 3.x
// (`hash: md5`), directory outs (`.dir`, nfiles), `dvc import` (the out's md5, not the stage's), cloud-versioned
// `files:` lists (the directory hash computed as DVC computes it), and `import-url --no-download` (the dep's hash).
import { parseDocument } from './document.ts';
import { dirHash } from './dvc-hash.ts';
import { resolveFrom } from './paths.ts';
import { type InputProblem, problem } from './problems.ts';

export const MD5 = /^[0-9a-f]{32}(\.dir)?$/;
const FILE_MD5 = /^[0-9a-f]{32}$/;

export interface DvcFileOut {
  /** As written in the file. */
  path: string;
  /** Repository-relative, or null for an out outside the repository (a URL). */
  repoPath: string | null;
  index: number;
}

export type DvcFileVersion = { ok: true; version: string; out: DvcFileOut; outs: DvcFileOut[] } | { ok: false; problems: InputProblem[] };

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The version a `.dvc` file pins for one of its outs: the out's md5 exactly as DVC wrote it, else its etag or
 * checksum, else the directory hash of its `files:` list; for `import-url --no-download` the dep's hash prefixed by
 * its kind (`etag:…`). `want` is the repository-relative out path to take; without it the file must have one out.
 */
export function dvcFileVersion(text: string, file: string, want?: string): DvcFileVersion {
  const parsed = parseDocument(text, file, 'yaml');
  if (!parsed.ok) return parsed;
  const at = parsed.doc.lineAt;
  const fail = (message: string, path: (string | number)[], hint: string): DvcFileVersion => ({
    ok: false,
    problems: [problem(file, message, { line: at(path), field: path.join('.'), hint })],
  });
  const doc = parsed.doc.value;
  if (!isObj(doc) || !Array.isArray(doc.outs) || doc.outs.length === 0)
    return fail(
      'outs is missing or empty: this is not a .dvc file DVC wrote',
      ['outs'],
      'point dvc at the .dvc file that `dvc add` or `dvc import` wrote',
    );
  const wdir = typeof doc.wdir === 'string' ? doc.wdir : '.';
  const outs: DvcFileOut[] = [];
  for (const [index, o] of doc.outs.entries()) {
    if (!isObj(o) || typeof o.path !== 'string' || o.path === '')
      return fail(`outs.${index}.path is missing`, ['outs', index], 'every out of a .dvc file names its path');
    outs.push({ path: o.path, repoPath: outRepoPath(file, wdir, o.path), index });
  }
  let chosen: DvcFileOut | undefined;
  if (want !== undefined) {
    chosen = outs.find((o) => o.repoPath === want);
    if (!chosen)
      return fail(
        `has no out ${want}; its outs are ${outs.map((o) => o.repoPath ?? o.path).join(', ')}`,
        ['outs'],
        'set out to one of these paths, relative to the manifest',
      );
  } else if (outs.length === 1) chosen = outs[0];
  else
    return fail(
      `has ${outs.length} outs (${outs.map((o) => o.repoPath ?? o.path).join(', ')}); say which one is the dataset`,
      ['outs'],
      'write dvc: {file: <this .dvc file>, out: <one of these paths, relative to the manifest>}',
    );
  const o = doc.outs[chosen!.index] as Raw;
  const i = chosen!.index;
  const ok = (version: string): DvcFileVersion => ({ ok: true, version, out: chosen!, outs });

  if (o.md5 !== undefined) {
    if (typeof o.md5 !== 'string' || !MD5.test(o.md5))
      return fail(`outs.${i}.md5 is not an md5 hash`, ['outs', i, 'md5'], 'restore the md5 DVC wrote (32 hex digits, ".dir" for a folder)');
    return ok(o.md5);
  }
  for (const kind of ['etag', 'checksum'] as const) {
    if (o[kind] === undefined) continue;
    if (typeof o[kind] !== 'string' || o[kind] === '')
      return fail(`outs.${i}.${kind} is not a hash`, ['outs', i, kind], 'restore the value DVC wrote');
    return ok(o[kind]);
  }
  if (o.files !== undefined) {
    if (!Array.isArray(o.files) || o.files.length === 0)
      return fail(`outs.${i}.files is not a list of files`, ['outs', i, 'files'], 'restore the files list DVC wrote');
    const entries: { relpath: string; md5: string }[] = [];
    for (const [j, f] of o.files.entries()) {
      if (!isObj(f) || typeof f.relpath !== 'string')
        return fail(`outs.${i}.files.${j}.relpath is missing`, ['outs', i, 'files', j], 'restore the files list DVC wrote');
      if (typeof f.md5 !== 'string' || !FILE_MD5.test(f.md5))
        return fail(
          `outs.${i}.files.${j} (${f.relpath}) has no md5, so its content is not pinned`,
          ['outs', i, 'files', j],
          'run `dvc commit` or `dvc push` so every file of the folder records its md5',
        );
      entries.push({ relpath: f.relpath, md5: f.md5 });
    }
    return ok(dirHash(entries));
  }
  // import-url --no-download: nothing is downloaded, so the out has no hash; the dep says which version of the
  // source was imported.
  const deps = Array.isArray(doc.deps) ? doc.deps : [];
  if (deps.length === 1 && isObj(deps[0])) {
    const dep = deps[0];
    for (const kind of ['md5', 'etag', 'checksum'] as const) {
      if (typeof dep[kind] === 'string' && dep[kind] !== '') return ok(`${kind}:${dep[kind]}`);
    }
  }
  return fail(
    `outs.${i} records no hash (md5, etag, checksum or files)`,
    ['outs', i],
    'run `dvc add` (or `dvc commit`, or `dvc update` for an import) so the .dvc file records the version of the data',
  );
}

/** An out's path relative to the repository: relative to the .dvc file's folder (and its wdir); null for URLs. */
export function outRepoPath(dvcFile: string, wdir: string, out: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(out) || /^remote:\/\//.test(out)) return null;
  const base = resolveFrom(dvcFile, wdir === '.' || wdir === '' ? 'x' : `${wdir}/x`);
  if (!base.ok) return null;
  const r = resolveFrom(base.path, out);
  return r.ok ? r.path : null;
}
