// lineage-gate command line: argv → one command from the table → exit code. One error boundary: an unexpected
// error is one line and exit 2 (the stack with --debug), never a raw trace with the "gate failed" code.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { accept } from './commands/accept.ts';
import { check } from './commands/check.ts';
import { type Command, CommandError, EXIT, type Io, SHARED_OPTIONS, UsageError, type Values } from './commands/command.ts';
import { exportCommand } from './commands/export.ts';
import { graph } from './commands/graph.ts';
import { impact } from './commands/impact.ts';
import { init } from './commands/init.ts';
import { plan } from './commands/plan.ts';
import { propose } from './commands/propose.ts';
import { site } from './commands/site.ts';
import { plain } from './core/render/text.ts';

export type { Io } from './commands/command.ts';

/** Every command, in the order the usage lists them. */
export const COMMANDS: readonly Command[] = [init, check, accept, plan, impact, graph, site, propose, exportCommand];

/** Where people report a failure lineage-gate did not expect. */
export const ISSUES_URL = 'https://github.com/lineage-gate/lineage-gate/issues';

export const USAGE = `lineage-gate: versioned lineage of datasets, models and workflows, with gated acceptance.

Usage:
${COMMANDS.map((c) => `  lineage-gate ${c.usage}`).join('\n')}
  lineage-gate --help | --version

Options:
  --root DIR        lineage root holding datasets/, models/, workflows/ (default: lineage)
  --base REV        check, accept, plan, impact: take the accepted lock and history from git revision REV
                    (e.g. origin/main), read through git without a checkout, and verify any change to them. Without it the work
                    tree's lock counts as accepted: fine locally, but a pull request could edit its own precedent
  --rev REV         site: the same, for the site (its --base is the URL path it is served under)
  --all             treat every model and workflow as affected (re-evaluation)
  --json FILE       write the report as JSON (schemas/report.schema.json), or for plan the retrain plan
                    (schemas/plan.schema.json); "-" for stdout
  --markdown FILE   write the Markdown report; "-" for stdout
  --at ISO-TIME     time recorded in the history record (default: SOURCE_DATE_EPOCH, else now)
  --out FILE        export: write the events to FILE instead of stdout
  --dry-run         propose: show the commit and pull request the GitHub Action would make, without GitHub
  --cache DIR       keep the parse cache in DIR, so that only changed files are parsed (default: under the
                    repository's .git, else a folder of your own in the temporary folder; never inside the repository)
  --no-cache        parse every file and keep no parse cache
  --debug           print the stack trace of an unexpected error

Exit codes: 0 pass or nothing to do, 1 a gate failed, 2 invalid input, usage or an unexpected error.
`;

const stdio: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), env: process.env };

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  // A reader that stops early (`export ... | head`) closes the pipe: that ends the output, it is no error of ours.
  if (io === stdio && process.stdout.listenerCount('error') === 0)
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  const say = (write: (t: string) => void, text: string, code: number): number => {
    write(text);
    return code;
  };
  const name = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : undefined;
  if (name === undefined) {
    if (argv.includes('--version') || argv.includes('-v')) return say(io.out, `${version()}\n`, EXIT.ok);
    if (argv.includes('--help') || argv.includes('-h')) return say(io.out, USAGE, EXIT.ok);
    return say(io.err, USAGE, EXIT.invalid);
  }
  if (name === 'help') return say(io.out, USAGE, EXIT.ok);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return say(io.err, `lineage-gate: unknown command "${plain(name)}"\n\n${USAGE}`, EXIT.invalid);
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: { ...SHARED_OPTIONS, ...command.options },
    }) as typeof parsed;
  } catch (e) {
    return say(io.err, `lineage-gate ${name}: ${plain((e as Error).message)}\n\n${USAGE}`, EXIT.invalid);
  }
  if (parsed.values.help === true) return say(io.out, USAGE, EXIT.ok);
  try {
    return await command.run(parsed.values, parsed.positionals, io);
  } catch (e) {
    if (e instanceof UsageError) return say(io.err, `lineage-gate ${name}: ${e.message}\n\n${USAGE}`, EXIT.invalid);
    if (e instanceof CommandError) return say(io.err, `lineage-gate ${name}: ${plain(e.message)}\n`, EXIT.invalid);
    const message = e instanceof Error ? e.message : String(e);
    io.err(`lineage-gate ${name}: unexpected error: ${plain(message.split('\n')[0] ?? '')}\n`);
    if (parsed.values.debug === true && e instanceof Error && e.stack) io.err(`${plain(e.stack)}\n`);
    else
      io.err(
        `  This is a bug in lineage-gate or a problem of this machine; run again with --debug for the details, and report it at ${ISSUES_URL}\n`,
      );
    return EXIT.invalid;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
