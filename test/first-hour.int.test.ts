// What a new user sees in their first hour, word for word: files where no manifests are read, a root with none,
// "did you mean" for unknown ids, a mistyped trained-on version, duplicate node ids, skipped conditions, ids that
// differ only in case, and a Markdown report that reads as plain text.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaProblems } from '../src/core/input/schema.ts';
import type { Report } from '../src/core/types.ts';
import { gitWorld, runAction, seedExample, webhookExample } from './helpers/action-run.ts';
import { cli } from './helpers/cli.ts';
import { startFakeGitHub } from './helpers/github-server.ts';
import { cleanup, dataset, makeRepo, model, tree, workflow, y } from './helpers/repo.ts';

afterEach(cleanup);

const node = (id: string, m: string, needs: string[] = []) => ({ id, model: m, dataset: 'd', weight: 1, metric: 'acc', needs });
const base = () => tree(dataset('d', '1'), model('m', '1', { datasets: { d: '1' }, gate: ['acc >= 0.5'], metrics: { acc: 0.9 } }));

async function json(root: string): Promise<Report> {
  const r = await cli(['check', '--root', root, '--json', '-']);
  const report = JSON.parse(r.out) as Report;
  expect(schemaProblems('report', report, 'report.json')).toEqual([]);
  return report;
}

describe('files where no manifests are read', () => {
  it('a folder named like a kind folder but not one, and a root that therefore holds none', async () => {
    const repo = makeRepo({ 'lineage/model/m.yaml': y({ id: 'm', version: '1', description: 'x' }) });
    const r = await cli(['check', '--root', repo.root]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '  warning: lineage: the lineage root holds no manifests\n' +
        '    hint: put one dataset a file in lineage/datasets/, one model a file in lineage/models/ and one workflow a file in lineage/workflows/ (.yaml, .yml or .json)\n' +
        '  warning: lineage/model/: this folder is not read: lineage-gate reads manifests from datasets/, models/ and workflows/ only\n' +
        '    hint: did you mean lineage/models/? rename the folder\n',
    );
    expect((await json(repo.root)).warnings?.map((w) => w.file)).toEqual(['lineage', 'lineage/model/']);
  });

  it('a manifest with a mistyped extension, and a file at the top of the root', async () => {
    const repo = makeRepo({
      ...base(),
      'lineage/models/m2.ymal': y({ id: 'm2', version: '1', description: 'x' }),
      'lineage/models/notes.md': 'not a manifest, and not mistaken for one',
      'lineage/models/m.yaml~': 'an editor backup',
      'lineage/w.yaml': y({ id: 'w', version: '1', threshold: 0.5, nodes: [] }),
    });
    const r = await cli(['check', '--root', repo.root]);
    expect(r.out.split('\n').filter((l) => l.startsWith('  warning:') || l.startsWith('    hint:'))).toEqual([
      '  warning: lineage/models/m2.ymal: this file is not read: a model manifest ends in .yaml, .yml or .json',
      '    hint: did you mean lineage/models/m2.yaml? rename the file',
      '  warning: lineage/w.yaml: this file is not read: lineage-gate reads manifests from datasets/, models/ and workflows/ only',
      '    hint: move it into lineage/datasets/, lineage/models/ or lineage/workflows/, one entity a file',
    ]);
    const markdown = (await cli(['check', '--root', repo.root, '--markdown', '-'])).out;
    expect(markdown).toContain(
      '### ⚠️ Warnings (2)\n\n| File | Line | Problem | What to do |\n|---|---|---|---|\n' +
        '| lineage/models/m2.ymal |  | this file is not read: a model manifest ends in .yaml, .yml or .json | did you mean lineage/models/m2.yaml? rename the file |\n',
    );
  });

  it('a repository laid out as README says gets no warning', async () => {
    const repo = makeRepo(base());
    expect((await json(repo.root)).warnings).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('names the closest declared id for an unknown model, dataset or node', async () => {
    const repo = makeRepo(
      tree(
        dataset('ds_reviews', '1'),
        model('m_sentiment', '1', { datasets: { ds_reveiws: '1' } }),
        workflow('w', '1', 0.5, [
          { ...node('score', 'm_sentimnet'), dataset: 'ds_reviews' },
          { ...node('report', 'm_sentiment', ['scroe']), dataset: 'ds_reviews' },
        ]),
      ),
    );
    const r = await cli(['check', '--root', repo.root]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('lineage/models/m_sentiment.yaml:5: datasets: unknown dataset "ds_reveiws"; did you mean "ds_reviews"?\n');
    expect(r.out).toContain('lineage/workflows/w.yaml:6: nodes.0.model: unknown model "m_sentimnet"; did you mean "m_sentiment"?\n');
    expect(r.out).toContain('nodes.1.needs: unknown node "scroe"; did you mean "score"?\n');
  });

  it('suggests nothing when no id is close, and impact suggests too', async () => {
    const repo = makeRepo(tree(dataset('d', '1'), workflow('w', '1', 0.5, [node('n', 'completely_other')])));
    const r = await cli(['check', '--root', repo.root]);
    expect(r.out).toContain('nodes.0.model: unknown model "completely_other"\n');
    const ok = makeRepo(base());
    expect((await cli(['impact', 'D', '--root', ok.root])).err).toBe('lineage-gate impact: no dataset or model "D"; did you mean "d"?\n');
  });
});

describe('a trained-on version the dataset never had', () => {
  async function accepted() {
    const repo = makeRepo(base());
    expect((await cli(['accept', '--root', repo.root])).code).toBe(0);
    repo.write('lineage/datasets/d.yaml', y({ id: 'd', version: '1.13' }));
    return repo;
  }

  it('is reported as probably mistyped, with the nearest version it had', async () => {
    const repo = await accepted();
    repo.write(
      'lineage/models/m.yaml',
      y({ id: 'm', version: '2', description: 'x', datasets: { d: '1.31' }, gate: ['acc >= 0.5'], metrics: '../../results/m.json' }),
    );
    const r = await cli(['check', '--root', repo.root]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '  ✗ model m 1 → 2:\n      trained on d@1.31, a version d never had (it is at 1.13, accepted at 1): probably mistyped; did you mean "1.13"?\n',
    );
    expect(r.out).not.toContain('retraining required');
  });

  it('while a version it had is still training to redo, from the lock or from the history alone', async () => {
    const repo = await accepted();
    const r = await cli(['check', '--root', repo.root]);
    expect(r.out).toContain('      retraining required: trained on d@1, which is now at 1.13\n');
    // A version only the history remembers (the lock moved on since) is one the dataset had.
    const [record] = repo.list('lineage/history');
    const file = path.join(repo.root, 'history', record!);
    const h = JSON.parse(repo.read(`lineage/history/${record}`)) as { accepted: { datasets: Record<string, string> } };
    h.accepted.datasets.d = '0.9';
    writeFileSync(file, JSON.stringify(h));
    repo.write(
      'lineage/models/m.yaml',
      y({ id: 'm', version: '2', description: 'x', datasets: { d: '0.9' }, gate: ['acc >= 0.5'], metrics: '../../results/m.json' }),
    );
    expect((await cli(['check', '--root', repo.root])).out).toContain(
      '      retraining required: trained on d@0.9, which is now at 1.13\n',
    );
  });
});

describe('duplicate node ids', () => {
  it('are reported as duplicates, not as the cycle they would seem to make', async () => {
    const repo = makeRepo({ ...base(), ...tree(workflow('w', '1', 0.5, [node('a', 'm'), node('b', 'm', ['a']), node('a', 'm', ['b'])])) });
    const r = await cli(['check', '--root', repo.root, '--json', '-']);
    const report = JSON.parse(r.out) as Report;
    expect(report.errors.map((e) => `${e.file}:${e.line}: ${e.message} (${e.hint})`)).toEqual([
      'lineage/workflows/w.yaml:18: nodes.2.id: duplicate node id "a", already the id of nodes.0 (node ids are unique within a workflow; rename one of the two nodes)',
    ]);
  });

  it('a real cycle is still one', async () => {
    const repo = makeRepo({
      ...base(),
      ...tree(workflow('w', '1', 0.5, [node('a', 'm', ['c']), node('b', 'm', ['a']), node('c', 'm', ['b'])])),
    });
    expect((await cli(['check', '--root', repo.root])).out).toContain('nodes form a cycle: a → c → b → a');
  });
});

describe('skipped conditions', () => {
  it('show in the terminal and in the Markdown summary instead of "all conditions hold"', async () => {
    const repo = makeRepo(
      tree(
        dataset('d', '1'),
        model('m', '1', { datasets: { d: '1' }, gate: ['acc >= 0.5', 'acc >= baseline - 0.02'], metrics: { acc: 0.9 } }),
      ),
    );
    const r = await cli(['check', '--root', repo.root]);
    expect(r.out).toContain(
      '  ✓ model m 1\n      skipped: acc >= baseline - 0.02 (no accepted baseline yet; checked once this version is accepted)\n',
    );
    const markdown = (await cli(['check', '--root', repo.root, '--markdown', '-'])).out;
    expect(markdown).toContain('| ✅ pass | `m` | `1` (new) | 1 holds, 1 skipped: no accepted baseline yet |');
    expect(markdown).not.toContain('all conditions hold');
  });
});

describe('ids that differ only in case', () => {
  it('are refused: they would be the same page of the site on macOS and Windows', async () => {
    const repo = makeRepo(
      tree(dataset('d', '1'), model('M_a', '1', { datasets: { d: '1' } }), model('m_A', '1', { datasets: { d: '1' } })),
    );
    const r = await cli(['check', '--root', repo.root]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      'lineage/models/m_A.yaml:1: model id "m_A" differs only in case from "M_a" in lineage/models/M_a.yaml\n' +
        '    hint: ids are unique per kind ignoring case (each is a page of the site, and macOS and Windows do not tell case apart); rename one of the models\n',
    );
  });
});

describe('in the Action', () => {
  it('a misplaced manifest is a warning annotation on the file, and the check still judges the rest', async () => {
    const w = gitWorld();
    const gh = await startFakeGitHub({ bare: w.bare });
    try {
      gh.addToken('ghs_WARNtoken0123456789SECRET', { login: 'github-actions[bot]', installation: true });
      seedExample(w);
      writeFileSync(path.join(w.work, 'lineage/models/mol_solubility.ymal'), y({ id: 'mol_solubility', version: '1', description: 'x' }));
      const sha = w.commitAll('a new model, misnamed');
      const payload = { ...webhookExample('push'), repository: { full_name: `${gh.owner}/${gh.repo}`, default_branch: 'main' } };
      const r = await runAction(gh, w, {
        event: 'pull_request',
        payload,
        sha,
        inputs: { token: 'ghs_WARNtoken0123456789SECRET', mode: 'check', comment: 'off', 'fail-on': 'never' },
      });
      expect(r.stdout).toContain(
        '::warning title=lineage-gate%3A not read,file=lineage/models/mol_solubility.ymal::this file is not read: a model manifest ends in .yaml, .yml or .json. did you mean lineage/models/mol_solubility.yaml? rename the file',
      );
      expect(r.outputs.status).toBe('fail');
      expect(r.summary).toContain('### ⚠️ Warnings (1)');
      expect(gh.requests).toEqual([]);
    } finally {
      await gh.close();
      w.cleanup();
    }
  });
});
