/// <reference lib="dom" />
// Every page type of the lineage site in Debian's Chromium, at desktop and phone sizes, in light and dark: no
// console error or CSP violation, no horizontal scroll at 390 px, no axe-core violation (contrast included), and a
// screenshot of each in test/screenshots/. Then what the review views show: model and workflow pages, the pending
// evaluation, the diff, catalogues, links to the repository at the evaluated commit, the stamp, the 404 page, and
// what works without JavaScript.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRepoUrl } from '../src/core/site/repo-url.ts';
import { launch } from './helpers/browser.ts';
import { exampleAccepted, exampleVersions } from './helpers/dvc.ts';
import { measureGraph } from './helpers/graph-geometry.ts';
import { serveSite } from './helpers/static-server.ts';

const BASE = '/lineage/';
const SHOTS = 'test/screenshots';
const REPO = 'https://github.com/acme/molecules';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
let server: { url: string; close(): Promise<void> };
let sha: string;
const contexts: { close(): Promise<void> }[] = [];
const out = mkdtempSync(path.join(tmpdir(), 'lg-pages-'));

const PAGES: [name: string, rel: string][] = [
  ['overview', ''],
  ['graph', 'graph/'],
  ['search', 'search/?q=toxicity'],
  ['datasets', 'datasets/'],
  ['models', 'models/'],
  ['workflows', 'workflows/'],
  ['dataset', 'datasets/ds_mol_20210421/'],
  ['model', 'models/mol_toxicity/'],
  ['workflow', 'workflows/wf_property_prediction/'],
  ['evaluations', 'evaluations/'],
  ['evaluation', 'evaluations/2/'],
  ['pending', 'pending/'],
  ['diff', 'diff/?a=1&b=pending'],
  ['not-found', '404.html'],
];
const DEVICES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const dir = path.join(out, 'example');
  const r = spawnSync(
    process.execPath,
    ['bin/lineage-gate.js', 'site', '--root', 'examples/molecular-property/lineage', '--out', dir, '--base', BASE, '--repo-url', REPO],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`site build failed: ${r.stderr}`);
  sha = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  browser = await launch();
  server = await serveSite(dir, BASE);
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

async function open(rel: string, options: BrowserContextOptions = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: DEVICES.desktop, ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
  );
  contexts.push(context);
  await page.goto(`${server.url}${BASE}${rel}`);
  await page.waitForLoadState('networkidle');
  if (rel.startsWith('graph/') && options.javaScriptEnabled !== false)
    await page.waitForFunction(() => document.getElementById('explorer')?.dataset.ready === 'true');
  return { page, problems };
}

/** axe-core's violations on the page as it is, each as "rule: target …". */
async function axe(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
    };
    return (await w.axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The version the example's first history record accepted for a model. */
const firstAccepted = (id: string): string => {
  const dir = 'examples/molecular-property/lineage/history';
  const first = readdirSync(dir).sort()[0]!;
  return (JSON.parse(readFileSync(`${dir}/${first}`, 'utf8')) as { accepted: { models: Record<string, { version: string }> } }).accepted
    .models[id]!.version;
};

describe('every page type, on every device, in light and dark', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const [device, viewport] of Object.entries(DEVICES)) {
      it(`${device}, ${scheme}: no errors, no horizontal scroll, no axe violations; screenshots`, async () => {
        const found: Record<string, string[]> = {};
        for (const [name, rel] of PAGES) {
          const { page, problems } = await open(rel, { viewport, colorScheme: scheme });
          await page.screenshot({ path: `${SHOTS}/${name}-${device}-${scheme}.png`, fullPage: true });
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          const issues = [...problems, ...(wide > 0 ? [`scrolls sideways by ${wide} px`] : []), ...(await axe(page))];
          if (issues.length) found[name] = issues;
          await page.close();
        }
        expect(found).toEqual({});
      });
    }
  }
});

describe('the review views', () => {
  it('model page: thresholds, the accepted baseline and this change on a time axis; every metric; trained on, accepted and now', async () => {
    const { page } = await open('models/mol_toxicity/');
    const chart = page.locator('figure.chart').first();
    // Two conditions on test.auc: 0.85 and baseline − 0.02 = 0.89, each a labelled line.
    expect(await chart.locator('.threshold').count()).toBe(2);
    expect(await chart.locator('.threshold-label').allTextContents()).toEqual([
      '>= 0.85 (test.auc >= 0.85)',
      '>= 0.89 (test.auc >= baseline - 0.02)',
    ]);
    expect(await chart.locator('.baseline-ring').count()).toBe(1);
    expect(await chart.locator('.dot.pending').count()).toBe(1);
    // A time axis: dates, not evaluation numbers.
    expect((await chart.locator('svg > text').allTextContents()).some((t) => /^\d{4}-\d{2}-\d{2}$/.test(t))).toBe(true);
    const metrics = page.locator('h2:text("Metrics") + p + .table-scroll table');
    expect(await metrics.locator('tbody tr td:first-child').allTextContents()).toEqual(['test.auc', 'test.f1']);
    const trained = page.locator('h2:text("Trained on") + .table-scroll tbody tr').first();
    // The example is a DVC project: dataset versions are the md5s its .dvc files record.
    const mol = { was: exampleAccepted('datasets', 'ds_mol_20210421'), now: (await exampleVersions()).ds_mol_20210421 };
    expect(await trained.locator('td').allTextContents()).toEqual(['ds_mol_20210421', mol.was, `${mol.now} (changed)`, mol.now]);
    await page.close();
  });

  it('workflow page: unbroken ids, a DAG whose edges go around boxes, headroom in words, the contribution chart captioned', async () => {
    const { page } = await open('workflows/wf_property_prediction/', { viewport: DEVICES.phone });
    const cell = page.locator('tr#node-druggability td').first();
    expect(await cell.evaluate((td) => getComputedStyle(td).whiteSpace)).toBe('nowrap');
    // One line: the id is not broken (counted by the lines its text takes; the row is taller where a DVC hash wraps).
    expect(
      await cell.evaluate((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }),
    ).toBe(1);
    const dag = await page.evaluate(measureGraph, '.dag svg');
    expect(dag.edges).toBe(5);
    expect(dag.crossings).toEqual([]);
    expect(dag.arrowless).toEqual([]);
    expect(await page.locator('ul.headroom li').allTextContents()).toContain(
      'toxicity (test.auc 0.86) may fall by 0.086, to 0.774, all else equal, before the workflow fails.',
    );
    expect(await page.locator('figure.chart figcaption').first().textContent()).toContain('weight × score ÷ total weight');
    await page.close();
  });

  it('pending page: what this change would accept and keep back', async () => {
    const { page } = await open('pending/');
    const text = (await page.locator('main').textContent())!;
    expect(text).toContain('What this change does');
    expect(await page.locator('table:has(caption:text("Models")) tbody td:first-child').allTextContents()).toEqual([
      'mol_activity',
      'mol_physchem',
      'wf_mol_property_0721',
    ]);
    expect(await page.locator('h2:text("Kept back (failed)") + ul').textContent()).toContain('model mol_toxicity');
    await page.close();
  });

  it('diff: any two evaluations, as the lock diff between them reads', async () => {
    const { page, problems } = await open('diff/?a=1&b=2');
    await page.waitForFunction(() => document.getElementById('diff-status')!.textContent!.startsWith('From'));
    expect(await page.locator('#diff-status').textContent()).toBe('From #1 to #2: 3 association(s) moved over 1 evaluation(s).');
    expect(await page.locator('#diff-result table:has(caption:text("Models")) tbody tr').allTextContents()).toEqual([
      `mol_metabolism${firstAccepted('mol_metabolism')} → ${exampleAccepted('models', 'mol_metabolism')}test.auc 0.8 → 0.82`,
    ]);
    await page.selectOption('#diff-a', '1');
    await page.selectOption('#diff-b', 'pending');
    await page.click('#diff-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('diff-status')!.textContent!.includes('pending'));
    const models = await page.locator('#diff-result table:has(caption:text("Models")) tbody td:first-child').allTextContents();
    expect(models).toEqual(['mol_activity', 'mol_metabolism', 'mol_physchem', 'wf_mol_property_0721']);
    expect(await page.locator('#diff-result').textContent()).toContain('kept back: model mol_toxicity');
    expect(page.url()).toContain('b=pending');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('catalogues: every model, failing first, sortable and filterable', async () => {
    const { page, problems } = await open('models/');
    const ids = () => page.locator('#cat-rows tr td:first-child').allTextContents();
    expect((await ids())[0]).toBe('mol_toxicity');
    expect(await ids()).toHaveLength(7);
    await page.locator('th[data-sort=id] button').click();
    await page.waitForFunction(() => document.querySelector('#cat-rows tr td')?.textContent === 'mol_activity');
    expect(await ids()).toEqual([...(await ids())].sort());
    await page.locator('th[data-sort=id] button').click();
    await page.waitForFunction(() => document.querySelector('#cat-rows tr td')?.textContent === 'wf_mol_property_0721');
    await page.selectOption('#cat-status', 'fail');
    await page.waitForFunction(() => document.querySelectorAll('#cat-rows tr').length === 1);
    expect(await ids()).toEqual(['mol_toxicity']);
    await page.selectOption('#cat-status', '');
    await page.fill('#cat-text', 'retro');
    await page.waitForFunction(() => document.querySelectorAll('#cat-rows tr').length === 1);
    expect(await ids()).toEqual(['mol_retrosynth']);
    expect(problems).toEqual([]);
    await page.close();
    const datasets = await open('datasets/');
    expect(await datasets.page.locator('#cat-rows tr').count()).toBe(6);
    await datasets.page.close();
  });

  it('links manifests and metric files to the repository at the evaluated commit, and stamps every page', async () => {
    const { page } = await open('models/mol_toxicity/');
    expect(await page.locator('dd a', { hasText: 'models/mol_toxicity.yaml' }).getAttribute('href')).toBe(
      `${REPO}/blob/${sha}/examples/molecular-property/lineage/models/mol_toxicity.yaml`,
    );
    expect(await page.locator('dd a', { hasText: 'results/mol_toxicity.json' }).getAttribute('href')).toBe(
      `${REPO}/blob/${sha}/examples/molecular-property/results/mol_toxicity.json`,
    );
    const stamp = (await page.locator('footer').textContent())!;
    expect(stamp).toContain(`Built from commit ${sha.slice(0, 12)} of `);
    expect(await page.locator('footer a').getAttribute('href')).toBe(`${REPO}/commit/${sha}`);
    await page.close();
  });

  it('has a 404 page that leads back into the site', async () => {
    const { page } = await open('404.html');
    expect(await page.locator('h1').textContent()).toBe('Not found');
    expect(await page.locator('main a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toContain(`${BASE}models/`);
    await page.close();
  });

  it('without JavaScript: the header search reaches the search page, which points to the catalogues; the graph says it needs JavaScript', async () => {
    const { page, problems } = await open('models/mol_toxicity/', { javaScriptEnabled: false });
    await page.fill('#site-q', 'toxicity');
    await Promise.all([page.waitForURL(`**${BASE}search/?q=toxicity`), page.press('#site-q', 'Enter')]);
    expect(await page.locator('main .notice').textContent()).toContain('Search needs JavaScript');
    expect(await page.locator('main .notice a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      `${BASE}datasets/`,
      `${BASE}models/`,
      `${BASE}workflows/`,
    ]);
    // The form's own CSP allowed the submission (form-action 'self').
    expect(problems).toEqual([]);
    await page.goto(`${server.url}${BASE}graph/`);
    expect(await page.locator('main .notice').textContent()).toContain('The graph needs JavaScript');
    // The catalogue's rows and pager are there without script.
    await page.goto(`${server.url}${BASE}models/`);
    expect(await page.locator('#cat-rows tr').count()).toBe(7);
    await page.close();
  });

  it('search: ranked results with kind, status and a line of description, true counts, a kind filter, more fields', async () => {
    const { page, problems } = await open('search/?q=mol_toxicity');
    await page.waitForSelector('#results li');
    // The exact id first.
    expect(await page.locator('#results li a').first().textContent()).toBe('mol_toxicity');
    const first = page.locator('#results li').first();
    expect(await first.locator('.kind').textContent()).toBe('model');
    expect(await first.locator('.status').textContent()).toContain('fail');
    expect(await first.locator('.muted').textContent()).toContain('Tox21');
    const found = async (q: string) => {
      await page.fill('#q', q);
      await page.press('#q', 'Enter');
      await page.waitForFunction((x) => document.getElementById('search-status')!.textContent!.includes(`“${x}”`), q);
      return page.locator('#results li a').allTextContents();
    };
    // A metric name, a version, a meta key, a workflow node id.
    expect(await found('qed_acc')).toContain('mol_druggability');
    expect(await found((await exampleVersions()).ds_solubility!.slice(0, 12))).toContain('ds_solubility');
    expect(await found('DMPK')).toContain('ds_admet_20210502');
    expect(await found((await exampleVersions()).wf_mol_property_0721!)).toContain('wf_mol_property_0721');
    expect(await found('screening')).toContain('wf_property_prediction/screening');
    // True counts, by kind.
    await found('mol');
    const total = Number(/^(\d+) result/.exec((await page.locator('#search-status').textContent())!)![1]);
    expect(total).toBe(await page.locator('#results li').count());
    await page.check('input[name=kind][value=model]');
    await page.waitForFunction(() => document.getElementById('search-status')!.textContent!.includes('among models'));
    expect(await page.locator('#results li .kind').allTextContents()).toEqual(
      Array(await page.locator('#results li').count()).fill('model'),
    );
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('--repo-url', () => {
  it('takes an https repository address and refuses what could make a link mean something else', () => {
    expect(parseRepoUrl('https://github.com/acme/molecules/')).toEqual({ ok: true, url: 'https://github.com/acme/molecules' });
    expect(parseRepoUrl('https://ghe.example.org/team/repo')).toEqual({ ok: true, url: 'https://ghe.example.org/team/repo' });
    for (const bad of [
      'javascript:alert(1)//github.com/a/b',
      'http://github.com/acme/molecules',
      'https://user:token@github.com/acme/molecules',
      'https://github.com/acme/molecules?tab=1',
      'https://github.com/acme/molecules#x',
      'https://github.com/acme',
      'https://github.com/acme/../../evil',
      'https://github.com/acme/mol"><script>',
      'not a url',
    ])
      expect(parseRepoUrl(bad).ok, bad).toBe(false);
    const r = spawnSync(
      process.execPath,
      ['bin/lineage-gate.js', 'site', '--out', path.join(out, 'x'), '--repo-url', 'javascript:alert(1)'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--repo-url must be an https:// address');
  });
});
