// The workflows users copy from examples/workflows: pinned, least-privilege, serialised as README says.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from './helpers/workflow-parser.ts';

const dir = 'examples/workflows';
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown>; runs: { steps: { uses?: string }[] } };

type Step = { uses?: string; id?: string; name?: string; run?: string; env?: Record<string, unknown>; with?: Record<string, unknown> };
type Job = {
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; 'max-parallel'?: number; matrix?: unknown };
  steps: Step[];
};
type Workflow = {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { steps: Step[] }>;
};
const load = (f: string) => parse(readFileSync(`${dir}/${f}`, 'utf8')) as Workflow;

describe('example workflows', () => {
  it('exist for check, comment and propose', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'lineage-check.yml',
        'lineage-comment.yml',
        'lineage-pages.yml',
        'lineage-propose.yml',
        'lineage-retrain.yml',
      ]),
    );
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

describe('example workflows, as GitHub reads them', () => {
  const outputs = Object.keys((parse(readFileSync('action.yml', 'utf8')) as { outputs: Record<string, unknown> }).outputs);

  it.each(files)('%s parses with GitHub’s own workflow parser, without errors', async (f) => {
    const content = readFileSync(`${dir}/${f}`, 'utf8');
    const parsed = parseWorkflow({ name: f, content }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((j) => j.id.value)).toEqual(Object.keys(load(f).jobs));
  });

  it.each(files)('%s reads only outputs the action declares from its lineage-gate steps', (f) => {
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    const w = load(f);
    const ours = new Set(
      Object.values(w.jobs).flatMap((j) =>
        j.steps.filter((s) => s.uses?.startsWith('lineage-gate/lineage-gate@') && s.id).map((s) => s.id!),
      ),
    );
    for (const [, id, name] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g))
      if (ours.has(id!)) expect(outputs, `${f}: ${name}`).toContain(name);
  });

  it.each([...files.map((f) => `${dir}/${f}`), 'action.yml'])(
    '%s never puts an expression inside run: (matrix and needs values reach commands through env only)',
    (file) => {
      const doc = parse(readFileSync(file, 'utf8')) as { jobs?: Record<string, { steps: Step[] }>; runs?: { steps: Step[] } };
      const steps = [...Object.values(doc.jobs ?? {}).flatMap((j) => j.steps), ...(doc.runs?.steps ?? [])];
      const runs = steps.filter((s) => typeof s.run === 'string');
      if (file.endsWith('lineage-retrain.yml')) expect(runs.length).toBeGreaterThanOrEqual(3);
      for (const s of runs) {
        expect(s.run, `${file}: ${s.name ?? s.run}`).not.toMatch(/\$\{\{/);
      }
    },
  );

  it('lineage-retrain.yml: plan, a guarded matrix of independent jobs, then check or propose with what they uploaded', () => {
    const w = load('lineage-retrain.yml') as Workflow & { jobs: Record<string, Job> };
    expect(Object.keys(w.jobs)).toEqual(['plan', 'retrain', 'check', 'propose']);
    const plan = w.jobs.plan!;
    expect(plan.steps.find((s) => s.id === 'plan')!.with).toMatchObject({ mode: 'plan' });
    expect(plan.outputs).toEqual({
      matrix: '${{ steps.plan.outputs.retrain-matrix }}',
      count: '${{ steps.plan.outputs.retrain-count }}',
      rescore: '${{ steps.plan.outputs.rescore }}',
    });
    const retrain = w.jobs.retrain!;
    expect(retrain.needs).toBe('plan');
    expect(retrain.if).toBe("needs.plan.outputs.count != '0'");
    expect(retrain.strategy).toMatchObject({ 'fail-fast': false, matrix: '${{ fromJSON(needs.plan.outputs.matrix) }}' });
    expect(retrain.strategy!['max-parallel']).toBeGreaterThan(0);
    // Every matrix value a step uses arrives through env, from the plan's own fields.
    const fields = Object.keys(
      (JSON.parse(readFileSync('schemas/plan.schema.json', 'utf8')) as { $defs: { Entry: { properties: object } } }).$defs.Entry.properties,
    );
    for (const s of retrain.steps.filter((x) => x.run))
      for (const v of Object.values(s.env ?? {})) expect(fields).toContain(/^\$\{\{ matrix\.(\w+) \}\}$/.exec(String(v))?.[1]);
    expect(retrain.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!.with).toMatchObject({
      name: 'retrained-${{ matrix.model }}',
      path: '${{ runner.temp }}/retrained/',
    });
    for (const [name, mode] of [
      ['check', 'check'],
      ['propose', 'propose'],
    ] as const) {
      const job = w.jobs[name]!;
      expect(job.needs).toEqual(['plan', 'retrain']);
      expect(job.if).toContain('!cancelled()');
      const lg = job.steps.find((s) => s.uses?.startsWith('lineage-gate/lineage-gate@'))!;
      expect(lg.with).toMatchObject({ mode, retrained: '${{ runner.temp }}/retrained' });
      expect(job.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!.with).toMatchObject({
        pattern: 'retrained-*',
        path: '${{ runner.temp }}/retrained',
      });
    }
    expect(w.permissions).toEqual({ contents: 'read' });
    expect(w.jobs.check!.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(w.jobs.propose!.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
  });
});
