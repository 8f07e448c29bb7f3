// Files that look like manifests but sit where none are read, and a root that holds none: warnings, so that a new
// user does not stare at "nothing to evaluate" while lineage/model/x.yaml or models/m.ymal is silently skipped.
import { KIND_DIRS, type Kind } from './manifests.ts';
import { type InputProblem, problem } from './problems.ts';
import { closest } from './suggest.ts';

export interface LayoutInput {
  /** The lineage root, repository-relative ('' for the repository itself). */
  root: string;
  /** What the root holds at its top level; null when it cannot be listed (a revision, not the work tree). */
  topLevel: readonly { name: string; dir: boolean }[] | null;
  /** Files under the kind folders that are not read as manifests (not .yaml, .yml or .json). */
  unread: readonly { kind: Kind; path: string }[];
  /** How many manifest files were found. */
  manifests: number;
}

const KNOWN_DIRS = new Set([...Object.values(KIND_DIRS), 'history']);
const MANIFEST_EXTENSIONS = ['yaml', 'yml', 'json'];
/** Real formats a near-miss of yaml, yml or json could be confused with (an .xml file is not a mistyped .yml). */
const OTHER_FORMATS = new Set(['xml', 'toml', 'csv', 'tsv', 'md', 'txt', 'ini', 'cfg', 'html', 'py', 'sh', 'js', 'ts']);
/** Editors' and tools' leftovers, which are not mistakes. */
const LEFTOVER = /(~|\.(bak|orig|rej|swp|swo|tmp))$/i;

export function layoutWarnings(input: LayoutInput): InputProblem[] {
  const at = (name: string) => (input.root ? `${input.root}/${name}` : name);
  const warnings: InputProblem[] = [];
  const kindDirs = Object.values(KIND_DIRS);
  for (const e of input.topLevel ?? []) {
    if (e.name.startsWith('.')) continue;
    if (e.dir) {
      if (KNOWN_DIRS.has(e.name)) continue;
      const meant = closest(e.name, kindDirs);
      if (meant)
        warnings.push(
          problem(`${at(e.name)}/`, `this folder is not read: lineage-gate reads manifests from datasets/, models/ and workflows/ only`, {
            hint: `did you mean ${at(meant)}/? rename the folder`,
          }),
        );
    } else if (MANIFEST_EXTENSIONS.includes(extension(e.name)) && e.name !== 'associations.lock.yaml') {
      warnings.push(
        problem(at(e.name), 'this file is not read: lineage-gate reads manifests from datasets/, models/ and workflows/ only', {
          hint: `move it into ${at('datasets')}/, ${at('models')}/ or ${at('workflows')}/, one entity a file`,
        }),
      );
    }
  }
  for (const f of input.unread) {
    const ext = extension(f.path);
    if (!ext || OTHER_FORMATS.has(ext) || LEFTOVER.test(f.path)) continue;
    const meant = closest(ext, MANIFEST_EXTENSIONS);
    if (!meant) continue;
    warnings.push(
      problem(f.path, `this file is not read: a ${f.kind} manifest ends in .yaml, .yml or .json`, {
        hint: `did you mean ${f.path.slice(0, -ext.length)}${meant}? rename the file`,
      }),
    );
  }
  if (input.manifests === 0) {
    warnings.push(
      problem(input.root || '.', 'the lineage root holds no manifests', {
        hint: `put one dataset a file in ${at('datasets')}/, one model a file in ${at('models')}/ and one workflow a file in ${at('workflows')}/ (.yaml, .yml or .json)`,
      }),
    );
  }
  return warnings;
}

function extension(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}
