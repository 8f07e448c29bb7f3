// Honest exit codes, command by command: an unexpected failure is one line naming the command and where to report
// it, with exit 2 (never the "gate failed" code, never a raw trace unless --debug); bad usage prints the usage.
// The unexpected failure is injected where every command starts, in evaluate(): no real input can make lineage-gate
// fail in a way it does not expect (that would be the bug), so the failure is simulated, and the rest is real.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, ISSUES_URL, USAGE } from '../src/cli.ts';
import { cli } from './helpers/cli.ts';
import { cleanup, copyExample, makeRepo } from './helpers/repo.ts';

const fault = vi.hoisted(() => ({ on: false }));
vi.mock('../src/evaluate.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/evaluate.ts')>();
  return {
    ...real,
    evaluate: (...args: Parameters<typeof real.evaluate>) => {
      if (fault.on) throw new Error('simulated: DuckDB could not allocate memory\nsecond line of detail');
      return real.evaluate(...args);
    },
  };
});
afterEach(() => {
  fault.on = false;
  cleanup();
});

const ROOT = 'examples/molecular-property/lineage';
/** For each command, arguments that get it as far as evaluating (a new command needs an entry here). */
const REACHING_EVALUATE: Record<string, string[]> = {
  check: ['--root', ROOT],
  accept: ['--root', ROOT],
  plan: ['--root', ROOT],
  impact: ['ds_mol_20210421', '--root', ROOT],
  graph: ['--root', ROOT],
  site: ['--root', ROOT, '--out', path.join('/tmp', 'lg-never-built')],
  propose: ['--dry-run', '--root', ROOT],
  export: ['--format', 'openlineage', '--root', ROOT, '--namespace', 'https://example.org/repo'],
};
/** Commands that never evaluate (init writes manifests from files), so the simulated fault cannot reach them. */
const NOT_EVALUATING = ['init'];
/** For each command, one usage error of its own and the message it gets (null: it has none of its own). */
const OWN_USAGE_ERROR: Record<string, [string[], string] | null> = {
  check: null,
  accept: [['--at', 'yesterday'], '--at must be an ISO 8601 time such as 2026-11-27T12:00:00Z'],
  plan: null,
  impact: [[], 'name a dataset or model id'],
  graph: [['--format', 'png'], '--format is json, mermaid or dot'],
  site: [[], '--out DIR is required'],
  propose: [[], 'the live proposal is made by the GitHub Action; add --dry-run to see what it would do'],
  export: [[], '--format openlineage is the one export format'],
  init: [['--stage', 'train'], '--stage goes with --from-dvc'],
};
const names = COMMANDS.map((c) => c.name);

describe('every command', () => {
  it('has a case in each table here', () => {
    expect([...Object.keys(REACHING_EVALUATE), ...NOT_EVALUATING].sort()).toEqual([...names].sort());
    expect(Object.keys(OWN_USAGE_ERROR).sort()).toEqual([...names].sort());
  });

  const evaluating = names.filter((n) => !NOT_EVALUATING.includes(n));
  it.each(evaluating)('%s: an unexpected failure is one line and exit 2, with where to report it', async (name) => {
    fault.on = true;
    const r = await cli([name, ...REACHING_EVALUATE[name]!]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `lineage-gate ${name}: unexpected error: simulated: DuckDB could not allocate memory\n` +
        `  This is a bug in lineage-gate or a problem of this machine; run again with --debug for the details, and report it at ${ISSUES_URL}\n`,
    );
  });

  it.each(evaluating)('%s --debug: the same line, then the stack', async (name) => {
    fault.on = true;
    const r = await cli([name, ...REACHING_EVALUATE[name]!, '--debug']);
    expect(r.code).toBe(2);
    const [first, ...rest] = r.err.split('\n');
    expect(first).toBe(`lineage-gate ${name}: unexpected error: simulated: DuckDB could not allocate memory`);
    expect(rest.join('\n')).toMatch(/^Error: simulated: DuckDB could not allocate memory\nsecond line of detail\n\s+at /);
  });

  it.each(names)('%s: an option it does not know prints the usage, exit 2', async (name) => {
    const r = await cli([name, '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(
      `lineage-gate ${name}: Unknown option '--no-such-option'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--no-such-option"\n\n${USAGE}`,
    );
  });

  it.each(names.filter((n) => OWN_USAGE_ERROR[n]))('%s: its own usage error prints the message and the usage, exit 2', async (name) => {
    const [args, message] = OWN_USAGE_ERROR[name]!;
    const r = await cli([name, ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`lineage-gate ${name}: ${message}\n\n${USAGE}`);
  });

  it('--help prints the usage to standard output, exit 0; nothing at all prints it as an error, exit 2', async () => {
    for (const name of names) expect(await cli([name, '--help'])).toEqual({ code: 0, out: USAGE, err: '' });
    expect(await cli([])).toEqual({ code: 2, out: '', err: USAGE });
  });
});

describe('init, which never evaluates', () => {
  it('maps a write that fails under it to one line and exit 2, like every other command', async () => {
    const repo = makeRepo();
    // A file where init's datasets/ folder goes: its first write fails below the command.
    mkdirSync(repo.root, { recursive: true });
    writeFileSync(path.join(repo.root, 'datasets'), '');
    writeFileSync(path.join(repo.dir, 'd.csv.dvc'), 'outs:\n- md5: 8f14e45fceea167a5a36dedd4bea2543\n  size: 1\n  path: d.csv\n');
    const r = await cli(['init', '--root', repo.root, '--from-dvc']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.split('\n');
    expect(lines[0]).toMatch(/^lineage-gate init: unexpected error: [A-Z]+: .*datasets/);
    expect(lines.slice(1)).toEqual([
      `  This is a bug in lineage-gate or a problem of this machine; run again with --debug for the details, and report it at ${ISSUES_URL}`,
      '',
    ]);
  });
});

describe("failures that are the user's to fix", () => {
  it('an output file that cannot be written is named, with what to do, exit 2 and no bug report', async () => {
    const repo = copyExample();
    const blocker = path.join(repo.dir, 'not-a-folder');
    writeFileSync(blocker, '');
    const r = await cli(['check', '--root', repo.root, '--json', path.join(blocker, 'report.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `lineage-gate check: cannot write ${path.join(blocker, 'report.json')}: a part of its path is a file, not a folder; write to a folder you can write to, or "-" for standard output\n`,
    );
  });

  it('a lock folder that cannot be written is an unexpected failure of this machine: exit 2, the lock untouched', async () => {
    const repo = copyExample();
    const lock = repo.read('lineage/associations.lock.yaml');
    // The history folder is a file: the record (written first) cannot be, so the lock is not written either.
    rmSync(path.join(repo.root, 'history'), { recursive: true });
    writeFileSync(path.join(repo.root, 'history'), '');
    const r = await cli(['accept', '--root', repo.root]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^lineage-gate accept: unexpected error: [A-Z]+: .*history.*\n {2}This is a bug in lineage-gate or a problem of this machine;/,
    );
    expect(r.err.split('\n')).toHaveLength(3);
    expect(repo.read('lineage/associations.lock.yaml')).toBe(lock);
  });
});
