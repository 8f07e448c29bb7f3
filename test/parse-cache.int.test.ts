// The parse cache on real repositories (the bench generator's, as git repositories, and the example): the same
// verdict, report bytes and fingerprint with and without it; only changed files read; every damaged cache refused;
// and the forgeries it must not fall for.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applyChange, generate, git, SIZES } from '../bench/generate.ts';
import { decodeCache, openParseCache, parserVersion } from '../src/adapters/parse-cache.ts';
import { renderMarkdown } from '../src/core/render/report-markdown.ts';
import { evaluate } from '../src/evaluate.ts';
import { cli } from './helpers/cli.ts';
import { cleanup, copyExample, initGit, makeRepo } from './helpers/repo.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lg-parse-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(cleanup);

interface Run {
  json: string;
  markdown: string;
  fingerprint: string;
  status: string;
  files: string[];
  /** Repository-relative files whose bytes were read. */
  read: string[];
  notices: string[];
  hits: number;
}

async function run(root: string, cache: string | false): Promise<Run> {
  const notices: string[] = [];
  using ev = await evaluate({ root, cache, notice: (l) => notices.push(l) });
  return {
    json: JSON.stringify(ev.report, null, 2),
    markdown: renderMarkdown(ev.report),
    fingerprint: ev.report.fingerprint,
    status: ev.report.status,
    files: ev.files,
    read: [...new Set([...ev.repo.filesRead().keys(), ...ev.state.filesRead().keys()])].sort(),
    notices,
    hits: ev.parseCache?.hits ?? 0,
  };
}

/** The same verdict in every byte: report, Markdown, fingerprint, inputs. */
function same(a: Run, b: Run): void {
  expect(b.status).toBe(a.status);
  expect(b.fingerprint).toBe(a.fingerprint);
  expect(b.files).toEqual(a.files);
  expect(b.json).toBe(a.json);
  expect(b.markdown).toBe(a.markdown);
}

const isManifestOrLock = (f: string) => /^(.*\/)?lineage\/(datasets|models|workflows)\/|associations\.lock\.yaml$/.test(f);

/** Rewrites the cache file at `file` with `edit` applied to its entries, and a checksum that matches again. */
function forge(file: string, edit: (entries: [string, string, unknown][]) => void): void {
  const bytes = readFileSync(file, 'utf8');
  const magicEnd = bytes.indexOf('\n') + 1;
  const nl = bytes.indexOf('\n', magicEnd);
  const header = JSON.parse(bytes.slice(magicEnd, nl)) as Record<string, unknown>;
  const entries = JSON.parse(bytes.slice(nl + 1)) as [string, string, unknown][];
  edit(entries);
  const body = JSON.stringify(entries);
  const forged = {
    ...header,
    bytes: Buffer.byteLength(body),
    sha256: createHash('sha256').update(body).digest('hex'),
    entries: entries.length,
  };
  writeFileSync(file, `${bytes.slice(0, magicEnd)}${JSON.stringify(forged)}\n${body}`);
}

describe("the bench generator's repositories, with and without the cache", () => {
  it.each(['one-dataset', 'one-percent', 'one-model'] as const)(
    '%s: the same report and fingerprint cold, warm, and from the base commit’s cache, which serves all but the changed files',
    async (change) => {
      const dir = path.join(tmp, `S-${change}`);
      const cache = path.join(tmp, `cache-${change}`);
      const g = generate(dir, SIZES.S);
      const base = await run(g.root, false);
      const cold = await run(g.root, cache);
      same(base, cold);
      expect(cold.hits).toBe(0);
      const warm = await run(g.root, cache);
      same(base, warm);
      // Nothing but the metric files the verdict needs was read: no manifest, not the lock.
      expect(warm.read.filter(isManifestOrLock)).toEqual([]);
      expect(warm.hits).toBeGreaterThan(400);

      applyChange(g, SIZES.S, change);
      const off = await run(g.root, false);
      expect(off.json).not.toBe(base.json);
      const fromBase = await run(g.root, cache);
      same(off, fromBase);
      // Exactly the files the change touched were read again among the manifests and the lock.
      const changed = git(dir, 'diff', '--name-only', g.base, 'HEAD').split('\n').filter(isManifestOrLock).sort();
      expect(changed.length).toBeGreaterThan(0);
      expect(fromBase.read.filter(isManifestOrLock)).toEqual(changed);
      expect(fromBase.notices).toEqual([]);
    },
  );
});

describe('the DVC example', () => {
  it('gives the same report from the cache, reading no manifest, .dvc file or dvc.lock, only the metric files it needs', async () => {
    const repo = copyExample();
    initGit(repo).commit('example');
    const cache = path.join(tmp, 'cache-example');
    const off = await run(repo.root, false);
    const cold = await run(repo.root, cache);
    same(off, cold);
    expect(cold.read.some((f) => f.endsWith('.dvc'))).toBe(true);
    const warm = await run(repo.root, cache);
    same(off, warm);
    expect(warm.read.filter((f) => isManifestOrLock(f) || /\.dvc$|dvc\.(lock|yaml)$/.test(f))).toEqual([]);
    expect(warm.read.length).toBeGreaterThan(0);
    expect(warm.read.every((f) => f.startsWith('results/'))).toBe(true);
  });

  it('outside git every file is read to know its content, and none of them is parsed again', async () => {
    const repo = copyExample();
    const cache = path.join(tmp, 'cache-example-nogit');
    const off = await run(repo.root, false);
    const cold = await run(repo.root, cache);
    same(off, cold);
    const warm = await run(repo.root, cache);
    same(off, warm);
    expect(warm.read.filter(isManifestOrLock).length).toBe(off.read.filter(isManifestOrLock).length);
    expect(warm.hits).toBeGreaterThan(20);
  });
});

describe('a damaged cache is never trusted', () => {
  /** A cache file of the example's, made by a real run. */
  async function exampleCache(name: string): Promise<{ root: string; dir: string; bytes: Buffer; off: Run }> {
    const repo = copyExample();
    initGit(repo).commit('example');
    const dir = path.join(tmp, name);
    const off = await run(repo.root, false);
    await run(repo.root, dir);
    return { root: repo.root, dir, bytes: readFileSync(path.join(dir, 'parse-cache')), off };
  }

  it('refuses the file whatever byte is flipped and wherever it is cut', async () => {
    const { dir, bytes } = await exampleCache('cache-flips');
    const headerEnd = bytes.indexOf(10, bytes.indexOf(10) + 1);
    const file = path.join(dir, 'parse-cache');
    const load = (b: Buffer) => decodeCache(b, parserVersion(), file);
    expect(load(bytes).entries.size).toBeGreaterThan(20);
    expect(openParseCache(dir, parserVersion()).stats().loaded).toBe(load(bytes).entries.size);
    let silent = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = Buffer.from(bytes);
      b[i] = b[i]! ^ 0x20;
      const c = load(b);
      if (c.entries.size > 0) expect.fail(`byte ${i} flipped, and the cache was still used`);
      // A flip in the header's version or format reads as a cache of another version: replaced without a notice.
      if (c.notice === null) {
        expect(i, `byte ${i} flipped, without a notice`).toBeLessThan(headerEnd);
        silent++;
      } else if (!c.notice.includes(file)) expect.fail(`byte ${i}: ${c.notice}`);
    }
    expect(silent).toBeLessThan(100);
    for (let n = 0; n < bytes.length; n++) {
      const c = load(bytes.subarray(0, n));
      if (c.entries.size > 0 || c.notice === null) expect.fail(`cut at ${n}: ${c.notice}`);
    }
    expect(load(bytes.subarray(0, bytes.length - 1)).notice).toMatch(/incomplete/);
    expect(load(Buffer.concat([bytes, Buffer.from(' ')])).notice).toMatch(/overlong/);
  });

  it('a flipped, cut or foreign cache leaves the report as it is without a cache, with a notice, and is rebuilt', async () => {
    const { root, dir, bytes, off } = await exampleCache('cache-damaged');
    const file = path.join(dir, 'parse-cache');
    const flip = (i: number) => {
      const b = Buffer.from(bytes);
      b[i] = b[i]! ^ 0x01;
      return b;
    };
    const damages: [string, () => void][] = [
      ['its first byte flipped', () => writeFileSync(file, flip(0))],
      ['a byte of its checksum flipped', () => writeFileSync(file, flip(bytes.indexOf('"sha256":"') + 12))],
      ['a byte of its content flipped', () => writeFileSync(file, flip(Math.floor(bytes.length / 2)))],
      ['its last byte flipped', () => writeFileSync(file, flip(bytes.length - 1))],
      ['cut in half', () => writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)))],
      ['cut to nothing', () => writeFileSync(file, '')],
      ['another program’s file', () => writeFileSync(file, '{"entries": []}\n')],
      ['a folder in its place', () => mkdirSync(file)],
      [
        'a link in its place',
        () => {
          writeFileSync(path.join(tmp, 'elsewhere'), bytes);
          symlinkSync(path.join(tmp, 'elsewhere'), file);
        },
      ],
    ];
    for (const [what, damage] of damages) {
      rmSync(file, { recursive: true, force: true });
      damage();
      const r = await run(root, dir);
      same(off, r);
      expect(r.hits, what).toBe(0);
      expect(r.notices.join('\n'), what).toContain(file);
      if (what.endsWith('in its place')) continue;
      // Rebuilt: the next run is served from it without a word.
      const again = await run(root, dir);
      same(off, again);
      expect(again.notices, what).toEqual([]);
      expect(again.hits, what).toBeGreaterThan(20);
    }
  });
});

describe('forgeries the cache does not fall for', () => {
  it('a cache inside the repository, where a change could bring one of its own making, is not used', async () => {
    const repo = copyExample();
    const g = initGit(repo);
    g.commit('example');
    const honest = path.join(tmp, 'cache-honest');
    const off = await run(repo.root, false);
    await run(repo.root, honest);
    // The forgery: the toxicity model's entry says it has no gate, so its failing condition vanishes.
    forge(path.join(honest, 'parse-cache'), (entries) => {
      const e = entries.find(([k]) => k.startsWith('manifest:model\u0000') && k.includes('/mol_toxicity.yaml'))!;
      (e[2] as { gate: unknown[] }).gate = [];
    });
    const planted = path.join(repo.dir, '.lineage-cache');
    cpSync(honest, planted, { recursive: true });
    g.commit('a cache of my own');
    const inside = await run(repo.root, planted);
    same(off, inside);
    expect(inside.notices.join('\n')).toMatch(/lies inside the repository/);
    // The same file where the cache is trusted would change the verdict: the rule above is what stops it.
    const outside = await run(repo.root, honest);
    expect(outside.status).toBe('fail');
    expect(outside.json).not.toBe(off.json);
    expect(JSON.parse(outside.json).models.find((m: { id: string }) => m.id === 'mol_toxicity').conditions).toEqual([]);
  });

  it('the same content at another path or as another kind is parsed for what it is there', async () => {
    const repo = copyExample();
    const g = initGit(repo);
    g.commit('example');
    const cache = path.join(tmp, 'cache-moved');
    await run(repo.root, cache);
    // A dataset's manifest, byte for byte, as a model: its cached dataset parse must not serve.
    cpSync(path.join(repo.root, 'datasets/ds_solubility.yaml'), path.join(repo.root, 'models/ds_solubility.yaml'));
    g.commit('a dataset as a model');
    const asModel = await run(repo.root, cache);
    same(await run(repo.root, false), asModel);
    expect(asModel.status).toBe('invalid');
    rmSync(path.join(repo.root, 'models/ds_solubility.yaml'));
    // A model moved one folder down: its relative metric path now names another file.
    mkdirSync(path.join(repo.root, 'models/deeper'));
    execFileSync('git', ['-C', repo.dir, 'mv', 'lineage/models/mol_physchem.yaml', 'lineage/models/deeper/mol_physchem.yaml']);
    g.commit('moved');
    const moved = await run(repo.root, cache);
    same(await run(repo.root, false), moved);
    expect(moved.read).toContain('lineage/models/deeper/mol_physchem.yaml');
  });

  it('a file that is one kind under one root and another under another is parsed as what it is now', async () => {
    // outer/models/datasets/ds_x.yaml: a dataset under the root outer/models, a model under the root outer.
    const repo = makeRepo({ 'outer/models/datasets/ds_x.yaml': 'id: ds_x\nversion: "1"\n' });
    initGit(repo).commit('one file, two readings');
    const cache = path.join(tmp, 'cache-kinds');
    const asDataset = await run(path.join(repo.dir, 'outer/models'), cache);
    expect(asDataset.status).not.toBe('invalid');
    const asModel = await run(path.join(repo.dir, 'outer'), cache);
    same(await run(path.join(repo.dir, 'outer'), false), asModel);
    expect(asModel.status).toBe('invalid');
  });

  it('a manifest edited after checkout is read, not taken on the index’s word', async () => {
    const repo = copyExample();
    initGit(repo).commit('example');
    const cache = path.join(tmp, 'cache-edited');
    const before = await run(repo.root, cache);
    const file = path.join(repo.root, 'models/mol_toxicity.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('test.auc >= baseline - 0.02', 'test.auc >= baseline - 0.5'));
    const edited = await run(repo.root, cache);
    same(await run(repo.root, false), edited);
    expect(edited.json).not.toBe(before.json);
    expect(edited.read).toContain('lineage/models/mol_toxicity.yaml');
  });

  it('files git converts at checkout (line endings) are read: the index names the blob, not the bytes on disk', async () => {
    const repo = copyExample();
    const g = initGit(repo);
    g.commit('example');
    const cache = path.join(tmp, 'cache-crlf');
    await run(repo.root, cache);
    writeFileSync(path.join(repo.dir, '.gitattributes'), '*.yaml text eol=crlf\n');
    g.commit('CRLF in the work tree');
    g.git('rm', '-q', '--cached', '-r', '.');
    g.git('reset', '-q', '--hard');
    expect(readFileSync(path.join(repo.root, 'models/mol_toxicity.yaml'), 'utf8')).toContain('\r\n');
    const converted = await run(repo.root, cache);
    same(await run(repo.root, false), converted);
    expect(converted.read).toContain('lineage/models/mol_toxicity.yaml');
  });

  it.runIf(typeof process.getuid === 'function')(
    'a folder in the temporary folder that others can write is not used for the default cache',
    async () => {
      const repo = copyExample();
      const tmpdir = mkdtempSync(path.join(tmp, 'tmpdir-'));
      const shared = path.join(tmpdir, `lineage-gate-cache-${process.getuid!()}`);
      mkdirSync(shared);
      chmodSync(shared, 0o777);
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = tmpdir;
      try {
        const notices: string[] = [];
        using ev = await evaluate({ root: repo.root, notice: (l) => notices.push(l) });
        expect(ev.report.status).toBe('fail');
        expect(ev.parseCache?.file).toBeNull();
        expect(notices.join('\n')).toMatch(/not a folder of this user's own/);
        expect(execFileSync('ls', ['-A', shared], { encoding: 'utf8' })).toBe('');
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
    },
  );
});

describe('the command line', () => {
  it('--cache DIR serves the second run, --no-cache keeps none, and the default lives under .git', async () => {
    const repo = copyExample();
    initGit(repo).commit('example');
    const dir = path.join(tmp, 'cache-cli');
    const first = await cli(['check', '--root', repo.root, '--cache', dir, '--json', '-']);
    const second = await cli(['check', '--root', repo.root, '--cache', dir, '--json', '-']);
    expect(existsSync(path.join(dir, 'parse-cache'))).toBe(true);
    expect(second).toEqual(first);
    expect(first.err).toBe('');
    const none = await cli(['check', '--root', repo.root, '--no-cache', '--json', '-']);
    expect(none).toEqual(first);
    expect(existsSync(path.join(repo.dir, '.git/lineage-gate'))).toBe(false);
    const byDefault = await cli(['check', '--root', repo.root, '--json', '-']);
    expect(byDefault).toEqual(first);
    expect(existsSync(path.join(repo.dir, '.git/lineage-gate/parse-cache'))).toBe(true);
    const both = await cli(['check', '--root', repo.root, '--no-cache', '--cache', dir]);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--cache DIR or --no-cache, not both/);
    const inside = await cli(['check', '--root', repo.root, '--cache', path.join(repo.root, 'cache'), '--json', '-']);
    expect(inside.out).toBe(first.out);
    expect(inside.err).toMatch(/lies inside the repository/);
    expect(existsSync(path.join(repo.root, 'cache'))).toBe(false);
  });
});
