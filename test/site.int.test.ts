/// <reference lib="dom" />
// The lineage site in Debian's Chromium: built with the real CLI, served under a base path, driven with playwright-core.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch } from './helpers/browser.ts';
import { exampleVersions } from './helpers/dvc.ts';
import { dataset, makeRepo, model, tree, workflow, y } from './helpers/repo.ts';
import { serveSite } from './helpers/static-server.ts';

const BASE = '/lineage/';
const SHOTS = 'test/screenshots';
let browser: Browser;
const servers: { url: string; close(): Promise<void> }[] = [];
let example: string;
let hostile: string;
const out = mkdtempSync(path.join(tmpdir(), 'lg-site-'));

function build(root: string, name: string): string {
  const dir = path.join(out, name);
  const r = spawnSync(process.execPath, ['bin/lineage-gate.js', 'site', '--root', root, '--out', dir, '--base', BASE], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`site build failed: ${r.stderr}`);
  return dir;
}

/** A repository whose texts are XSS payloads, and whose one dataset feeds 30 models. */
function hostileRepo(): string {
  // The first paragraph is an HTML block by CommonMark (shown as text); the second is Markdown whose javascript: link
  // must not become a link while the https one does.
  const xss =
    '<script>window.__xss=1</script> <img src=x onerror="window.__xss=1">\n\n**bold** [click](javascript:window.__xss=1) [ok](https://example.org/docs) <img src=x onerror=window.__xss=1>';
  const models = Array.from({ length: 30 }, (_, i) =>
    model(`m${String(i).padStart(2, '0')}`, '1', { datasets: { busy: '1' }, gate: ['acc >= 0.5'], metrics: { acc: 0.9 } }),
  );
  const repo = makeRepo(
    tree(
      dataset('busy', '1', { description: xss, meta: { creator: '</script><script>window.__xss=1</script>', tags: ['<b>tag</b>'] } }),
      ...models,
      [
        [
          'lineage/models/m00.yaml',
          y({
            id: 'm00',
            version: '1"><svg onload=window.__xss=1>',
            description: xss,
            datasets: { busy: '1' },
            metrics: '../../results/m00.json',
            gate: ['acc >= 0.5'],
          }),
        ],
      ],
      workflow('w', '1', 0.5, [{ id: 'n1', model: 'm01', dataset: 'busy', weight: 1, metric: 'acc' }], { description: xss }),
      // A model trained on version 1 of a dataset now at version 2: stale.
      dataset('fresh', '2'),
      model('old_m', '1', { datasets: { fresh: '1' }, gate: ['acc >= 0.5'], metrics: { acc: 0.9 } }),
    ),
  );
  return repo.root;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  example = build('examples/molecular-property/lineage', 'example');
  hostile = build(hostileRepo(), 'hostile');
  browser = await launch();
  servers.push(await serveSite(example, BASE), await serveSite(hostile, BASE));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  rmSync(out, { recursive: true, force: true });
});

const problemsOf = (p: { problems: string[] }) => p.problems;

/** A page that records console errors, page errors, CSP violations and dialogs. */
async function open(serverIndex: number, rel: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
  );
  await page.goto(`${servers[serverIndex]!.url}${BASE}${rel}`);
  return { page, problems };
}

/** An edge label as the drawing shows it: each version cut to nine characters and an ellipsis when longer than ten. */
const drawnLabel = (label: string) =>
  label
    .split(' → ')
    .map((v) => (v.length > 10 ? `${v.slice(0, 9)}…` : v))
    .join(' → ');

describe('the example site', () => {
  it('answers 404 outside the base path', async () => {
    for (const rel of ['/', '/index.html', '/models/mol_toxicity/']) expect((await fetch(`${servers[0]!.url}${rel}`)).status).toBe(404);
  });

  it('tells the verdict at a glance, failing gates first', async () => {
    const { page } = await open(0, '');
    expect(await page.locator('.verdict').textContent()).toMatch(/fail.*2 gate\(s\) failed/s);
    const firstSection = page.locator('h2').first();
    expect(await firstSection.textContent()).toBe('Failing gates');
    await page.close();
  });

  it('graph: opens on a focus with its one-hop neighbours and versions on the edges', async () => {
    const { page, problems } = await open(0, 'graph/?focus=dataset:ds_mol_20210421');
    await page.waitForSelector('#graph-svg a.gnode');
    const keys = await page.locator('#graph-svg a.gnode').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')).sort());
    expect(keys).toEqual([
      'dataset:ds_mol_20210421',
      'model:mol_activity',
      'model:mol_physchem',
      'model:mol_toxicity',
      'model:wf_mol_property_0721',
      'node:wf_property_prediction/screening',
    ]);
    const labels = await page.locator('#graph-svg .edge-label').allTextContents();
    const v = await exampleVersions();
    const mol = v.ds_mol_20210421!;
    // The drawing cuts long versions (the example's are DVC hashes) to nine characters; the list keeps them whole.
    expect(labels.sort()).toEqual(
      [
        `${v.wf_mol_property_0721} → 1.2`,
        `${mol} → 1.2`,
        ...['mol_activity', 'mol_physchem', 'mol_toxicity', 'wf_mol_property_0721'].map((m) => `${mol} → ${v[m]}`),
      ]
        .map(drawnLabel)
        .sort(),
    );
    expect(await page.locator('#graph-status').textContent()).toBe(
      '6 node(s), 6 edge(s) shown around dataset:ds_mol_20210421. Everything shown changed in this evaluation, so nothing is highlighted.',
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('graph: expanding by keyboard adds neighbours, the URL restores the view, and clicking a node opens its page', async () => {
    const { page } = await open(0, 'graph/?focus=dataset:ds_mol_20210421');
    await page.waitForSelector('#graph-svg a.gnode');
    const button = page.locator('#graph-svg g.btn[data-key="model:mol_toxicity"][data-dir="out"]');
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#graph-svg a.gnode[data-key="node:wf_property_prediction/toxicity"]');
    const shared = page.url();
    expect(shared).toContain('open=model%3Amol_toxicity');
    const again = await browser.newPage();
    await again.goto(shared);
    await again.waitForSelector('#graph-svg a.gnode[data-key="node:wf_property_prediction/toxicity"]');
    expect(await again.locator('#graph-svg a.gnode').count()).toBe(await page.locator('#graph-svg a.gnode').count());
    await again.close();
    await page.locator('#graph-svg a.gnode[data-key="model:mol_toxicity"]').click();
    await page.waitForURL(`**${BASE}models/mol_toxicity/`);
    expect(await page.locator('h1').textContent()).toContain('mol_toxicity');
    await page.close();
  });

  it('graph: the list alternative holds the same view, is built when opened, and expands', async () => {
    const { page, problems } = await open(0, 'graph/?focus=dataset:ds_mol_20210421');
    await page.waitForFunction(() => performance.getEntriesByName('lineage-graph-interactive').length > 0);
    expect(await page.locator('#graph-list > *').count()).toBe(0);
    await page.locator('#graph-alt summary').click();
    const items = page.locator('#graph-list li');
    // The details element announces that it opened in a later task.
    await items.first().waitFor();
    expect(await items.count()).toBe(6);
    expect((await page.locator('#graph-list tbody tr td:nth-child(4)').allTextContents()).map(drawnLabel).sort()).toEqual(
      (await page.locator('#graph-svg .edge-label').allTextContents()).sort(),
    );
    await page
      .locator('#graph-list li', { hasText: 'model mol_toxicity' })
      .getByRole('button', { name: /downstream/ })
      .click();
    await page.waitForSelector('#graph-svg a.gnode[data-key="node:wf_property_prediction/toxicity"]');
    expect(await items.count()).toBe(await page.locator('#graph-svg a.gnode').count());
    expect(await page.locator('#graph-list li', { hasText: 'node wf_property_prediction/toxicity' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('graph: a hostile shared URL is cut down to what a view can hold, and no bad key becomes a request', async () => {
    const nodesFor = async (open: string[]) => {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await page.goto(`${servers[0]!.url}${BASE}graph/?focus=dataset:ds_mol_20210421&open=${encodeURIComponent(open.join(','))}`);
      await page.waitForFunction(() => performance.getEntriesByName('lineage-graph-interactive').length > 0);
      const keys = await page.locator('#graph-svg a.gnode').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')).sort());
      await page.close();
      return { keys, requests };
    };
    const fair = await nodesFor(['model:mol_toxicity~0~60~']);
    // A billion neighbours asked for, a path, a key with URL syntax, an unknown kind: the first is capped, the rest
    // are ignored without a fetch, and the page draws what the fair URL draws.
    const hostile = await nodesFor([
      'model:mol_toxicity~0~999999999~',
      '../../../etc/passwd~1~1~',
      'model:x?y#z~1~1~',
      'workflow:w~1~1~7',
      'model:mol_toxicity~-5~NaN~x',
    ]);
    expect(hostile.keys).toEqual(fair.keys);
    expect(hostile.keys.length).toBeGreaterThan(6);
    expect(hostile.requests.filter((p) => p.includes('/data/graph/k/'))).toEqual(fair.requests.filter((p) => p.includes('/data/graph/k/')));
    expect(hostile.requests.some((p) => /passwd|x\?y|workflow/.test(p))).toBe(false);
  });

  it('graph: tells a stale model in words as well as colour', async () => {
    const stale = await open(1, 'graph/?focus=dataset:fresh');
    await stale.page.waitForFunction(() => performance.getEntriesByName('lineage-graph-interactive').length > 0);
    const node = stale.page.locator('#graph-svg a.gnode[data-key="model:old_m"]');
    expect(await node.getAttribute('class')).toContain('stale');
    expect(await node.locator('text.muted').textContent()).toBe('model · 1 · stale');
    expect(await node.locator('title').textContent()).toContain('— stale');
    expect(await stale.page.locator('#graph-svg .edge-label').allTextContents()).toEqual(['1 → 1']);
    expect(problemsOf(stale)).toEqual([]);
    await stale.page.close();
  });

  it('graph: exports the drawn view (kind filter included) as JSON, Mermaid and DOT, styled by result and kind', async () => {
    const { page, problems } = await open(0, 'graph/?focus=dataset:ds_mol_20210421');
    await page.waitForFunction(() => performance.getEntriesByName('lineage-graph-interactive').length > 0);
    await page.locator('input[name=kind][value=node]').uncheck();
    const drawn = (await page.locator('#graph-svg a.gnode').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))).sort();
    expect(drawn).toEqual([
      'dataset:ds_mol_20210421',
      'model:mol_activity',
      'model:mol_physchem',
      'model:mol_toxicity',
      'model:wf_mol_property_0721',
    ]);
    const exported = async (format: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export=${format}]`).click()]);
      return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8'), path: (await download.path())! };
    };
    const json = await exported('json');
    expect(json.name).toBe('lineage-dataset_ds_mol_20210421.json');
    const graph = JSON.parse(json.text) as {
      focus: string;
      nodes: { key: string }[];
      edges: { from: string; to: string; from_version: string; to_version: string }[];
    };
    expect(graph.nodes.map((n) => n.key).sort()).toEqual(drawn);
    expect(graph.edges).toHaveLength(4);
    const v = await exampleVersions();
    expect(graph.edges.find((e) => e.to === 'model:mol_activity')).toMatchObject({
      from: 'dataset:ds_mol_20210421',
      from_version: v.ds_mol_20210421,
      to_version: v.mol_activity,
    });
    const mermaid = (await exported('mermaid')).text;
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain(`|"trained_on ${v.ds_mol_20210421} → ${v.mol_activity}"|`);
    expect(mermaid).not.toContain('screening');
    // Shapes by kind, classes by result, and the result in words too.
    expect(mermaid).toMatch(new RegExp(`n\\d+\\[\\("ds_mol_20210421 @ ${v.ds_mol_20210421} \\(changed\\)"\\)\\]`));
    expect(mermaid).toMatch(new RegExp(`n\\d+\\["✗ mol_toxicity @ ${v.mol_toxicity} \\(gate fail, changed\\)"\\]`));
    expect(mermaid).toContain('classDef fail stroke:#cf222e');
    expect(mermaid).toMatch(/class n\d+ fail\n/);
    const dot = (await exported('dot')).text;
    expect(dot.startsWith('digraph lineage {')).toBe(true);
    expect(dot).toContain(
      `"dataset:ds_mol_20210421" -> "model:mol_activity" [label="trained_on ${v.ds_mol_20210421} → ${v.mol_activity}"];`,
    );
    expect(dot).toContain(
      `"model:mol_toxicity" [label="✗ mol_toxicity @ ${v.mol_toxicity} (gate fail, changed)", shape=box, color="#cf222e", penwidth=3, style=dashed];`,
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('search finds an entity by a word of its description', async () => {
    const { page, problems } = await open(0, 'search/');
    await page.fill('#q', 'toxicity');
    await page.click('#search-form button[type=submit]');
    await page.waitForSelector('#results li');
    const found = await page.locator('#results a').allTextContents();
    expect(found).toContain('mol_toxicity');
    expect(page.url()).toContain('q=toxicity');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('hostile and busy repositories', () => {
  it('keeps XSS payloads as text: no script runs, no javascript: link, no raw HTML', async () => {
    for (const rel of ['datasets/busy/', 'models/m00/', 'workflows/w/', '', 'graph/?focus=model:m00', 'search/?q=click']) {
      const { page, problems } = await open(1, rel);
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
      // Nothing from the payloads became an element; the only scripts are our bundle's.
      expect(await page.locator('main img, main svg[onload], script:not([src*="/_astro/"])').count()).toBe(0);
      expect(problems.filter((p) => !p.startsWith('console: Failed to load resource'))).toEqual([]);
      await page.close();
    }
    const { page } = await open(1, 'datasets/busy/');
    const text = await page.locator('main').textContent();
    expect(text).toContain('<script>window.__xss=1</script>');
    expect(text).toContain('</script><script>window.__xss=1</script>');
    expect(await page.locator('.description a[href="https://example.org/docs"]').count()).toBe(1);
    expect(await page.locator('.description strong').textContent()).toBe('bold');
    await page.screenshot({ path: `${SHOTS}/hostile-dataset.png`, fullPage: true });
    await page.close();
  });

  it('ships no whole-graph file: each page carries only its own data', () => {
    const html = readFileSync(path.join(hostile, 'graph/index.html'), 'utf8');
    expect(html.length).toBeLessThan(10_000);
    expect(html).not.toContain('m29');
  });
});
