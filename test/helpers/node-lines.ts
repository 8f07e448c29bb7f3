// The Node.js binaries the package is tested on besides this one: the engines floor and each LTS line above it.
// .ci/run installs them from the npm registry (the `node` package) where they are missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { MIN_NODE } from '../../src/node-version.ts';

export interface NodeLine {
  /** What it stands for: "floor" (exactly package.json's engines minimum) or an LTS major such as "22". */
  name: string;
  /** The version it must report, exactly ("20.10.0") or by major ("22."). */
  want: string;
  /** Where .ci/run puts it. */
  bin: string;
  install: string;
}

const FLOOR = `${MIN_NODE.join('.')}.0`;

export const NODE_LINES: NodeLine[] = [
  { name: 'floor', want: FLOOR, prefix: '.node-floor', spec: `node@${FLOOR}` },
  { name: '22', want: '22.', prefix: '.node22', spec: 'node@22' },
].map(({ name, want, prefix, spec }) => ({
  name,
  want,
  bin: path.join(homedir(), prefix, 'node_modules', '.bin', 'node'),
  install: `npm install --prefix "$HOME/${prefix}" --no-save ${spec}`,
}));

/** The binary for a line, or an error that says how to install it (a missing line is a failure, not a skip). */
export function nodeFor(line: NodeLine): string {
  if (!existsSync(line.bin)) throw new Error(`Node ${line.name} is not installed at ${line.bin}; install it with: ${line.install}`);
  const version = execFileSync(line.bin, ['--version'], { encoding: 'utf8' }).trim().slice(1);
  const ok = line.want.endsWith('.') ? version.startsWith(line.want) : version === line.want;
  if (!ok) throw new Error(`${line.bin} is Node ${version}, not ${line.want}; reinstall it with: ${line.install}`);
  return line.bin;
}
