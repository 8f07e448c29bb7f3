// The Action's parse cache: action.yml restores it before the run on every event and saves it after the run only on
// the default branch's push, schedule and workflow_dispatch runs, so that no pull request's run can write what a later
// run trusts. The `if:` conditions and keys are evaluated with GitHub's own expression evaluator.
import { readFileSync } from 'node:fs';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInputs } from '../src/action/inputs.ts';
import { CACHE_FOLDER, parseCache } from '../src/action/parse-cache.ts';

type Step = { id?: string; if?: string; uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };
const steps = (parse(readFileSync('action.yml', 'utf8')) as { runs: { steps: Step[] } }).runs.steps;
const restoreAt = steps.findIndex((s) => s.uses?.startsWith('actions/cache/restore@'));
const saveAt = steps.findIndex((s) => s.uses?.startsWith('actions/cache/save@'));
const runAt = steps.findIndex((s) => s.id === 'run');

interface Run {
  event: string;
  ref: string;
  cache?: string;
  base?: string;
}

/** An expression's value for a run: github, inputs and runner as the runner would give them. */
function value(expr: string, r: Run): string | boolean {
  const context = JSON.parse(
    JSON.stringify({
      github: {
        event_name: r.event,
        ref: r.ref,
        sha: 'c0ffee',
        event: { repository: { default_branch: 'main' }, ...(r.base ? { pull_request: { base: { sha: r.base } } } : {}) },
      },
      inputs: { cache: r.cache ?? 'true' },
      runner: { os: 'Linux', temp: '/runner/temp' },
    }),
    data.reviver,
  ) as data.Dictionary;
  const tokens = new Lexer(expr).lex().tokens;
  const ast = new Parser(tokens, ['github', 'inputs', 'runner'], [{ name: 'cancelled', minArgs: 0, maxArgs: 0 }]).parse();
  const functions = new Map([['cancelled', { name: 'cancelled', minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(false) }]]);
  const result = new Evaluator(ast, context, functions).evaluate();
  return result.kind === data.Kind.Boolean ? (result as data.BooleanData).value : result.coerceString();
}
const template = (text: string, r: Run) => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => String(value(e, r)));
const truthy = (expr: string | undefined, r: Run) => expr === undefined || value(expr, r) === true;

describe("action.yml's parse cache steps", () => {
  it('restores before the run and saves after it, both in the folder the Action writes to', () => {
    expect(restoreAt).toBeGreaterThan(-1);
    expect(runAt).toBeGreaterThan(restoreAt);
    expect(saveAt).toBeGreaterThan(runAt);
    const r: Run = { event: 'push', ref: 'refs/heads/main' };
    expect(template(steps[restoreAt]!.with!.path!, r)).toBe(`/runner/temp/${CACHE_FOLDER}`);
    expect(template(steps[saveAt]!.with!.path!, r)).toBe(`/runner/temp/${CACHE_FOLDER}`);
    expect(steps[runAt]!.env!.INPUT_CACHE).toBe('${{ inputs.cache }}');
  });

  it('a pull request restores the cache of its base commit, and the default branch saves under its own commit', () => {
    const pr: Run = { event: 'pull_request', ref: 'refs/pull/7/merge', base: 'ba5e' };
    expect(truthy(steps[restoreAt]!.if, pr)).toBe(true);
    expect(template(steps[restoreAt]!.with!.key!, pr)).toBe('lineage-gate-parse-Linux-ba5e');
    expect(template(steps[restoreAt]!.with!['restore-keys']!, pr)).toBe('lineage-gate-parse-Linux-');
    expect(template(steps[saveAt]!.with!.key!, { event: 'push', ref: 'refs/heads/main' })).toBe('lineage-gate-parse-Linux-c0ffee');
  });

  it.each([
    [{ event: 'push', ref: 'refs/heads/main' }, true],
    [{ event: 'schedule', ref: 'refs/heads/main' }, true],
    [{ event: 'workflow_dispatch', ref: 'refs/heads/main' }, true],
    [{ event: 'push', ref: 'refs/heads/main', cache: 'false' }, false],
    // What a pull request can start: its own run, a run in the base's context, a run after it, a push of its branch.
    [{ event: 'pull_request', ref: 'refs/pull/7/merge', base: 'ba5e' }, false],
    [{ event: 'pull_request_target', ref: 'refs/heads/main', base: 'ba5e' }, false],
    [{ event: 'workflow_run', ref: 'refs/heads/main' }, false],
    [{ event: 'merge_group', ref: 'refs/heads/gh-readonly-queue/main/pr-7' }, false],
    [{ event: 'push', ref: 'refs/heads/feature' }, false],
    [{ event: 'workflow_dispatch', ref: 'refs/heads/feature' }, false],
  ] as [Run, boolean][])('saves on %o: %s', (r, saves) => {
    expect(truthy(steps[saveAt]!.if, r)).toBe(saves);
    expect(truthy(steps[restoreAt]!.if, r)).toBe(r.cache !== 'false');
  });

  it('the cache input turns it on (the default) or off', () => {
    const base = { INPUT_TOKEN: 't' };
    const on = readInputs(base);
    const off = readInputs({ ...base, INPUT_CACHE: 'false' });
    expect(on.ok && on.inputs.cache).toBe(true);
    expect(off.ok && !off.inputs.cache).toBe(true);
    expect(readInputs({ ...base, INPUT_CACHE: 'maybe' }).ok).toBe(false);
    const io = { info: () => {} } as unknown as Parameters<typeof parseCache>[2];
    const ctx = { tempDir: '/runner/temp' } as Parameters<typeof parseCache>[1];
    expect(parseCache(on.ok ? on.inputs : (null as never), ctx, io).cache).toBe(`/runner/temp/${CACHE_FOLDER}`);
    expect(parseCache(off.ok ? off.inputs : (null as never), ctx, io).cache).toBe(false);
  });
});
