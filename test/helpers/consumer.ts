// A project that depends on the packed tarball, installed offline: its lock file names the tarball and, for every
// dependency, exactly the version, tarball and integrity this repository's package-lock.json resolved, so `npm ci
// --offline` installs it from npm's cache as a user's `npm install lineage-gate` would from the registry.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}
export type Packages = Record<string, LockEntry>;

export interface Packed {
  /** Absolute path of the .tgz. */
  file: string;
  integrity: string;
  /** Paths inside the tarball. */
  files: string[];
  manifest: {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
    engines: Record<string, string>;
  };
}

/** Whether npm installs this entry here: platform packages name the os, cpu and libc they are for. */
export function fitsThisMachine(e: LockEntry): boolean {
  const { header } = process.report.getReport() as { header: { glibcVersionRuntime?: string } };
  const libc = header.glibcVersionRuntime ? 'glibc' : 'musl';
  const fits = (list: unknown, value: string) => !Array.isArray(list) || list.includes(value);
  return fits(e.os, process.platform) && fits(e.cpu, process.arch) && (process.platform !== 'linux' || fits(e.libc, libc));
}

/** `npm pack` of this repository (its prepack script builds dist/), into a fresh folder. */
export function pack(): Packed {
  const dir = mkdtempSync(path.join(tmpdir(), 'lg-pack-'));
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [info] = JSON.parse(out) as { filename: string; integrity: string; files: { path: string }[] }[];
  return {
    file: path.join(dir, info!.filename),
    integrity: info!.integrity,
    files: info!.files.map((f) => f.path).sort(),
    manifest: JSON.parse(readFileSync('package.json', 'utf8')),
  };
}

/**
 * Lock paths of `deps` and everything they need, resolved as Node does: nearest node_modules first. Entries `keep`
 * refuses (say, another platform's binary) are left out with what only they need.
 */
export function closure(packages: Packages, deps: readonly string[], keep: (e: LockEntry) => boolean = () => true): Set<string> {
  const found = new Set<string>();
  const visit = (from: string, name: string, required: boolean) => {
    for (let dir = from; ; ) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (packages[candidate]) {
        if (found.has(candidate) || !keep(packages[candidate]!)) return;
        found.add(candidate);
        const e = packages[candidate]!;
        for (const dep of Object.keys(e.dependencies ?? {})) visit(candidate, dep, true);
        for (const dep of Object.keys(e.optionalDependencies ?? {})) visit(candidate, dep, false);
        for (const dep of Object.keys(e.peerDependencies ?? {})) if (!e.peerDependenciesMeta?.[dep]?.optional) visit(candidate, dep, false);
        return;
      }
      if (!dir) break;
      const up = dir.lastIndexOf('/node_modules/');
      dir = up < 0 ? '' : dir.slice(0, up);
    }
    if (required) throw new Error(`package-lock.json does not resolve ${name} from ${from || 'the root'}`);
  };
  for (const name of deps) visit('', name, true);
  return found;
}

/**
 * An empty project with the tarball installed (`npm ci --offline`), plus `extra` dependencies (name → range) at the
 * versions this repository's lock holds. Returns its folder.
 */
export function installConsumer(packed: Packed, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lg-consumer-'));
  const tgz = path.basename(packed.file);
  copyFileSync(packed.file, path.join(dir, tgz));
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Packages };
  const deps = { [packed.manifest.name]: `file:${tgz}`, ...extra };
  const packages: Packages = {
    '': { name: 'consumer', dependencies: deps },
    [`node_modules/${packed.manifest.name}`]: {
      version: packed.manifest.version,
      resolved: `file:${tgz}`,
      integrity: packed.integrity,
      dependencies: packed.manifest.dependencies,
      // npm ci links commands and checks engines from the lock entry, not from the unpacked package.json.
      bin: packed.manifest.bin,
      engines: packed.manifest.engines,
    },
  };
  for (const p of closure(lock.packages, [...Object.keys(packed.manifest.dependencies), ...Object.keys(extra)]).values()) {
    const { dev: _d, devOptional: _o, peer: _p, ...entry } = lock.packages[p]!;
    packages[p] = entry;
  }
  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: deps }, null, 2)}\n`,
  );
  writeFileSync(
    path.join(dir, 'package-lock.json'),
    `${JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  return dir;
}
