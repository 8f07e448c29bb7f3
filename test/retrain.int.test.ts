// The retrain loop end to end, as examples/workflows/lineage-retrain.yml runs it: the plan job (the real Action entry),
// one retrain job per matrix entry (the example's own run: steps in bash, env built from the matrix as the workflow
// says, a simulated training script), the upload/download of their folders, then check on the PR and propose on main
// through the real entry against the local GitHub. The proposal closes the loop: on its branch nothing is stale.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Plan, PlanEntry } from '../src/core/plan/plan.ts';
import { type GitWorld, gitWorld, runAction, seedExample, webhookExample } from './helpers/action-run.ts';
import { exampleAccepted } from './helpers/dvc.ts';
import { type FakeGitHub, startFakeGitHub } from './helpers/github-server.ts';

const TOKEN = 'ghs_FAKEtoken0123456789SECRET';
let w: GitWorld;
let gh: FakeGitHub;
let scratch: string;

beforeEach(async () => {
  w = gitWorld();
  gh = await startFakeGitHub({ bare: w.bare });
  gh.addToken(TOKEN, { login: 'github-actions[bot]', installation: true });
  scratch = mkdtempSync(path.join(tmpdir(), 'lg-retrain-'));
});
afterEach(async () => {
  await gh.close();
  w.cleanup();
  rmSync(scratch, { recursive: true, force: true });
  expect(gh.violations).toEqual([]);
});

type Step = { name?: string; if?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> };
const workflow = parse(readFileSync('examples/workflows/lineage-retrain.yml', 'utf8')) as { jobs: Record<string, { steps: Step[] }> };

/** The expressions the example uses outside run:, evaluated as GitHub would; anything else fails the test. */
function expr(text: string, matrix: PlanEntry, runnerTemp: string): string {
  return text.replace(/\$\{\{ ([^}]+) \}\}/g, (_m, e: string) => {
    const field = /^matrix\.(\w+)$/.exec(e.trim());
    if (field) return String((matrix as unknown as Record<string, unknown>)[field[1]!] ?? '');
    if (e.trim() === 'runner.temp') return runnerTemp;
    throw new Error(`expression not simulated: ${e}`);
  });
}
function condition(text: string | undefined, matrix: PlanEntry): boolean {
  if (text === undefined) return true;
  const m = /^matrix\.(\w+) (==|!=) null$/.exec(text.trim());
  if (!m) throw new Error(`condition not simulated: ${text}`);
  const isNull = (matrix as unknown as Record<string, unknown>)[m[1]!] === null;
  return m[2] === '==' ? isNull : !isNull;
}

/** One matrix job of the retrain job: a fresh checkout, the example's steps, its upload into `artifacts`. */
function retrainJob(entry: PlanEntry, sha: string, artifacts: string): { ran: string[] } {
  const job = mkdtempSync(path.join(scratch, 'job-'));
  const workspace = path.join(job, 'workspace');
  const runnerTemp = path.join(job, 'temp');
  mkdirSync(runnerTemp);
  execFileSync('git', ['clone', '-q', w.bare, workspace]);
  execFileSync('git', ['-C', workspace, 'checkout', '-q', sha]);
  const ran: string[] = [];
  for (const step of workflow.jobs.retrain!.steps) {
    if (!condition(step.if, entry)) continue;
    if (step.run) {
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: job, RUNNER_TEMP: runnerTemp };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expr(v, entry, runnerTemp);
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: workspace, env, encoding: 'utf8' });
      expect(r.status, `${step.name}: ${r.stderr}`).toBe(0);
      ran.push(step.name ?? step.run);
    } else if (step.uses?.startsWith('actions/upload-artifact@')) {
      const name = expr(step.with!.name!, entry, runnerTemp);
      cpSync(expr(step.with!.path!, entry, runnerTemp), path.join(artifacts, name), { recursive: true });
      ran.push(`upload ${name}`);
    }
  }
  return { ran };
}

/** The example with ds_admet_20210502 updated to 1.5, and a training script that stands in for real training. */
function seedUpdate(): string {
  seedExample(w);
  // The example is a DVC project; this test's jobs retrain by hand, so the two models and their dataset are written
  // as a repository without DVC has them (versions 1.1, 1.0 and 1.4 in the lock), and the dataset moves to 1.5.
  const names: [string, string][] = [
    [exampleAccepted('models', 'mol_metabolism'), '1.1'],
    [exampleAccepted('models', 'mol_druggability'), '1.0'],
    [exampleAccepted('datasets', 'ds_admet_20210502'), '1.4'],
  ];
  const lockFile = path.join(w.work, 'lineage/associations.lock.yaml');
  writeFileSync(
    lockFile,
    names.reduce((t, [from, to]) => t.replaceAll(from, to), readFileSync(lockFile, 'utf8')),
  );
  const ds = path.join(w.work, 'lineage/datasets/ds_admet_20210502.yaml');
  writeFileSync(ds, readFileSync(ds, 'utf8').replace('dvc: ../../data/admet_20210502.csv.dvc', 'version: "1.5"'));
  for (const [id, version, metrics] of [
    ['mol_metabolism', '1.1', 'mol_metabolism.csv'],
    ['mol_druggability', '1.0', 'mol_druggability.yaml'],
  ] as const) {
    const m = path.join(w.work, `lineage/models/${id}.yaml`);
    writeFileSync(
      m,
      readFileSync(m, 'utf8').replace(
        /dvc: \{ lock: \.\.\/\.\.\/dvc\.lock, stage: \w+ \}/,
        `version: "${version}"\ndatasets: { ds_admet_20210502: "1.4" }\nmetrics: ../../results/${metrics}`,
      ),
    );
  }
  const script = path.join(w.work, 'scripts/retrain');
  mkdirSync(path.dirname(script), { recursive: true });
  writeFileSync(
    script,
    `#!/usr/bin/env node
// Simulated training: the model's new metrics, and its manifest records the new version and the current dataset.
import { readFileSync, writeFileSync } from 'node:fs';
const { MODEL, METRICS, MANIFEST } = process.env;
if (process.argv[2] !== MODEL) throw new Error('MODEL and the argument differ');
const metrics = { mol_metabolism: 'metric,value\\ntest.auc,0.84\\ntest.f1,0.73\\n', mol_druggability: 'qed_acc: 0.8\\nqed_f1: 0.75\\n' }[MODEL];
writeFileSync(METRICS, metrics);
const manifest = readFileSync(MANIFEST, 'utf8')
  .replace(/version: "(\\d+)\\.(\\d+)"/, (_m, a, b) => \`version: "\${a}.\${Number(b) + 1}"\`)
  .replace('ds_admet_20210502: "1.4"', 'ds_admet_20210502: "1.5"');
writeFileSync(MANIFEST, manifest);
`,
  );
  chmodSync(script, 0o755);
  return w.commitAll('ds_admet_20210502 1.5');
}

const repository = () => ({
  ...(webhookExample('push').repository as object),
  full_name: `${gh.owner}/${gh.repo}`,
  name: gh.repo,
  default_branch: 'main',
});
const push = (sha: string) => ({
  ...webhookExample('push'),
  ref: 'refs/heads/main',
  after: sha,
  head_commit: { id: sha, timestamp: '2026-11-02T09:30:00Z', message: 'ds_admet_20210502 1.5' },
  repository: repository(),
});
function pullRequest(sha: string) {
  const e = webhookExample('pull_request', (x) => x.action === 'opened');
  const pr = e.pull_request as Record<string, any>;
  pr.number = 12;
  pr.head.sha = sha;
  pr.head.repo = { ...pr.head.repo, full_name: `${gh.owner}/${gh.repo}` };
  pr.base.repo = { ...pr.base.repo, full_name: `${gh.owner}/${gh.repo}` };
  return { ...e, number: 12, repository: repository() };
}

describe('examples/workflows/lineage-retrain.yml, end to end', () => {
  it('plans two jobs, retrains them from the matrix through env, checks the PR, proposes lock and retrained files', async () => {
    const sha = seedUpdate();

    // plan job
    const planned = await runAction(gh, w, { event: 'push', payload: push(sha), sha, inputs: { token: TOKEN, mode: 'plan' } });
    expect(planned.code, planned.stdout).toBe(0);
    expect(planned.outputs['retrain-count']).toBe('2');
    expect(JSON.parse(planned.outputs.rescore!)).toEqual(['wf_lead_optimization', 'wf_property_prediction']);
    const matrix = JSON.parse(planned.outputs['retrain-matrix']!) as { include: PlanEntry[] };
    expect(Object.keys(matrix)).toEqual(['include']);
    expect(matrix.include.map((e) => [e.model, e.reason])).toEqual([
      ['mol_druggability', 'trained on ds_admet_20210502@1.4, now at 1.5'],
      ['mol_metabolism', 'trained on ds_admet_20210502@1.4, now at 1.5'],
    ]);
    expect(planned.summary).toContain('## lineage-gate plan: 2 models to retrain');
    expect(gh.requests).toEqual([]);

    // retrain jobs, then the artifacts as download-artifact lays them out
    const artifacts = path.join(scratch, 'artifacts');
    mkdirSync(artifacts);
    for (const entry of matrix.include) {
      const { ran } = retrainJob(entry, sha, artifacts);
      expect(ran).toEqual([
        'Retrain (placeholder for your training command)',
        'Collect what the retraining changed',
        `upload retrained-${entry.model}`,
      ]);
    }
    expect(readFileSync(path.join(artifacts, 'retrained-mol_metabolism/results/mol_metabolism.csv'), 'utf8')).toContain('test.auc,0.84');

    // check job on the pull request
    const checked = await runAction(gh, w, {
      event: 'pull_request',
      payload: pullRequest(sha),
      sha,
      inputs: { token: TOKEN, mode: 'check', retrained: artifacts },
    });
    expect(checked.stdout).toContain('applied 4 retrained file(s) from 2 job(s)');
    const report = checked.report as { models: { id: string; status: string; version: string }[] };
    expect(
      report.models.filter((m) => ['mol_metabolism', 'mol_druggability'].includes(m.id)).map((m) => [m.id, m.version, m.status]),
    ).toEqual([
      ['mol_druggability', '1.1', 'pass'],
      ['mol_metabolism', '1.2', 'pass'],
    ]);
    expect(checked.outputs['retrain-count']).toBe('0');
    expect(checked.outputs['retrain-matrix']).toBe('');
    expect(gh.comments.get(12)).toHaveLength(1);

    // propose job on main
    const proposed = await runAction(gh, w, {
      event: 'push',
      payload: push(sha),
      sha,
      inputs: { token: TOKEN, mode: 'propose', retrained: artifacts },
    });
    expect(proposed.code, proposed.stdout).toBe(0);
    expect(proposed.outputs['pull-request-operation']).toBe('created');
    const head = gh.git('rev-parse', 'refs/heads/lineage-gate/accept');
    expect(gh.git('log', '-1', '--format=%P', head)).toBe(sha);
    const changed = gh.git('diff', '--name-only', sha, head).split('\n');
    expect(changed).toEqual([
      'lineage/associations.lock.yaml',
      expect.stringMatching(/^lineage\/history\/000003-[0-9a-f]{12}\.json$/),
      'lineage/models/mol_druggability.yaml',
      'lineage/models/mol_metabolism.yaml',
      'results/mol_druggability.yaml',
      'results/mol_metabolism.csv',
    ]);
    const lock = parse(gh.git('show', `${head}:lineage/associations.lock.yaml`)) as { models: Record<string, { version: string }> };
    expect(lock.models.mol_metabolism!.version).toBe('1.2');

    // The loop is closed: on the proposal's branch nothing is left to retrain.
    const clone = path.join(scratch, 'proposal');
    execFileSync('git', ['clone', '-q', '--branch', 'lineage-gate/accept', w.bare, clone]);
    const after = spawnSync(process.execPath, ['bin/lineage-gate.js', 'plan', '--root', path.join(clone, 'lineage'), '--json', '-'], {
      encoding: 'utf8',
    });
    expect((JSON.parse(after.stdout) as Plan).count).toBe(0);
  });

  it('applies only the files a job may change, and names the rest', async () => {
    const sha = seedUpdate();
    const artifacts = path.join(scratch, 'artifacts');
    // A training job that also rewrote the lock, another model's metrics, and a workflow's threshold.
    const forged = path.join(artifacts, 'retrained-mol_metabolism');
    mkdirSync(path.join(forged, 'results'), { recursive: true });
    mkdirSync(path.join(forged, 'lineage/workflows'), { recursive: true });
    writeFileSync(path.join(forged, 'results/mol_metabolism.csv'), 'metric,value\ntest.auc,0.84\n');
    writeFileSync(path.join(forged, 'results/mol_toxicity.json'), '{"test": {"auc": 0.99}}\n');
    writeFileSync(path.join(forged, 'lineage/associations.lock.yaml'), 'lock_version: 1\n');
    writeFileSync(path.join(forged, 'lineage/workflows/wf_lead_optimization.yaml'), 'id: wf_lead_optimization\n');
    mkdirSync(path.join(artifacts, 'retrained-not_planned'));
    const r = await runAction(gh, w, {
      event: 'push',
      payload: push(sha),
      sha,
      inputs: { token: TOKEN, mode: 'plan', retrained: artifacts },
    });
    expect(r.code, r.stdout).toBe(0);
    for (const f of ['results/mol_toxicity.json', 'lineage/associations.lock.yaml', 'lineage/workflows/wf_lead_optimization.yaml'])
      expect(r.stdout).toContain(
        `::warning::lineage-gate: retrained-mol_metabolism: ${f} is not a file retraining mol_metabolism may change`,
      );
    expect(r.stdout).toContain('::warning::lineage-gate: retrained-not_planned: the plan does not retrain a model "not_planned"');
    expect(r.stdout).toContain('applied 1 retrained file(s) from 2 job(s)');
    // The metrics landed but the manifest did not move: mol_metabolism is still stale, and the forged files changed nothing.
    expect(r.outputs['retrain-count']).toBe('2');
    const report = r.report as { models: { id: string; status: string }[] };
    expect(report.models.find((m) => m.id === 'mol_toxicity')!.status).toBe('fail');
  });
});
