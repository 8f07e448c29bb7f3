// Repository-relative path arithmetic, with no file system: the shell checks what the disk says (symlinks).

export type Resolved = { ok: true; path: string } | { ok: false; message: string; hint: string };

/** Resolves `rel` against the folder of `fromFile` (both repository-relative, '/'-separated). */
export function resolveFrom(fromFile: string, rel: string): Resolved {
  if (rel.includes('\0')) return { ok: false, message: 'the path contains a NUL byte', hint: 'use a plain relative path' };
  if (rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel) || rel.startsWith('\\')) {
    return { ok: false, message: `the path "${rel}" is absolute`, hint: "write it relative to the manifest's own folder" };
  }
  const parts = fromFile.split('/').slice(0, -1);
  for (const seg of rel.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) {
        return {
          ok: false,
          message: `the path "${rel}" leads outside the repository`,
          hint: 'keep metric and DVC files inside the repository',
        };
      }
      parts.pop();
    } else {
      parts.push(seg);
    }
  }
  if (parts.length === 0) return { ok: false, message: `the path "${rel}" names the repository itself`, hint: 'name a file' };
  return { ok: true, path: parts.join('/') };
}

/**
 * A repository-relative path as seen from the folder `from` (also repository-relative): `../results/m.json` from
 * `lineage` for `results/m.json`. The lock records metric files this way, so a project keeps its lock when it moves.
 */
export function relativeTo(from: string, p: string): string {
  const a = from === '' ? [] : from.split('/');
  const b = p.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

export function extensionFormat(path: string): 'yaml' | 'json' | 'csv' | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}
