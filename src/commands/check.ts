// `lineage-gate check`: evaluate and print the verdict; optionally write the JSON and Markdown reports.
import { renderMarkdown } from '../core/render/report-markdown.ts';
import { renderText } from '../core/render/text.ts';
import type { Report } from '../core/types.ts';
import { evaluate } from '../evaluate.ts';
import { type Command, cacheOptions, EXIT, flag, type Io, str } from './command.ts';
import { writeOutput } from './output.ts';

export const check: Command = {
  name: 'check',
  usage: 'check  [--root DIR] [--base REV] [--all] [--allow-weakening] [--json FILE] [--markdown FILE]',
  options: {
    all: { type: 'boolean', default: false },
    json: { type: 'string' },
    markdown: { type: 'string' },
    base: { type: 'string' },
    'allow-weakening': { type: 'boolean', default: false },
  },
  async run(v, _args, io) {
    using ev = await evaluate({
      root: str(v, 'root')!,
      all: flag(v, 'all'),
      base: str(v, 'base'),
      allowWeakening: flag(v, 'allow-weakening'),
      ...cacheOptions(v, io),
    });
    const json = str(v, 'json');
    const markdown = str(v, 'markdown');
    await writeReports(ev.report, json, markdown, io);
    if (json !== '-' && markdown !== '-') io.out(renderText(ev.report));
    return exitCode(ev.report);
  },
};

export function exitCode(r: Report): number {
  return r.status === 'invalid' ? EXIT.invalid : r.status === 'fail' ? EXIT.gateFailed : EXIT.ok;
}

async function writeReports(report: Report, json: string | undefined, markdown: string | undefined, io: Io): Promise<void> {
  if (json !== undefined) await writeOutput(json, `${JSON.stringify(report, null, 2)}\n`, io);
  if (markdown !== undefined) await writeOutput(markdown, renderMarkdown(report), io);
}
