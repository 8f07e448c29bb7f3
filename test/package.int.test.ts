// The published package as a user gets it: `npm pack`, installed offline into an empty project, then the command
// run with npx on a copy of the example (on this Node, the engines floor and Node 22), the library imported with its
// types, and the site built from node_modules once Astro is installed beside it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installConsumer, type Packed, pack } from './helpers/consumer.ts';
import { NODE_LINES, nodeFor } from './helpers/node-lines.ts';

const SITE_DEPS = (JSON.parse(readFileSync('site/package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies;
let packed: Packed;
let consumer: string;
let example: string;

/** A copy of the example as its own git repository, outside this one. */
/** Temporary folders this file made (a consumer with Astro is a quarter of a gigabyte): removed at the end. */
const made: string[] = [];
const keep = (dir: string) => (made.push(dir), dir);
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copyExample(): string {
  const dir = keep(mkdtempSync(path.join(tmpdir(), 'lg-pkg-example-')));
  cpSync('examples/molecular-property', dir, { recursive: true });
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}

/** Runs a command in the consumer project; `node` puts another Node.js first on PATH, as a user's shell would. */
function run(cmd: string, args: string[], opts: { node?: string; cwd?: string } = {}) {
  const PATH = [...(opts.node ? [path.dirname(opts.node)] : []), process.env.PATH ?? ''].join(path.delimiter);
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? consumer,
    encoding: 'utf8',
    env: { ...process.env, PATH, SOURCE_DATE_EPOCH: '1700000000' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const bin = () => path.join(consumer, 'node_modules/.bin/lineage-gate');

beforeAll(() => {
  packed = pack();
  keep(path.dirname(packed.file));
  consumer = keep(installConsumer(packed));
  example = copyExample();
}, 180_000);

describe('the packed tarball', () => {
  it('holds the compiled command and library, the schemas and the site project, and nothing of the repository besides', () => {
    const allowed =
      /^(dist\/.+\.(js|d\.ts)|schemas\/[a-z-]+\.schema\.json|site\/.+|src\/core\/(order|render\/graph-export|site\/(evaluation-diff|graph-chunk|graph-layout|search-index|site-contract))\.ts|LICENSE|README\.md|CHANGELOG\.md|package\.json)$/;
    expect(packed.files.filter((f) => !allowed.test(f))).toEqual([]);
    for (const f of ['dist/bin.js', 'dist/index.js', 'dist/index.d.ts', 'dist/adapters/parse-worker.js', 'LICENSE', 'site/package.json'])
      expect(packed.files).toContain(f);
    expect(packed.files.filter((f) => /^(test|bench|scripts|examples|\.ci)\/|^tsconfig|\.test\./.test(f))).toEqual([]);
  });

  it("ships every file outside site/ that the site's sources import", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const outside = new Set<string>();
    for (const file of walk('site/src')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = path
          .relative('.', path.resolve(path.dirname(file), m[1]!))
          .split(path.sep)
          .join('/');
        if (!target.startsWith('site/')) outside.add(target);
      }
    }
    expect(outside.size).toBeGreaterThan(0);
    for (const target of outside) expect(packed.files, `site/ imports ${target}`).toContain(target);
  });

  it('declares its repository, the MIT licence it carries, and compiled files as command and library', () => {
    const pkg = packed.manifest as unknown as Record<string, any>;
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(pkg.license).toBe('MIT');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License\n/);
    expect(pkg.bin['lineage-gate']).toBe('dist/bin.js');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
  });

  it('installs without a site generator or the Actions toolkit: its own dependencies and what they need', () => {
    const installed = readdirSync(path.join(consumer, 'node_modules')).filter((n) => !n.startsWith('.'));
    for (const name of ['astro', 'vite', 'd3-zoom', '@actions']) expect(installed).not.toContain(name);
    const scopes = Object.keys(packed.manifest.dependencies).map((n) => n.split('/')[0]!);
    expect(installed).toEqual(expect.arrayContaining([...scopes, 'lineage-gate']));
    expect(installed.length).toBeLessThan(15);
  });
});

describe('npx lineage-gate from the installed package', () => {
  it('checks a copy of the example: exit 1, mol_toxicity failing its gate', () => {
    const r = run('npx', ['--offline', 'lineage-gate', 'check', '--root', path.join(example, 'lineage')]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toContain('lineage-gate: FAIL  gate 1: 3/4 models pass · gate 2: 1/2 workflows pass');
    // The example is a DVC project: versions are the hashes dvc.lock records.
    expect(r.out).toMatch(
      / {2}✗ model mol_toxicity [0-9a-f]{32} → [0-9a-f]{32}:\n {6}test\.auc = 0\.86, needs >= 0\.89 \(test\.auc >= baseline - 0\.02\)\n/,
    );
    expect(run('npx', ['--offline', 'lineage-gate', '--version']).out).toBe(`${packed.manifest.version}\n`);
  });

  it.each(NODE_LINES.map((l) => [l.name, l] as const))('prints the same verdict, byte for byte, on Node %s', (_name, line) => {
    const node = nodeFor(line);
    const args = ['check', '--root', path.join(example, 'lineage')];
    const here = run(bin(), args);
    const there = run(bin(), args, { node });
    expect(there.code, there.err).toBe(1);
    expect(there.out).toBe(here.out);
  });

  it('runs every other command from the compiled files', () => {
    const repo = copyExample();
    const root = path.join(repo, 'lineage');
    expect(run(bin(), ['impact', 'ds_mol_20210421', '--root', root]).out).toContain('models trained on this dataset (4):');
    const plan = run(bin(), ['plan', '--root', root, '--json', '-']);
    expect(plan.code, plan.err).toBe(0);
    expect(JSON.parse(plan.out)).toMatchObject({ include: [], count: 0, truncated: false });
    expect(run(bin(), ['graph', '--root', root, '--format', 'mermaid']).out).toMatch(/^flowchart LR\n/);
    const events = run(bin(), ['export', '--format', 'openlineage', '--root', root, '--namespace', 'https://example.org/repo']);
    expect(events.code, events.err).toBe(0);
    expect(JSON.parse(events.out.split('\n')[0]!)).toHaveProperty('eventType');
    const dry = run(bin(), ['propose', '--dry-run', '--root', root]);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('propose (dry run, nothing was sent)');
    const accepted = run(bin(), ['accept', '--root', root]);
    expect(accepted.code, accepted.err).toBe(0);
    expect(accepted.out).toContain('accept: wrote lineage/associations.lock.yaml and lineage/history/');
  });

  it('parses on worker threads from the compiled worker file', async () => {
    const pool = (await import(
      pathToFileURL(path.join(consumer, 'node_modules/lineage-gate/dist/adapters/parse-pool.js')).href
    )) as typeof import('../src/adapters/parse-pool.ts');
    const files = [{ kind: 'dataset' as const, file: { path: 'lineage/datasets/d.yaml', text: 'id: d\nversion: "1"\n' } }];
    const parsed = await pool.parseManifestsParallel([...files, ...files], { workers: 1, fallback: false });
    expect(parsed.datasets.map((d) => d.id)).toEqual(['d', 'd']);
  });

  it('says what to install when `site` runs without Astro', () => {
    const r = run(bin(), ['site', '--root', path.join(example, 'lineage'), '--out', path.join(example, '_site')]);
    expect(r.code).toBe(2);
    const names = Object.keys(SITE_DEPS);
    expect(r.err).toBe(
      `lineage-gate site: the site needs ${names.join(', ')}, which are not installed\n` +
        `  install them beside lineage-gate: npm install --save-dev ${names.map((n) => `${n}@${SITE_DEPS[n]}`).join(' ')}\n`,
    );
    expect(existsSync(path.join(example, '_site'))).toBe(false);
  });
});

describe('the library entry', () => {
  const use = `import { accept, evaluate, renderText, type Report } from 'lineage-gate';
const root = process.argv[2] as string;
using ev = await evaluate({ root });
const report: Report = ev.report;
const status: 'pass' | 'fail' | 'noop' | 'invalid' = report.status;
const failing: string[] = report.models.filter((m) => m.status === 'fail').map((m) => m.id);
const written = await accept(ev, '2026-01-01T00:00:00.000Z');
console.log(JSON.stringify({ status, failing, wrote: written?.files ?? [], text: renderText(report).split('\\n')[0] }));
`;
  const tsconfig = {
    compilerOptions: {
      target: 'es2024',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2024', 'esnext.disposable'],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      types: ['node'],
      typeRoots: [path.resolve('node_modules/@types')],
    },
  };
  /** tsc's diagnostics for one file of the consumer, with this repository's TypeScript and Node types. */
  const tsc = (file: string) => {
    writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: [file] }));
    return spawnSync(path.resolve('node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8' }).stdout;
  };

  it('typechecks a consumer against the shipped declarations and runs it', () => {
    writeFileSync(path.join(consumer, 'use.ts'), use);
    expect(tsc('use.ts')).toBe('');
    const repo = copyExample();
    const r = run(process.execPath, ['use.ts', path.join(repo, 'lineage')]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      status: 'fail',
      failing: ['mol_toxicity'],
      wrote: ['lineage/associations.lock.yaml', expect.stringMatching(/^lineage\/history\/\d+-[0-9a-f]+\.json$/)],
      text: expect.stringMatching(/^lineage-gate: FAIL {2}gate 1: 3\/4 models pass/),
    });
  });

  it('refuses a consumer that misuses the types, so they are real and not any', () => {
    writeFileSync(
      path.join(consumer, 'bad.ts'),
      `import { evaluate } from 'lineage-gate';\nconst ev = await evaluate({ root: 'x' });\nconst n: number = ev.report.status;\nexport { n };\n`,
    );
    expect(tsc('bad.ts')).toMatch(/^bad\.ts\(3,7\): error TS2322: Type '\w+' is not assignable to type 'number'/);
  });

  it.each(NODE_LINES.map((l) => [l.name, l] as const))('imports on Node %s', (_name, line) => {
    // The same program without types, and without `using` (Node 24 and later): close() instead.
    const js = use
      .replace(', type Report', '')
      .replace(/: (Report|string\[\]|'pass' \| 'fail' \| 'noop' \| 'invalid')|as string/g, '')
      .replace('using ev', 'const ev');
    writeFileSync(path.join(consumer, 'use.mjs'), `${js}ev.close();\n`);
    const repo = copyExample();
    const r = run(nodeFor(line), ['use.mjs', path.join(repo, 'lineage')]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ status: 'fail', failing: ['mol_toxicity'] });
  });
});

describe('the site from node_modules', () => {
  it('builds once Astro and the site packages are installed beside lineage-gate', () => {
    const withSite = keep(installConsumer(packed, SITE_DEPS));
    const out = path.join(example, '_site_built');
    const r = run(
      path.join(withSite, 'node_modules/.bin/lineage-gate'),
      ['site', '--root', path.join(example, 'lineage'), '--out', out, '--base', '/lineage/'],
      {
        cwd: withSite,
      },
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^site: \d+ pages in /);
    expect(readFileSync(path.join(out, 'models/mol_toxicity/index.html'), 'utf8')).toContain('href="/lineage/graph/"');
    // Astro's own floor is above the command's: on the command's floor, `site` says so instead of failing inside Astro.
    const floor = run(
      path.join(withSite, 'node_modules/.bin/lineage-gate'),
      ['site', '--root', path.join(example, 'lineage'), '--out', out],
      {
        cwd: withSite,
        node: nodeFor(NODE_LINES.find((l) => l.name === 'floor')!),
      },
    );
    expect(floor.code).toBe(2);
    // (Node 20.10 also prints its ExperimentalWarning for JSON modules on standard error.)
    expect(floor.err.split('\n')).toContain(
      'lineage-gate site: the site is built by Astro, which needs Node.js 22.12 or later; this is v20.10.0',
    );
  }, 180_000);
});
