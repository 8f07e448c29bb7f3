// What every command is: a name, its usage line, its options, and a run from parsed options to an exit code.
import type { ParseArgsOptionsConfig } from 'node:util';

/** Where a command writes, and the environment it may read. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

/** Exit codes, as documented: 0 pass or nothing to do, 1 a gate failed, 2 invalid input, usage or an unexpected error. */
export const EXIT = { ok: 0, gateFailed: 1, invalid: 2 } as const;

/** Bad usage: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can act on (an output path that cannot be written): the CLI prints the message, exit 2. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  /** The usage line after "lineage-gate ", e.g. "check  [--root DIR] [--all]". */
  usage: string;
  options: ParseArgsOptionsConfig;
  run(values: Values, positionals: string[], io: Io): Promise<number>;
}

/** Options every command takes. */
export const SHARED_OPTIONS = {
  root: { type: 'string', default: 'lineage' },
  help: { type: 'boolean', short: 'h', default: false },
  debug: { type: 'boolean', default: false },
  cache: { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
} as const satisfies ParseArgsOptionsConfig;

/** The parse cache options of evaluate(): --cache DIR, --no-cache, and notices to standard error. */
export function cacheOptions(v: Values, io: Io): { cache: string | false | undefined; notice: (line: string) => void } {
  if (flag(v, 'no-cache') && str(v, 'cache') !== undefined) throw new UsageError('give --cache DIR or --no-cache, not both');
  return { cache: flag(v, 'no-cache') ? false : str(v, 'cache'), notice: (line) => io.err(`${line}\n`) };
}

export const str = (v: Values, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
export const flag = (v: Values, name: string): boolean => v[name] === true;
