// The workflows users copy from examples/workflows: pinned, least-privilege, serialised as README says.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = 'examples/workflows';
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown>; runs: { steps: { uses?: string }[] } };

type Step = { uses?: string; with?: Record<string, unknown> };
type Workflow = {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { steps: Step[] }>;
};
const load = (f: string) => parse(readFileSync(`${dir}/${f}`, 'utf8')) as Workflow;

describe('example workflows', () => {
  it('exist for check, comment and propose', () => {
    expect(files).toEqual(expect.arrayContaining(['lineage-check.yml', 'lineage-comment.yml', 'lineage-pages.yml', 'lineage-propose.yml']));
  });

  it.each(files)('%s pins third-party actions to full commit SHAs and declares least privilege', (f) => {
    const w = load(f);
    expect(w.permissions, 'workflow-level permissions').toBeDefined();
    expect(Object.values(w.permissions!).every((p) => p === 'read' || p === 'write')).toBe(true);
    expect(w.on).not.toHaveProperty('pull_request_target');
    for (const job of Object.values(w.jobs)) {
      for (const step of job.steps) {
        if (!step.uses || step.uses.startsWith('lineage-gate/lineage-gate@')) continue;
        expect(step.uses, f).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
      }
    }
  });

  it('uses only inputs the action declares', () => {
    for (const f of files) {
      for (const job of Object.values(load(f).jobs)) {
        for (const step of job.steps.filter((s) => s.uses?.startsWith('lineage-gate/lineage-gate@'))) {
          for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), `${f}: ${key}`).toContain(key);
        }
      }
    }
  });

  it('serialises checks per PR with cancel-in-progress, and proposals per branch without', () => {
    expect(load('lineage-check.yml').concurrency).toEqual({
      group: 'lineage-check-${{ github.event.pull_request.number }}',
      'cancel-in-progress': true,
    });
    expect(load('lineage-propose.yml').concurrency).toEqual({ group: 'lineage-propose-${{ github.ref }}', 'cancel-in-progress': false });
  });

  it('action.yml pins its own third-party actions too', () => {
    for (const step of action.runs.steps) if (step.uses) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
  });
});
