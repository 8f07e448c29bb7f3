/// <reference lib="dom" />
// The graph explorer in Debian's Chromium, at desktop and phone sizes: that it never draws false lineage (no edge
// through a box it does not connect, an arrowhead on every edge, labels clear of each other and of boxes, on the
// page and in the exported SVG), that it opens fitted (the example and a generated M repository), that "+N" adds
// exactly N nodes, that a gate's status wins over the "changed" highlight, and that the controls work.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyChange, generate, SIZES } from '../bench/generate.ts';
import { launch } from './helpers/browser.ts';
import { measureGraph, nodesOutsideView } from './helpers/graph-geometry.ts';
import { dataset, makeRepo, model, tree, workflow } from './helpers/repo.ts';
import { serveSite } from './helpers/static-server.ts';

const BASE = '/lineage/';
const SHOTS = 'test/screenshots';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
let browser: Browser;
const out = mkdtempSync(path.join(tmpdir(), 'lg-graph-'));
const sites: Record<'example' | 'busy' | 'm', { url: string; close(): Promise<void> }> = {} as never;

function build(root: string, name: string): string {
  const dir = path.join(out, name);
  const r = spawnSync(process.execPath, ['bin/lineage-gate.js', 'site', '--root', root, '--out', dir, '--base', BASE], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`site build failed: ${r.stderr}`);
  return dir;
}

/** One dataset feeding 30 models and a workflow node; a second dataset feeding a stale model. */
function busyRepo(): string {
  const models = Array.from({ length: 30 }, (_, i) =>
    model(`m${String(i).padStart(2, '0')}`, '1', { datasets: { busy: '1' }, gate: ['acc >= 0.5'], metrics: { acc: 0.9 } }),
  );
  return makeRepo(
    tree(
      dataset('busy', '1'),
      ...models,
      workflow('w', '1', 0.5, [{ id: 'n1', model: 'm01', dataset: 'busy', weight: 1, metric: 'acc' }]),
      dataset('fresh', '2'),
      model('old_m', '1', { datasets: { fresh: '1' }, gate: ['acc >= 0.5'], metrics: { acc: 0.9 } }),
    ),
  ).root;
}

beforeAll(async () => {
  const m = generate(path.join(out, 'm-repo'), SIZES.M);
  applyChange(m, SIZES.M, 'one-dataset');
  const dirs = { example: build('examples/molecular-property/lineage', 'example'), busy: build(busyRepo(), 'busy'), m: build(m.root, 'm') };
  rmSync(path.join(out, 'm-repo'), { recursive: true, force: true });
  browser = await launch();
  for (const [k, dir] of Object.entries(dirs)) sites[k as keyof typeof sites] = await serveSite(dir, BASE);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const s of Object.values(sites)) await s.close();
  rmSync(out, { recursive: true, force: true });
});

async function graph(site: keyof typeof sites, query: string, viewport = DESKTOP): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(`${sites[site].url}${BASE}graph/${query}`);
  await page.waitForFunction(() => document.getElementById('explorer')?.dataset.ready === 'true');
  return { page, problems };
}
const keysOf = (page: Page) => page.locator('#graph-svg a.gnode').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')!).sort());

describe('the graph never draws false lineage', () => {
  const views: [keyof typeof sites, string][] = [
    ['example', ''],
    ['example', '?focus=model:mol_physchem&up=all&down=all'],
    ['example', '?focus=node:wf_property_prediction/screening&up=all'],
    ['busy', '?focus=dataset:busy&down=2'],
    ['m', '?down=2&up=2'],
  ];
  for (const [viewport, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it.each(views)(
      `${viewport}: %s %s: no edge through a box it does not connect, every edge with an arrowhead, labels apart`,
      async (site, query) => {
        const { page, problems } = await graph(site, query, size);
        const g = await page.evaluate(measureGraph, '#graph-svg');
        expect(g.edges).toBeGreaterThan(0);
        expect(g.crossings).toEqual([]);
        expect(g.arrowless).toEqual([]);
        expect(g.labelOverlaps).toEqual([]);
        expect(problems).toEqual([]);
        await page.close();
      },
    );
  }

  it('draws the long edge of the example beside the node it skips, and every edge between drawn nodes', async () => {
    // The false chain the old drawing showed: ds_mol_20210421 → screening ran behind mol_activity. It must run in
    // its own lane, and the edge wf_mol_property_0721 → screening (both drawn, neither expanded) must be drawn too.
    const { page } = await graph('example', '?focus=dataset:ds_mol_20210421');
    const edges = await page
      .locator('#graph-svg path.edge')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')} > ${e.getAttribute('data-to')}`).sort());
    expect(edges).toEqual([
      'dataset:ds_mol_20210421 > model:mol_activity',
      'dataset:ds_mol_20210421 > model:mol_physchem',
      'dataset:ds_mol_20210421 > model:mol_toxicity',
      'dataset:ds_mol_20210421 > model:wf_mol_property_0721',
      'dataset:ds_mol_20210421 > node:wf_property_prediction/screening',
      'model:wf_mol_property_0721 > node:wf_property_prediction/screening',
    ]);
    await page.close();
  });

  it('exports an SVG that stands on its own and shows the same truth: no false crossings, every arrowhead', async () => {
    const { page } = await graph('example', '?focus=model:mol_physchem&up=all&down=all');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export=svg]').click()]);
    const file = path.join(out, 'view.svg');
    writeFileSync(file, readFileSync((await download.path())!, 'utf8'));
    const alone = await browser.newPage();
    await alone.goto(`file://${file}`);
    const g = await alone.evaluate(measureGraph, 'svg');
    const drawn = await page.evaluate(measureGraph, '#graph-svg');
    expect(g.nodes).toBe(drawn.nodes);
    expect(g.edges).toBe(drawn.edges);
    expect(g.crossings).toEqual([]);
    expect(g.arrowless).toEqual([]);
    expect(g.labelOverlaps).toEqual([]);
    const seen = await alone.evaluate(() => ({
      fills: [...document.querySelectorAll('a.gnode rect.box')].map((r) => getComputedStyle(r).fill),
      arrow: getComputedStyle(document.querySelector('marker path')!).fill,
      buttons: document.querySelectorAll('.btn').length,
    }));
    expect(seen.fills.every((f) => f !== 'rgb(0, 0, 0)' && f !== 'none')).toBe(true);
    expect(seen.arrow).not.toBe('rgb(0, 0, 0)');
    expect(seen.buttons).toBe(0);
    await alone.screenshot({ path: path.join(SHOTS, 'graph-export.png') });
    await alone.close();
    await page.close();
  });
});

describe('the graph fits and moves like a map', () => {
  for (const [name, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`${name}: opens fitted to its box, on the example and on a generated M repository`, async () => {
      for (const site of ['example', 'm'] as const) {
        const { page } = await graph(site, '', size);
        expect(await page.locator('#graph-svg a.gnode').count()).toBeGreaterThan(1);
        expect(await page.evaluate(nodesOutsideView)).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/graph-${site}-${name}.png` });
        await page.close();
      }
    });
  }

  it('zooms with its buttons and the keyboard, and zooms by wheel only with a modifier or once it has focus', async () => {
    const { page } = await graph('example', '');
    const scale = () =>
      page.evaluate(() => Number(/scale\(([\d.]+)/.exec(document.querySelector('#graph-svg > g.layer')!.getAttribute('transform')!)?.[1]));
    const fitted = await scale();
    await page.click('[data-zoom=in]');
    expect(await scale()).toBeCloseTo(fitted * 1.25, 3);
    await page.click('[data-zoom=out]');
    expect(await scale()).toBeCloseTo(fitted, 3);
    await page.click('[data-zoom=reset]');
    expect(await scale()).toBe(1);
    await page.click('[data-zoom=fit]');
    expect(await scale()).toBeCloseTo(fitted, 3);
    // A plain wheel over the drawing is left to the page (not cancelled, so it scrolls) and leaves the drawing alone;
    // with Ctrl, or once the drawing has focus, the drawing takes it and zooms.
    const wheel = (ctrlKey: boolean) =>
      page.evaluate((ctrl) => {
        const svg = document.getElementById('graph-svg')!;
        const b = svg.getBoundingClientRect();
        const ev = new WheelEvent('wheel', {
          deltaY: -200,
          ctrlKey: ctrl,
          bubbles: true,
          cancelable: true,
          clientX: b.x + b.width / 2,
          clientY: b.y + b.height / 2,
        });
        svg.dispatchEvent(ev);
        return ev.defaultPrevented;
      }, ctrlKey);
    expect(await wheel(false)).toBe(false);
    expect(await scale()).toBeCloseTo(fitted, 3);
    expect(await wheel(true)).toBe(true);
    await page.waitForFunction(
      (k) => !document.querySelector('#graph-svg > g.layer')!.getAttribute('transform')!.includes(`scale(${k})`),
      fitted,
    );
    expect(await scale()).toBeGreaterThan(fitted);
    await page.locator('#graph-svg').focus();
    expect(await wheel(false)).toBe(true);
    // Focused, the keyboard zooms and pans.
    await page.locator('#graph-svg').focus();
    const before = await scale();
    await page.keyboard.press('-');
    expect(await scale()).toBeCloseTo(before * 0.8, 3);
    const t0 = await page.locator('#graph-svg > g.layer').getAttribute('transform');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#graph-svg > g.layer').getAttribute('transform')).not.toBe(t0);
    await page.close();
  });

  it('brings a node that takes keyboard focus into view', async () => {
    const { page } = await graph('example', '?focus=model:mol_physchem&up=all&down=all');
    await page.click('[data-zoom=reset]');
    // At actual size, centred on the focus, the last workflow node lies outside the drawing's box.
    const far = 'node:wf_lead_optimization/route';
    expect(await page.evaluate(nodesOutsideView)).toContain(far);
    await page.locator(`#graph-svg a.gnode[data-key="${far}"]`).focus();
    await page.waitForFunction((k) => {
      const svg = document.getElementById('graph-svg')!.getBoundingClientRect();
      const b = document.querySelector(`#graph-svg a.gnode[data-key="${k}"] rect.box`)!.getBoundingClientRect();
      return b.left >= svg.left && b.right <= svg.right && b.top >= svg.top && b.bottom <= svg.bottom;
    }, far);
    await page.close();
  });

  it('"+N" adds exactly N nodes, counting only neighbours not drawn yet, on buttons at least 24 px', async () => {
    const { page } = await graph('busy', '?focus=dataset:busy');
    // 31 downstream neighbours: 12 drawn, so the button adds the next 12 of the 19 not drawn.
    expect(await page.locator('#graph-svg a.gnode').count()).toBe(13);
    const button = page.locator('#graph-svg g.btn[data-key="dataset:busy"][data-dir="out"]');
    expect(await button.locator('text').textContent()).toBe('+12');
    expect(await button.getAttribute('aria-label')).toContain('(19 not drawn)');
    for (const expected of [12, 7]) {
      const before = await page.locator('#graph-svg a.gnode').count();
      expect(Number(await button.getAttribute('data-add'))).toBe(expected);
      await button.click();
      await page.waitForFunction((n) => document.querySelectorAll('#graph-svg a.gnode').length !== n, before);
      expect((await page.locator('#graph-svg a.gnode').count()) - before).toBe(expected);
    }
    // Everything downstream is drawn: no button is left on that side.
    expect(await button.count()).toBe(0);
    // A model drawn already counts as drawn: m01's upstream (busy) is drawn, so it has no upstream button.
    expect(await page.locator('#graph-svg g.btn[data-key="model:m01"][data-dir="in"]').count()).toBe(0);
    const sizes = await page.locator('#graph-svg g.btn rect').evaluateAll((els) => els.map((r) => r.getBoundingClientRect()));
    const k = await page.evaluate(() =>
      Number(/scale\(([\d.]+)/.exec(document.querySelector('#graph-svg > g.layer')!.getAttribute('transform')!)?.[1]),
    );
    // 24 px in the drawing's own units; on screen at the current zoom.
    for (const s of sizes) {
      expect(s.width / k).toBeGreaterThanOrEqual(23.9);
      expect(s.height / k).toBeGreaterThanOrEqual(23.9);
    }
    await page.close();
  });

  it('keeps what was placed where it was when the view grows', async () => {
    const { page } = await graph('example', '?focus=dataset:ds_mol_20210421');
    const rows = (): Promise<Record<string, [number, number]>> =>
      page
        .locator('#graph-svg a.gnode rect.box')
        .evaluateAll((els) =>
          Object.fromEntries(
            els.map((r) => [
              r.closest('a')!.getAttribute('data-key'),
              [Number(r.getAttribute('x')), Number(r.getAttribute('y'))] as [number, number],
            ]),
          ),
        );
    const before = await rows();
    await page.locator('#graph-svg g.btn[data-key="model:mol_toxicity"][data-dir="out"]').click();
    await page.waitForSelector('#graph-svg a.gnode[data-key="node:wf_property_prediction/toxicity"]');
    const after = await rows();
    // Rows move by less than a box's height; columns keep their order, and only the columns right of the new
    // node's layer (workflow step depth 0, before the screening step) move right, by one column.
    for (const [k, [x, y]] of Object.entries(before)) {
      expect(Math.abs(after[k]![1] - y)).toBeLessThan(48);
      if (k.startsWith('node:')) expect(after[k]![0]).toBeGreaterThan(x);
      else expect(after[k]![0]).toBe(x);
    }
    await page.close();
  });

  it('lets status win over the "changed" highlight, which is off when everything drawn changed', async () => {
    const { page } = await graph('example', '?focus=model:mol_toxicity');
    const fail = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--fail').trim());
    const stroke = () =>
      page.locator('#graph-svg a.gnode[data-key="model:mol_toxicity"] rect.box').evaluate((r) => getComputedStyle(r).stroke);
    const rgb = await page.evaluate((c) => {
      const d = document.createElement('div');
      d.style.color = c;
      document.body.append(d);
      const v = getComputedStyle(d).color;
      d.remove();
      return v;
    }, fail);
    // Failing and changed: the highlight is drawn (a halo behind it), the red dashed border stays.
    expect(await page.locator('#graph-svg a.gnode[data-key="model:mol_toxicity"]').getAttribute('class')).toContain('hl');
    expect(await stroke()).toBe(rgb);
    expect(await page.locator('#graph-svg rect.halo').count()).toBeGreaterThan(0);
    expect(await page.locator('#graph-svg a.gnode[data-key="dataset:ds_tox21_20210310"]').getAttribute('class')).not.toContain('hl');
    await page.locator('#highlight').uncheck();
    expect(await page.locator('#graph-svg rect.halo').count()).toBe(0);
    expect(await stroke()).toBe(rgb);
    await page.close();
    // Around ds_mol_20210421 everything drawn changed: the highlight would say nothing, so it is off, and says so.
    const all = await graph('example', '?focus=dataset:ds_mol_20210421');
    expect(await all.page.locator('#graph-svg rect.halo').count()).toBe(0);
    expect(await all.page.locator('#graph-status').textContent()).toContain('Everything shown changed');
    await all.page.close();
  });

  it('focuses by a typed id with suggestions, and says clearly when an id is unknown', async () => {
    const { page, problems } = await graph('example', '');
    await page.fill('#focus-input', 'mol_tox');
    await page.waitForFunction(() => document.querySelectorAll('#focus-list option').length > 0);
    expect(await page.locator('#focus-list option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toContain(
      'model:mol_toxicity',
    );
    await page.fill('#focus-input', 'mol_toxicity');
    await page.press('#focus-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('graph-status')!.textContent!.includes('around model:mol_toxicity'));
    expect(await page.locator('#focus-input').inputValue()).toBe('model:mol_toxicity');
    await page.fill('#focus-input', 'no_such_model');
    await page.press('#focus-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('focus-msg')!.textContent!.includes('no_such_model'));
    expect(await page.locator('#focus-msg').textContent()).toBe(
      'No dataset, model or workflow node "no_such_model" in this graph. Check the spelling, or use the search.',
    );
    // The drawing still shows the last focus, and the message stays after it redraws.
    expect(await page.locator('#graph-svg a.gnode.focus').getAttribute('data-key')).toBe('model:mol_toxicity');
    await page.locator('input[name=kind][value=dataset]').uncheck();
    expect(await page.locator('#focus-msg').textContent()).toContain('no_such_model');
    // Looking the unknown ids up is a 404 for each kind tried; nothing else went wrong.
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await page.close();
  });

  it("selects depth like dbt's +model+ and filters to failing nodes only", async () => {
    const { page } = await graph('example', '?focus=dataset:ds_admet_20210502&down=all');
    const keys = await keysOf(page);
    // Everything downstream of the ADMET dataset: its models, their nodes, and the nodes that need those.
    expect(keys).toEqual(
      expect.arrayContaining([
        'model:mol_druggability',
        'model:mol_metabolism',
        'node:wf_property_prediction/druggability',
        'node:wf_property_prediction/metabolism',
        'node:wf_property_prediction/screening',
      ]),
    );
    await page.selectOption('#depth-out', '1');
    await page.waitForFunction((n) => document.querySelectorAll('#graph-svg a.gnode').length < n, keys.length);
    expect(await keysOf(page)).not.toContain('node:wf_property_prediction/screening');
    expect(page.url()).not.toContain('down=');
    await page.selectOption('#depth-out', 'all');
    await page.waitForFunction((n) => document.querySelectorAll('#graph-svg a.gnode').length === n, keys.length);
    expect(page.url()).toContain('down=all');
    await page.locator('#failing').check();
    const failing = await keysOf(page);
    // The focus stays; everything else drawn has failed its gate.
    expect(failing).toContain('dataset:ds_admet_20210502');
    for (const k of failing.filter((k) => k !== 'dataset:ds_admet_20210502'))
      expect(await page.locator(`#graph-svg a.gnode[data-key="${k}"]`).getAttribute('class')).toContain('st-fail');
    expect(failing.length).toBeLessThan(keys.length);
    await page.close();
  });
});
