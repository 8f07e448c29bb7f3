// The project's own workflow (.github/workflows/ci.yml): valid for GitHub's own parser, read-only, pinned, and
// running the one test command (.ci/run, which is `npm ci` and `npm test` with what they need).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from './helpers/workflow-parser.ts';

const FILE = '.github/workflows/ci.yml';
const text = readFileSync(FILE, 'utf8');
const ci = parse(text) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { 'timeout-minutes': number; steps: { uses?: string; run?: string }[] }>;
};

describe(FILE, () => {
  it("parses with GitHub's own workflow parser, without errors", async () => {
    const parsed = parseWorkflow({ name: FILE, content: text }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((j) => j.id.value)).toEqual(['test']);
  });

  it('runs on pull requests and on main, with a read-only token', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.on.push).toEqual({ branches: ['main'] });
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it('runs the same test command as .ci/run and README, within its 90 minutes, with actions pinned to commit SHAs', () => {
    const job = ci.jobs.test!;
    expect(job.steps.filter((s) => s.run).map((s) => s.run)).toEqual(['.ci/run']);
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/\nnpm ci --no-audit --no-fund\nnpm test\n$/);
    expect(job['timeout-minutes']).toBeLessThanOrEqual(90);
    for (const step of job.steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });
});
