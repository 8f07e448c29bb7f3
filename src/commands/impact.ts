// `lineage-gate impact ID`: everything downstream of a dataset or model, with the versions on each edge.
import { plain, renderText } from '../core/render/text.ts';
import { evaluate } from '../evaluate.ts';
import { type Command, EXIT, flag, str, UsageError } from './command.ts';

export const impact: Command = {
  name: 'impact',
  usage: 'impact ID [--root DIR] [--json]',
  options: { json: { type: 'boolean', default: false } },
  async run(v, args, io) {
    const id = args[0];
    if (!id) throw new UsageError('name a dataset or model id');
    using ev = await evaluate({ root: str(v, 'root')! });
    if (!ev.graph || !ev.manifests) {
      io.err(renderText(ev.report));
      return EXIT.invalid;
    }
    const known = ev.manifests.datasets.some((d) => d.id === id) || ev.manifests.models.some((m) => m.id === id);
    if (!known) {
      io.err(`lineage-gate impact: no dataset or model "${plain(id)}"\n`);
      return EXIT.invalid;
    }
    const rows = await ev.graph.impact(id);
    const models = rows.filter((r) => r.kind === 'model');
    const nodes = rows.filter((r) => r.kind === 'node');
    const workflows = [...new Set(nodes.map((n) => n.id))];
    if (flag(v, 'json')) {
      const json = {
        id,
        models_to_retrain: models.map((m) => ({ model: m.id, version: m.dst_version, dataset: m.via, trained_on: m.src_version })),
        workflows_to_rescore: workflows.map((w) => ({
          workflow: w,
          nodes: nodes
            .filter((n) => n.id === w)
            .map((n) => ({ node: n.node, model: n.via, model_version: n.src_version, dataset_version: n.dst_version })),
        })),
      };
      io.out(`${JSON.stringify(json, null, 2)}\n`);
      return EXIT.ok;
    }
    io.out(`impact of ${id}:\n`);
    io.out(`  models to retrain (${models.length}):${models.length ? '' : ' none'}\n`);
    for (const m of models) io.out(`    ${m.id}@${plain(m.dst_version)}  trained on ${m.via}@${plain(m.src_version)}\n`);
    io.out(`  workflows to re-score (${workflows.length}):${workflows.length ? '' : ' none'}\n`);
    for (const w of workflows) {
      const list = nodes.filter((n) => n.id === w).map((n) => `${n.node} (${n.via}@${plain(n.src_version)})`);
      io.out(`    ${w}: nodes ${list.join(', ')}\n`);
    }
    return EXIT.ok;
  },
};
