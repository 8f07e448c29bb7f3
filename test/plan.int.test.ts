// `lineage-gate plan` and `impact` on the example and on dataset updates of it: exactly the models an update leaves
// stale, why, which workflows wait; the same bytes every time; impact as the same plan seen from one entity.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaProblems } from '../src/core/input/schema.ts';
import type { Plan } from '../src/core/plan/plan.ts';
import type { Report } from '../src/core/types.ts';
import { cli } from './helpers/cli.ts';
import { exampleVersions } from './helpers/dvc.ts';
import { cleanup, copyExample, dataset, initGit, makeRepo, model, tree, workflow } from './helpers/repo.ts';

afterEach(cleanup);

const ROOT = 'examples/molecular-property/lineage';
const planOf = async (root: string, extra: string[] = []) => {
  const r = await cli(['plan', '--root', root, '--json', '-', ...extra]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.out) as Plan;
  expect(schemaProblems('plan', plan, 'plan.json')).toEqual([]);
  return { plan, text: r.out };
};
/**
 * A copy of the example (a DVC project) whose dataset `id` moved on to a new release, as `dvc add` records it in the
 * dataset's .dvc file, its models not yet retrained. `from` and `to` are the md5 before and after.
 */
function updated(id: string, release: string, repo = copyExample()) {
  const dvc = `data/${/dvc: \.\.\/\.\.\/data\/(\S+)/.exec(repo.read(`lineage/datasets/${id}.yaml`))![1]}`;
  const from = /md5: ([0-9a-f]{32})/.exec(repo.read(dvc))![1]!;
  const to = createHash('md5').update(`${id} ${release}\n`).digest('hex');
  repo.write(dvc, repo.read(dvc).replace(from, to));
  return { repo, from, to };
}

describe('plan on the example', () => {
  it('is empty when every model was retrained on the update: the workflows still wait for their scores', async () => {
    const { plan } = await planOf(ROOT);
    expect(plan.include).toEqual([]);
    expect(plan.count).toBe(0);
    expect(plan.truncated).toBe(false);
    expect(plan.chunks).toEqual([]);
    expect(plan.rescore.map((r) => [r.workflow, r.waits_on, r.nodes.map((n) => n.node)])).toEqual([
      ['wf_lead_optimization', [], ['solubility', 'route']],
      ['wf_property_prediction', [], ['activity', 'physchem', 'toxicity', 'screening']],
    ]);
    const text = await cli(['plan', '--root', ROOT]);
    expect(text.out).toMatch(/^lineage-gate plan: nothing to retrain\n {2}re-score \(nodes in the order they run\):\n/);
  });

  it('lists exactly the models a dataset update leaves stale, with the reason and the workflows that wait', async () => {
    const { repo, from, to } = updated('ds_admet_20210502', '1.5');
    const v = await exampleVersions();
    const { plan } = await planOf(repo.root);
    const check = JSON.parse((await cli(['check', '--root', repo.root, '--json', '-'])).out) as Report;
    const stale = check.models.filter((m) => m.stale).map((m) => m.id);
    expect(plan.include.map((e) => e.model)).toEqual(stale);
    expect(plan.include).toEqual([
      {
        model: 'mol_druggability',
        version: v.mol_druggability,
        reason: `trained on ds_admet_20210502@${from}, now at ${to}`,
        datasets: [{ id: 'ds_admet_20210502', trained_on: from, current: to }],
        stage: 'train_druggability',
        pipeline: 'dvc.yaml',
        metrics: 'results/mol_druggability.yaml',
        file: 'lineage/models/mol_druggability.yaml',
        workflows: ['wf_property_prediction'],
      },
      {
        model: 'mol_metabolism',
        version: v.mol_metabolism,
        reason: `trained on ds_admet_20210502@${from}, now at ${to}`,
        datasets: [{ id: 'ds_admet_20210502', trained_on: from, current: to }],
        stage: 'train_metabolism',
        pipeline: 'dvc.yaml',
        metrics: 'results/mol_metabolism.csv',
        file: 'lineage/models/mol_metabolism.yaml',
        workflows: ['wf_lead_optimization', 'wf_property_prediction'],
      },
    ]);
    expect(plan.count).toBe(2);
    expect(plan.chunks).toEqual([{ include: plan.include }]);
    const lead = plan.rescore.find((r) => r.workflow === 'wf_lead_optimization')!;
    expect(lead.waits_on).toEqual(['mol_metabolism']);
    // route needs solubility, which needs admet_screen: in that order.
    expect(lead.nodes.map((n) => n.node)).toEqual(['admet_screen', 'solubility', 'route']);
    const pp = plan.rescore.find((r) => r.workflow === 'wf_property_prediction')!;
    expect(pp.waits_on).toEqual(['mol_druggability', 'mol_metabolism']);
    expect(pp.nodes.at(-1)!.node).toBe('screening');

    const text = (await cli(['plan', '--root', repo.root])).out;
    const lines = text.split('\n').slice(0, 4);
    expect(lines[0]).toBe('lineage-gate plan: 2 models to retrain, 2 workflows to re-score');
    expect(lines[1]).toMatch(/^ {2}model +version +stage +why +waiting workflows *$/);
    expect(lines[2]).toMatch(
      new RegExp(
        `^  mol_druggability +${v.mol_druggability} +train_druggability +trained on ds_admet_20210502@${from}, now at ${to} +wf_property_prediction$`,
      ),
    );
    expect(lines[3]).toMatch(
      new RegExp(
        `^  mol_metabolism +${v.mol_metabolism} +train_metabolism +trained on ds_admet_20210502@${from}, now at ${to} +wf_lead_optimization, wf_property_prediction$`,
      ),
    );
  });

  it('names every dataset that moved in the reason, and is the same bytes every time', async () => {
    const { repo, from, to } = updated('ds_mol_20210421', '3.14');
    const first = await planOf(repo.root);
    const why = `trained on ds_mol_20210421@${from}, now at ${to}`;
    expect(first.plan.include.map((e) => [e.model, e.reason])).toEqual([
      ['mol_activity', why],
      ['mol_physchem', why],
      ['mol_toxicity', why],
      ['wf_mol_property_0721', why],
    ]);
    const tox = updated('ds_tox21_20210310', '2.1', repo);
    const both = await planOf(repo.root);
    expect(both.plan.include.find((e) => e.model === 'mol_toxicity')!.reason).toBe(
      `${why}, and on ds_tox21_20210310@${tox.from}, now at ${tox.to}`,
    );
    expect((await planOf(repo.root)).text).toBe(both.text);
  });

  it('writes the empty plan as {"include": [], "count": 0, ...} once everything is accepted', async () => {
    const repo = makeRepo(
      tree(
        dataset('ds', '1'),
        model('m', '1.0', { datasets: { ds: '1' }, gate: ['auc >= 0.5'], metrics: { auc: 0.7 } }),
        workflow('wf', '1', 0.5, [{ id: 'n', model: 'm', dataset: 'ds', weight: 1, metric: 'auc' }]),
      ),
    );
    expect((await cli(['accept', '--root', repo.root])).code).toBe(0);
    const r = await cli(['plan', '--root', repo.root, '--json', '-']);
    expect(r.out).toBe('{\n  "include": [],\n  "count": 0,\n  "truncated": false,\n  "rescore": [],\n  "chunks": []\n}\n');
    expect((await cli(['plan', '--root', repo.root])).out).toBe('lineage-gate plan: nothing to retrain\n');
  });

  it('--base REV plans against the accepted state of that revision, not a lock the change edited', async () => {
    const repo = copyExample();
    const g = initGit(repo);
    g.commit('the example');
    // The change retrains mol_metabolism and writes the lock as if that were accepted already: with its own lock,
    // nothing would re-score the nodes that run it.
    // dvc repro wrote a new model, so dvc.lock records a new hash for it; the lock is edited to match.
    const old = (await exampleVersions()).mol_metabolism!;
    const retrained = createHash('md5').update('mol_metabolism retrained').digest('hex');
    repo.write('dvc.lock', repo.read('dvc.lock').replaceAll(old, retrained));
    const lock = 'lineage/associations.lock.yaml';
    const accepted = repo.read(lock);
    repo.write(lock, repo.read(lock).replaceAll(old, retrained));
    const nodes = (plan: Plan) => plan.rescore.flatMap((r) => r.nodes.map((n) => `${r.workflow}/${n.node}`));
    const own = await planOf(repo.root);
    expect(nodes(own.plan)).not.toContain('wf_lead_optimization/admet_screen');
    // Against the base, a lock the change edited by hand is refused outright, naming what was forged...
    const forged = await cli(['plan', '--root', repo.root, '--base', 'HEAD']);
    expect(forged.code).toBe(2);
    expect(`${forged.out}${forged.err}`).toContain(
      `mol_metabolism's accepted version differs from the lock at HEAD: ${retrained} vs ${old}`,
    );
    // ...and the same change without it is planned against the base's lock.
    repo.write(lock, accepted);
    const based = await planOf(repo.root, ['--base', 'HEAD']);
    expect(nodes(based.plan)).toEqual(expect.arrayContaining(['wf_lead_optimization/admet_screen', 'wf_property_prediction/metabolism']));
    expect(nodes(based.plan).indexOf('wf_lead_optimization/admet_screen')).toBeLessThan(
      nodes(based.plan).indexOf('wf_lead_optimization/solubility'),
    );
  });

  it('refuses invalid input like check', async () => {
    const r = await cli(['plan', '--root', 'does/not/exist']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the lineage root does not exist');
  });
});

describe('impact as the per-entity view of the plan', () => {
  it('lists the models trained on a dataset without calling them "to retrain" when they were retrained', async () => {
    const r = await cli(['impact', 'ds_mol_20210421', '--root', ROOT]);
    expect(r.code).toBe(0);
    const v = await exampleVersions();
    expect(r.out).toContain(`impact of ds_mol_20210421 (dataset at ${v.ds_mol_20210421}):\n  models trained on this dataset (4):\n`);
    expect(r.out).toMatch(new RegExp(`mol_toxicity +${v.mol_toxicity} +trained on ${v.ds_mol_20210421}, the current version`));
    expect(r.out).toContain('  to retrain (0): none\n');
    expect(r.out).not.toContain('models to retrain');
  });

  it('agrees with plan: the same entries, reasons and node order for the same update', async () => {
    const { repo, from, to } = updated('ds_admet_20210502', '1.5');
    const v = await exampleVersions();
    const { plan } = await planOf(repo.root);
    const view = JSON.parse((await cli(['impact', 'ds_admet_20210502', '--root', repo.root, '--json'])).out);
    expect(view.include).toEqual(plan.include);
    expect(view.models.map((m: { model: string; retrain: boolean }) => [m.model, m.retrain])).toEqual([
      ['mol_druggability', true],
      ['mol_metabolism', true],
    ]);
    const lead = view.rescore.find((w: { workflow: string }) => w.workflow === 'wf_lead_optimization');
    expect(lead).toEqual(plan.rescore.find((w) => w.workflow === 'wf_lead_optimization'));
    const text = (await cli(['impact', 'ds_admet_20210502', '--root', repo.root])).out;
    expect(text).toMatch(new RegExp(`mol_metabolism +${v.mol_metabolism} +retrain: trained on ds_admet_20210502@${from}, now at ${to}`));
    expect(text).toContain('  to retrain (2): mol_druggability, mol_metabolism\n');
    const one = (await cli(['impact', 'mol_metabolism', '--root', repo.root])).out;
    expect(one).toContain(
      `impact of mol_metabolism (model at ${v.mol_metabolism}):\n  retrain: trained on ds_admet_20210502@${from}, now at ${to}\n`,
    );
  });
});
