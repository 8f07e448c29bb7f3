// `export --format openlineage` on the example and on forged inputs: events a consumer accepts, the same bytes every
// time, the lineage (versions, gates, scores) carried faithfully, and every rule about identities enforced.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as yamlParse } from 'yaml';
import { schemaProblems } from '../src/core/input/schema.ts';
import type { RunEvent } from '../src/core/openlineage/facets.ts';
import type { Lock } from '../src/core/types.ts';
import { cli } from './helpers/cli.ts';
import { exampleVersions } from './helpers/dvc.ts';
import { cleanup, copyExample, dataset, makeRepo, model, tree, workflow, y } from './helpers/repo.ts';

afterEach(cleanup);

const ROOT = 'examples/molecular-property/lineage';
const NS = 'https://github.com/example/drug-discovery';
const AT = '2021-08-01T00:00:00Z';
const lines = (out: string) => out.trimEnd().split('\n');
const parse = (out: string) => lines(out).map((l) => JSON.parse(l) as RunEvent);
const exportOf = (root: string, extra: string[] = [], env?: Record<string, string | undefined>) =>
  cli(['export', '--format', 'openlineage', '--root', root, ...extra], env);

/** Every facet anywhere in an event: run, job, dataset and input facets. */
function facetsOf(e: RunEvent): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const add = (where: string, facets?: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(facets ?? {})) out.push([`${where}.${k}`, v as Record<string, unknown>]);
  };
  add('run', e.run.facets);
  add('job', e.job.facets);
  for (const d of [...e.inputs, ...e.outputs]) {
    add(`dataset ${d.name}`, d.facets);
    add(`dataset ${d.name} input`, d.inputFacets);
  }
  return out;
}

describe('export --format openlineage on the example', () => {
  it('emits RunEvents a consumer accepts, byte-identical across runs', async () => {
    const first = await exportOf(ROOT, ['--namespace', NS, '--at', AT]);
    expect(first.code).toBe(0);
    expect(first.err).toBe('');
    const second = await exportOf(ROOT, ['--namespace', NS, '--at', AT]);
    expect(second.out).toBe(first.out);
    const events = parse(first.out);
    expect(events.length).toBeGreaterThan(40);
    for (const [i, e] of events.entries()) {
      expect(schemaProblems('openlineage-event', e, `event ${i + 1}`)).toEqual([]);
      expect(e.run.runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(new Date(e.eventTime).toISOString()).toBe(e.eventTime);
      expect(e.schemaURL).toBe('https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent');
      for (const [where, f] of facetsOf(e)) {
        expect(f._producer, where).toBe(e.producer);
        expect(f._schemaURL, where).toMatch(/^https:\/\/(openlineage\.io\/spec\/facets\/\d+-\d+-\d+\/|lineage-gate\.dev\/schemas\/)/);
      }
    }
    expect(new Set(events.map((e) => e.run.runId)).size).toBe(events.length);
  });

  it('carries each dataset version, training run, gate 1 and gate 2 of the history and the pending evaluation', async () => {
    const events = parse((await exportOf(ROOT, ['--namespace', NS, '--at', AT])).out);
    const named = (name: string) => events.filter((e) => e.job.name === name);
    const version = (d: { facets?: Record<string, unknown> }) => (d.facets!.version as { datasetVersion: string }).datasetVersion;

    // The example is a DVC project: versions are the hashes DVC recorded, accepted (the lock) and pending (now).
    const now = await exampleVersions();
    const was = (yamlParse(readFileSync(`${ROOT}/associations.lock.yaml`, 'utf8')) as Lock).models.mol_toxicity!;
    const molWas = was.datasets.ds_mol_20210421!;
    const tox = now.ds_tox21_20210310!;
    // ds_mol_20210421 went from release 3.12_beta (accepted in record 1) to 3.13 (pending): one dataset run per version.
    expect(named('dataset.ds_mol_20210421').map((e) => [e.eventTime, version(e.outputs[0]!)])).toEqual([
      ['2021-07-01T00:00:00.000Z', molWas],
      ['2021-08-01T00:00:00.000Z', now.ds_mol_20210421],
    ]);
    // Training runs read the datasets at the versions the model was trained on, and output the model version.
    const toxTrain = named('model.mol_toxicity.train');
    expect(
      toxTrain.map((e) => [e.inputs.map((i) => `${i.name}@${version(i)}`), `${e.outputs[0]!.name}@${version(e.outputs[0]!)}`]),
    ).toEqual([
      [[`ds_mol_20210421@${molWas}`, `ds_tox21_20210310@${tox}`], `model.mol_toxicity@${was.version}`],
      [[`ds_mol_20210421@${now.ds_mol_20210421}`, `ds_tox21_20210310@${tox}`], `model.mol_toxicity@${now.mol_toxicity}`],
    ]);
    expect(toxTrain.every((e) => e.outputs[0]!.namespace === NS && e.inputs[0]!.namespace === NS)).toBe(true);

    // Gate 1: TEST job; one assertion and one test per condition; FAIL where the gate failed.
    const gate = named('model.mol_toxicity.gate').at(-1)!;
    expect(gate.eventType).toBe('FAIL');
    expect(gate.job.facets.jobType).toMatchObject({ jobType: 'TEST', integration: 'LINEAGE_GATE', processingType: 'BATCH' });
    const assertions = (gate.inputs[0]!.inputFacets!.dataQualityAssertions as unknown as { assertions: unknown[] }).assertions;
    expect(assertions).toEqual([
      {
        assertion: 'test.auc >= 0.85',
        success: true,
        severity: 'error',
        properties: { metric: 'test.auc', op: '>=', expected: 0.85, actual: 0.86, result: 'pass' },
      },
      {
        assertion: 'test.auc >= baseline - 0.02',
        success: false,
        severity: 'error',
        properties: { metric: 'test.auc', op: '>=', expected: 0.89, actual: 0.86, result: 'fail' },
      },
    ]);
    const tests = (gate.run.facets!.test as unknown as { tests: { status: string; expected?: string; actual?: string }[] }).tests;
    expect(tests.map((t) => [t.status, t.expected, t.actual])).toEqual([
      ['pass', '0.85', '0.86'],
      ['fail', '0.89', '0.86'],
    ]);
    expect(gate.run.facets!.lineageGate_gate).toMatchObject({ gate: 1, status: 'fail', accepted_version: was.version, stale: false });
    expect(named('model.mol_activity.gate').map((e) => e.eventType)).toEqual(['COMPLETE', 'COMPLETE']);

    // Gate 2: the workflow's score facet, and a child run per node linked to it.
    const wf = named('workflow.wf_property_prediction').at(-1)!;
    expect(wf.eventType).toBe('FAIL');
    const score = wf.run.facets!.lineageGate_workflowScore as unknown as Record<string, unknown> & { nodes: Record<string, unknown>[] };
    expect(score).toMatchObject({ gate: 2, status: 'fail', threshold: 0.8, accepted_score: 0.8545, max_drop: 0.03 });
    expect(score.score).toBeCloseTo(0.846, 10);
    expect(score.nodes.map((n) => [n.id, n.weight])).toEqual([
      ['activity', 0.1],
      ['physchem', 0.2],
      ['metabolism', 0.2],
      ['toxicity', 0.25],
      ['druggability', 0.15],
      ['screening', 0.1],
    ]);
    for (const n of score.nodes) {
      expect(typeof n.score).toBe('number');
      expect(typeof n.contribution).toBe('number');
      expect(typeof n.headroom).toBe('number');
    }
    const children = events.filter((e) => (e.run.facets?.parent as { run?: { runId: string } })?.run?.runId === wf.run.runId);
    expect(children.map((e) => e.job.name)).toEqual(score.nodes.map((n) => `workflow.wf_property_prediction.${n.id}`));
    for (const c of children) {
      expect(c.run.facets!.parent).toMatchObject({ job: { namespace: NS, name: 'workflow.wf_property_prediction' } });
      expect(c.job.facets.jobType).toMatchObject({ jobType: 'TASK' });
    }
    expect(children.find((c) => c.job.name.endsWith('.toxicity'))!.inputs.map((i) => `${i.name}@${version(i)}`)).toEqual([
      `model.mol_toxicity@${now.mol_toxicity}`,
      `ds_tox21_20210310@${tox}`,
    ]);
  });

  it('--accepted-only leaves out the pending evaluation; the pending gate runs keep their ids once accepted', async () => {
    const all = parse((await exportOf(ROOT, ['--namespace', NS, '--at', AT])).out);
    const accepted = parse((await exportOf(ROOT, ['--namespace', NS, '--at', AT, '--accepted-only'])).out);
    expect(accepted.every((e) => e.eventTime < '2021-08-01')).toBe(true);
    expect(all.slice(0, accepted.length)).toEqual(accepted);
    expect(accepted.some((e) => e.outputs.some((o) => o.name === 'model.mol_toxicity' && JSON.stringify(o).includes('"3.3"')))).toBe(false);

    // accept turns the pending evaluation into history record 3: the same runs, under the same ids.
    const repo = copyExample();
    const pending = parse((await exportOf(repo.root, ['--namespace', NS, '--at', AT])).out);
    expect((await cli(['accept', '--root', repo.root, '--at', AT])).code).toBe(0);
    const after = parse((await exportOf(repo.root, ['--namespace', NS, '--at', '2021-09-01T00:00:00Z', '--accepted-only'])).out);
    const ids = (list: RunEvent[], name: string) => list.filter((e) => e.job.name === name).map((e) => e.run.runId);
    expect(ids(after, 'model.mol_toxicity.gate')).toEqual(ids(pending, 'model.mol_toxicity.gate'));
    expect(ids(after, 'model.mol_toxicity.gate')).toHaveLength(2);
    expect(ids(after, 'workflow.wf_property_prediction')).toEqual(ids(pending, 'workflow.wf_property_prediction'));
  });

  it('takes the time from --at, else SOURCE_DATE_EPOCH, else the commit; never the clock', async () => {
    const repo = copyExample();
    const pendingTime = async (args: string[], env: Record<string, string | undefined>) =>
      parse((await exportOf(repo.root, ['--namespace', NS, ...args], env)).out).at(-1)!.eventTime;
    expect(await pendingTime(['--at', '2022-01-02T03:04:05Z'], { SOURCE_DATE_EPOCH: '1700000000' })).toBe('2022-01-02T03:04:05.000Z');
    expect(await pendingTime([], { SOURCE_DATE_EPOCH: '1700000000' })).toBe('2023-11-14T22:13:20.000Z');
    // No --at and no SOURCE_DATE_EPOCH: the evaluated commit's date.
    execFileSync('git', ['-C', repo.dir, 'init', '-q']);
    execFileSync('git', ['-C', repo.dir, 'add', '-A']);
    execFileSync('git', ['-C', repo.dir, 'commit', '-q', '-m', 'x'], {
      env: { ...process.env, ...gitIdentity, GIT_COMMITTER_DATE: '2024-05-06T07:08:09Z', GIT_AUTHOR_DATE: '2024-05-06T07:08:09Z' },
    });
    expect(await pendingTime([], {})).toBe('2024-05-06T07:08:09.000Z');
    expect((await exportOf(repo.root, ['--namespace', NS, '--at', 'yesterday'])).code).toBe(2);
  });
});

const gitIdentity = {
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
};

describe('namespaces and dataset identities', () => {
  const small = (metaA: Record<string, unknown> = {}, extra: [string, string][] = []) =>
    makeRepo(
      tree(
        dataset('ds_a', '1', metaA),
        dataset('ds_b', '2'),
        model('m1', '1.0', { datasets: { ds_a: '1', ds_b: '2' }, gate: ['auc >= 0.5'], metrics: { auc: 0.7 } }),
        workflow('wf', '1', 0.5, [{ id: 'n1', model: 'm1', dataset: 'ds_a', weight: 1, metric: 'auc' }]),
        ...extra,
      ),
    );

  it('names a dataset as meta.openlineage says, everywhere it appears, so it merges with other producers', async () => {
    const repo = small({ meta: { openlineage: { namespace: 's3://lake', name: 'curated/ds_a' } } });
    const r = await exportOf(repo.root, ['--namespace', NS, '--at', AT]);
    expect(r.code).toBe(0);
    const events = parse(r.out);
    const refs = events.flatMap((e) => [...e.inputs, ...e.outputs]).filter((d) => d.name.includes('ds_a'));
    expect(refs.length).toBeGreaterThanOrEqual(4); // dataset run, training input, workflow input, node input
    expect(refs.every((d) => d.namespace === 's3://lake' && d.name === 'curated/ds_a')).toBe(true);
    expect(events.find((e) => e.job.name === 'dataset.ds_a')!.job.namespace).toBe(NS);
    expect(events.find((e) => e.job.name === 'dataset.ds_b')!.outputs[0]).toMatchObject({ namespace: NS, name: 'ds_b' });
  });

  it('refuses an identity two datasets share, or one a model has, naming the file and line', async () => {
    const clash = small({ meta: { openlineage: { name: 'ds_b' } } });
    const r = await exportOf(clash.root, ['--namespace', NS, '--at', AT]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/lineage\/datasets\/ds_b\.yaml:\d+: meta\.openlineage: names the same OpenLineage dataset .* as dataset ds_a/);

    const asModel = makeRepo(
      tree(dataset('model.m1', '1'), model('m1', '1.0', { datasets: { 'model.m1': '1' }, gate: ['auc >= 0.5'], metrics: { auc: 0.7 } })),
    );
    const m = await exportOf(asModel.root, ['--namespace', NS, '--at', AT]);
    expect(m.code).toBe(2);
    expect(m.err).toContain('as model m1');
  });

  it('refuses a malformed meta.openlineage with its line', async () => {
    const repo = small({ meta: { openlineage: { namespace: 42, nmae: 'x' } } });
    const r = await exportOf(repo.root, ['--namespace', NS, '--at', AT]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ds_a\.yaml:\d+: meta\.openlineage\.nmae: unknown field "nmae"/);
    expect(r.err).toMatch(/ds_a\.yaml:\d+: meta\.openlineage\.namespace: must be a non-empty string/);
  });

  it('defaults the namespace to the repository URL, without the credentials a remote may carry', async () => {
    const repo = small();
    const nsOf = async (env: Record<string, string | undefined>) => {
      const r = await exportOf(repo.root, ['--at', AT], env);
      return r.code === 0 ? parse(r.out)[0]!.job.namespace : r.err;
    };
    expect(await nsOf({})).toContain('pass --namespace URL');
    execFileSync('git', ['-C', repo.dir, 'init', '-q']);
    execFileSync('git', ['-C', repo.dir, 'remote', 'add', 'origin', 'https://x-access-token:ghs_SECRET123@github.com/acme/chem.git']);
    const out = (await exportOf(repo.root, ['--at', AT], {})).out;
    expect(out).not.toContain('SECRET');
    expect(parse(out)[0]!.job.namespace).toBe('https://github.com/acme/chem');
    execFileSync('git', ['-C', repo.dir, 'remote', 'set-url', 'origin', 'git@github.com:acme/chem.git']);
    expect(await nsOf({})).toBe('https://github.com/acme/chem');
    expect(await nsOf({ GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_REPOSITORY: 'acme/chem2' })).toBe(
      'https://ghe.example.com/acme/chem2',
    );
  });

  it('leaves out a history record that is not one, and entries of a report it cannot read', async () => {
    const repo = copyExample();
    // The second record, whatever the example's fingerprints are now.
    const file = `lineage/history/${repo.list('lineage/history').find((f) => f.startsWith('000002-'))}`;
    const h = JSON.parse(repo.read(file));
    repo.write(file, JSON.stringify({ ...h, sequence: 'two' }));
    const r = await exportOf(repo.root, ['--namespace', NS, '--at', AT]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${file}: not a lineage-gate history record; left out`);
    expect(parse(r.out).some((e) => e.eventTime.startsWith('2021-07-15'))).toBe(false);

    // A record the schema accepts, whose report holds junk: the junk is skipped, the rest exported.
    h.report.models = [
      { id: 'forged', status: 'pass' },
      'x',
      { id: 'mol_metabolism', version: '1.1', status: 'pass', conditions: [{ text: 1 }] },
    ];
    h.report.workflows = [{ id: 'wf_x', version: '1', status: 'pass', threshold: 'high' }];
    repo.write(file, JSON.stringify(h));
    const junk = await exportOf(repo.root, ['--namespace', NS, '--at', AT]);
    expect(junk.code).toBe(0);
    expect(junk.out).not.toContain('forged');
    expect(junk.out).not.toContain('wf_x');
    const gate = parse(junk.out).find((e) => e.job.name === 'model.mol_metabolism.gate' && e.eventTime.startsWith('2021-07-15'))!;
    expect((gate.run.facets!.test as unknown as { tests: unknown[] }).tests).toEqual([]);
  });

  it('writes --out atomically and refuses an API key on the command line without echoing it', async () => {
    const repo = small();
    const out = path.join(repo.dir, 'events.ndjson');
    const r = await exportOf(repo.root, ['--namespace', NS, '--at', AT, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(lines(readFileSync(out, 'utf8')).length).toBeGreaterThan(3);
    const key = await exportOf(repo.root, ['--namespace', NS, '--url', 'http://127.0.0.1:9', '--api-key', 'sk_live_TOPSECRET']);
    expect(key.code).toBe(2);
    expect(key.err).toContain('OPENLINEAGE_API_KEY');
    expect(key.err + key.out).not.toContain('TOPSECRET');
    expect((await exportOf(repo.root, ['--namespace', NS])).code).toBe(0);
    expect((await cli(['export', '--root', repo.root, '--format', 'csv'])).code).toBe(2);
  });

  it('refuses invalid manifests before exporting anything', async () => {
    const repo = small({}, [['lineage/models/bad.yaml', y({ id: 'bad' })]]);
    const r = await exportOf(repo.root, ['--namespace', NS, '--at', AT]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });
});
