// lineage-gate command line: argv → one command → exit code (0 pass/noop, 1 a gate failed, 2 invalid input or usage).
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openRepo } from './adapters/repo-fs.ts';
import { edges as edgeRows, impact as impactRows } from './adapters/graph-db.ts';
import { buildGraph, toDot, toJson, toMermaid } from './core/graph-export.ts';
import { renderMarkdown } from './core/render-markdown.ts';
import { plain, renderText } from './core/render-text.ts';
import { acceptEvaluation, planAcceptance } from './accept.ts';
import { propose } from './action/propose.ts';
import { headCommit } from './adapters/git.ts';
import { localGitHub } from './adapters/github-local.ts';
import { isSafeBranch, safeTitle } from './core/action-text.ts';
import { evaluate, type Evaluation } from './evaluate.ts';

const USAGE = `lineage-gate: versioned lineage of datasets, models and workflows, with gated acceptance.

Usage:
  lineage-gate check  [--root DIR] [--all] [--json FILE] [--markdown FILE]
  lineage-gate accept [--root DIR] [--all] [--at ISO-TIME]
  lineage-gate impact ID [--root DIR] [--json]
  lineage-gate graph  [--root DIR] [--format json|mermaid|dot]
  lineage-gate site   [--root DIR] --out DIR [--base /repo-name/]
  lineage-gate propose --dry-run [--root DIR] [--all] [--branch NAME] [--title TEXT] [--base BRANCH]
  lineage-gate --help | --version

Options:
  --root DIR        lineage root holding datasets/, models/, workflows/ (default: lineage)
  --all             treat every model and workflow as affected (re-evaluation)
  --json FILE       write the report as JSON (schemas/report.schema.json); "-" for stdout
  --markdown FILE   write the Markdown report; "-" for stdout
  --at ISO-TIME     time recorded in the history record (default: SOURCE_DATE_EPOCH, else now)
  --dry-run         propose: show the commit and pull request the GitHub Action would make, without GitHub

Exit codes: 0 pass or nothing to do, 1 a gate failed, 2 invalid input or usage.
`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

const stdio: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), env: process.env };

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  const command = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : undefined;
  const shared = { root: { type: 'string', default: 'lineage' }, help: { type: 'boolean', short: 'h', default: false } } as const;
  const perCommand = {
    check: { ...shared, all: { type: 'boolean', default: false }, json: { type: 'string' }, markdown: { type: 'string' } },
    accept: { ...shared, all: { type: 'boolean', default: false }, at: { type: 'string' } },
    impact: { ...shared, json: { type: 'boolean', default: false } },
    graph: { ...shared, format: { type: 'string', default: 'json' } },
    site: { ...shared, out: { type: 'string' }, base: { type: 'string', default: '/' }, all: { type: 'boolean', default: false } },
    propose: {
      ...shared,
      all: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      branch: { type: 'string', default: 'lineage-gate/accept' },
      title: { type: 'string', default: 'lineage-gate: accept passing associations' },
      base: { type: 'string', default: 'main' },
    },
  } as const;
  if (command === undefined) {
    if (argv.includes('--version') || argv.includes('-v')) return io.out(`${version()}\n`), 0;
    if (argv.includes('--help') || argv.includes('-h')) return io.out(USAGE), 0;
    return io.err(USAGE), 2;
  }
  if (command === 'help') return io.out(USAGE), 0;
  if (!(command in perCommand)) {
    io.err(`lineage-gate: unknown command "${plain(command)}"\n\n${USAGE}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(1), allowPositionals: true, options: perCommand[command as keyof typeof perCommand] });
  } catch (e) {
    io.err(`lineage-gate ${command}: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const o = parsed.values as { root: string; help: boolean; all?: boolean; json?: string | boolean; markdown?: string; at?: string; format?: string; 'dry-run'?: boolean; branch?: string; title?: string; base?: string; out?: string };
  const args = parsed.positionals;
  if (o.help) return io.out(USAGE), 0;

  switch (command) {
    case 'check': {
      const ev = await evaluate({ root: o.root, all: o.all });
      const json = o.json as string | undefined;
      try {
        await writeOutputs(ev, json, o.markdown, io);
        if (json !== '-' && o.markdown !== '-') io.out(renderText(ev.report));
        return exitCode(ev);
      } finally {
        ev.db?.close();
      }
    }
    case 'accept': {
      const at = resolveAt(o.at, io.env);
      if (at === null) return io.err('lineage-gate: --at must be an ISO 8601 time such as 2026-11-27T12:00:00Z\n'), 2;
      const ev = await evaluate({ root: o.root, all: o.all });
      try {
        io.out(renderText(ev.report));
        if (ev.report.status === 'invalid') return io.err('lineage-gate: input is invalid; the lock was not changed\n'), 2;
        const written = await acceptEvaluation(ev, at);
        if (!written) io.out('accept: nothing to change; the lock is up to date\n');
        else {
          const h = written.history;
          io.out(
            `accept: wrote ${written.files.join(' and ')}\n` +
              `  accepted ${Object.keys(h.accepted.models).length} model(s), ${Object.keys(h.accepted.workflows).length} workflow(s), ${Object.keys(h.accepted.datasets).length} dataset version(s)` +
              (h.rejected.models.length + h.rejected.workflows.length > 0 ? `; kept the old entry of ${[...h.rejected.models, ...h.rejected.workflows].join(', ')}` : '') +
              '\n',
          );
        }
        return 0;
      } finally {
        ev.db?.close();
      }
    }
    case 'impact': {
      const id = args[0];
      if (!id) return io.err('lineage-gate impact: name a dataset or model id\n'), 2;
      const ev = await evaluate({ root: o.root });
      try {
        if (!ev.db || !ev.manifests) return io.err(renderText(ev.report)), 2;
        const known = ev.manifests.datasets.some((d) => d.id === id) || ev.manifests.models.some((m) => m.id === id);
        if (!known) return io.err(`lineage-gate impact: no dataset or model "${plain(id)}"\n`), 2;
        const rows = await impactRows(ev.db, id);
        const models = rows.filter((r) => r.kind === 'model');
        const nodes = rows.filter((r) => r.kind === 'node');
        const workflows = [...new Set(nodes.map((n) => n.id))];
        if (o.json === true) {
          io.out(JSON.stringify({ id, models_to_retrain: models.map((m) => ({ model: m.id, version: m.dst_version, dataset: m.via, trained_on: m.src_version })), workflows_to_rescore: workflows.map((w) => ({ workflow: w, nodes: nodes.filter((n) => n.id === w).map((n) => ({ node: n.node, model: n.via, model_version: n.src_version, dataset_version: n.dst_version })) })) }, null, 2) + '\n');
        } else {
          io.out(`impact of ${id}:\n`);
          io.out(`  models to retrain (${models.length}):${models.length ? '' : ' none'}\n`);
          for (const m of models) io.out(`    ${m.id}@${plain(m.dst_version)}  trained on ${m.via}@${plain(m.src_version)}\n`);
          io.out(`  workflows to re-score (${workflows.length}):${workflows.length ? '' : ' none'}\n`);
          for (const w of workflows) io.out(`    ${w}: nodes ${nodes.filter((n) => n.id === w).map((n) => `${n.node} (${n.via}@${plain(n.src_version)})`).join(', ')}\n`);
        }
        return 0;
      } finally {
        ev.db?.close();
      }
    }
    case 'graph': {
      const render = ({ json: toJson, mermaid: toMermaid, dot: toDot } as Record<string, typeof toJson>)[o.format ?? 'json'];
      if (!render) return io.err('lineage-gate graph: --format is json, mermaid or dot\n'), 2;
      const ev = await evaluate({ root: o.root });
      try {
        if (!ev.db || !ev.manifests) return io.err(renderText(ev.report)), 2;
        io.out(render(buildGraph(ev.manifests, await edgeRows(ev.db))));
        return 0;
      } finally {
        ev.db?.close();
      }
    }
    case 'site': {
      if (!o.out) return io.err('lineage-gate site: --out DIR is required\n'), 2;
      if (!/^\/([A-Za-z0-9._-]+\/)*$/.test(o.base!)) return io.err('lineage-gate site: --base must look like /repo-name/\n'), 2;
      const { buildSite } = await import('./site.ts');
      const r = await buildSite({ root: o.root, out: o.out, base: o.base!, all: o.all, log: (l) => io.err(`${l}\n`) });
      for (const w of r.warnings) io.err(`warning: ${plain(w)}\n`);
      io.out(`site: ${r.pages} pages in ${o.out} (latest verdict: ${r.status})\n`);
      return 0;
    }
    case 'propose': {
      if (!o['dry-run']) return io.err('lineage-gate propose: the live proposal is made by the GitHub Action; add --dry-run to see what it would do\n'), 2;
      if (!isSafeBranch(o.branch!) || !isSafeBranch(o.base!)) return io.err('lineage-gate propose: --branch and --base must be plain branch names\n'), 2;
      const ev = await evaluate({ root: o.root, all: o.all });
      try {
        io.out(renderText(ev.report));
        if (ev.report.status === 'invalid') return 2;
        const head = (await headCommit(ev.repo.root)) ?? { sha: '0'.repeat(40), date: resolveAt(undefined, io.env)! };
        const plan = planAcceptance(ev, head.date);
        const gh = localGitHub(head);
        const result = await propose(gh, {
          report: ev.report,
          files: plan ? [{ path: plan.files[0]!, content: plan.lockText }, { path: plan.files[1]!, content: plan.historyText }] : null,
          evaluatedSha: head.sha,
          baseBranch: o.base!,
          branch: o.branch!,
          title: safeTitle(o.title!),
          labels: [],
          botLogin: 'lineage-gate[dry-run]',
        });
        io.out(`\npropose (dry run, nothing was sent): ${result.message}\n`);
        for (const line of gh.log) io.out(`  would ${line}\n`);
        return 0;
      } finally {
        ev.db?.close();
      }
    }
  }
  return 2;
}

function exitCode(ev: Evaluation): number {
  return ev.report.status === 'invalid' ? 2 : ev.report.status === 'fail' ? 1 : 0;
}

async function writeOutputs(ev: Evaluation, json: string | undefined, markdown: string | undefined, io: Io): Promise<void> {
  const write = async (file: string, text: string) => {
    if (file === '-') return io.out(text);
    const abs = path.resolve(file);
    await openRepo(path.dirname(abs)).writeAtomic(path.basename(abs), text);
  };
  if (json !== undefined) await write(json, JSON.stringify(ev.report, null, 2) + '\n');
  if (markdown !== undefined) await write(markdown, renderMarkdown(ev.report));
}

/** The time a history record carries: --at, else SOURCE_DATE_EPOCH (reproducible builds), else now. */
export function resolveAt(at: string | undefined, env: Record<string, string | undefined>): string | null {
  if (at !== undefined) {
    const t = Date.parse(at);
    return /^\d{4}-\d{2}-\d{2}T/.test(at) && Number.isFinite(t) ? new Date(t).toISOString() : null;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

