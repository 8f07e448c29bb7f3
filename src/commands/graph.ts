// `lineage-gate graph`: the association graph with versions on its edges, as JSON, Mermaid or DOT.
import { buildGraph, toDot, toJson, toMermaid } from '../core/render/graph-export.ts';
import { renderText } from '../core/render/text.ts';
import { evaluate } from '../evaluate.ts';
import { type Command, cacheOptions, EXIT, str, UsageError } from './command.ts';

const FORMATS = { json: toJson, mermaid: toMermaid, dot: toDot } as const;

export const graph: Command = {
  name: 'graph',
  usage: 'graph  [--root DIR] [--format json|mermaid|dot]',
  options: { format: { type: 'string', default: 'json' } },
  async run(v, _args, io) {
    const format = str(v, 'format') ?? 'json';
    if (!Object.hasOwn(FORMATS, format)) throw new UsageError('--format is json, mermaid or dot');
    using ev = await evaluate({ root: str(v, 'root')!, ...cacheOptions(v, io) });
    if (!ev.graph || !ev.manifests) {
      io.err(renderText(ev.report));
      return EXIT.invalid;
    }
    io.out(FORMATS[format as keyof typeof FORMATS](buildGraph(ev.manifests, await ev.graph.edges(), ev.report)));
    return EXIT.ok;
  },
};
