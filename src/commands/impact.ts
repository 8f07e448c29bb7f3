// `lineage-gate impact ID`: the retrain plan seen from one dataset or model: the models trained on it (and whether
// each must be retrained), then the workflow nodes to re-score, transitively through `needs`.
import { formatProblem } from '../core/input/problems.ts';
import { didYouMean } from '../core/input/suggest.ts';
import { renderImpact } from '../core/render/plan-text.ts';
import { plain, renderText } from '../core/render/text.ts';
import { evaluate } from '../evaluate.ts';
import { planOf } from '../planning.ts';
import { type Command, cacheOptions, EXIT, flag, str, UsageError } from './command.ts';

export const impact: Command = {
  name: 'impact',
  usage: 'impact ID [--root DIR] [--base REV] [--json]',
  options: { json: { type: 'boolean', default: false }, base: { type: 'string' } },
  async run(v, args, io) {
    const id = args[0];
    if (!id) throw new UsageError('name a dataset or model id');
    using ev = await evaluate({ root: str(v, 'root')!, base: str(v, 'base'), ...cacheOptions(v, io) });
    if (!ev.graph || !ev.manifests) {
      io.err(renderText(ev.report));
      return EXIT.invalid;
    }
    const dataset = ev.manifests.datasets.find((d) => d.id === id);
    const model = ev.manifests.models.find((m) => m.id === id);
    if (!dataset && !model) {
      const ids = [...ev.manifests.datasets, ...ev.manifests.models].map((x) => x.id);
      io.err(`lineage-gate impact: no dataset or model "${plain(id)}"${plain(didYouMean(id, ids))}\n`);
      return EXIT.invalid;
    }
    const kind = dataset ? 'dataset' : 'model';
    const version = (dataset ?? model)!.version;
    const built = await planOf(ev, id);
    if (!built.ok) {
      for (const p of built.problems) io.err(`  ${plain(formatProblem(p))}\n`);
      return EXIT.invalid;
    }
    if (flag(v, 'json')) {
      const { include, rescore, count } = built.plan;
      io.out(`${JSON.stringify({ id, kind, version, models: built.models, include, rescore, count }, null, 2)}\n`);
      return EXIT.ok;
    }
    io.out(renderImpact(id, kind, version, { models: built.models, plan: built.plan }));
    return EXIT.ok;
  },
};
