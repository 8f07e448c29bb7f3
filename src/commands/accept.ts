// `lineage-gate accept`: write the lock and one history record for what passed.
import { acceptEvaluation } from '../acceptance.ts';
import { renderText } from '../core/render/text.ts';
import { evaluate } from '../evaluate.ts';
import { type Command, cacheOptions, EXIT, flag, str, UsageError } from './command.ts';

export const accept: Command = {
  name: 'accept',
  usage: 'accept [--root DIR] [--base REV] [--all] [--allow-weakening] [--at ISO-TIME]',
  options: {
    all: { type: 'boolean', default: false },
    at: { type: 'string' },
    base: { type: 'string' },
    'allow-weakening': { type: 'boolean', default: false },
  },
  async run(v, _args, io) {
    const at = resolveAt(str(v, 'at'), io.env);
    if (at === null) throw new UsageError('--at must be an ISO 8601 time such as 2026-11-27T12:00:00Z');
    const allowWeakening = flag(v, 'allow-weakening');
    using ev = await evaluate({ root: str(v, 'root')!, all: flag(v, 'all'), base: str(v, 'base'), allowWeakening, ...cacheOptions(v, io) });
    io.out(renderText(ev.report));
    if (ev.report.status === 'invalid') {
      io.err('lineage-gate: input is invalid; the lock was not changed\n');
      return EXIT.invalid;
    }
    if (ev.report.summary.weakened > 0 && !allowWeakening) {
      io.err(
        `accept: ${ev.report.summary.weakened} weakened gate(s) (listed above); the lock was not changed. Accept a weakened gate only when someone with authority agrees: accept --allow-weakening\n`,
      );
      return EXIT.gateFailed;
    }
    if (ev.report.base?.lock === 'accepted') {
      io.out(`accept: nothing to change; the lock and history already hold what accept computes from ${ev.report.base.name}\n`);
      return EXIT.ok;
    }
    const written = await acceptEvaluation(ev, at);
    if (!written) {
      io.out('accept: nothing to change; the lock is up to date\n');
      return EXIT.ok;
    }
    const h = written.history;
    const kept = [...h.rejected.models, ...h.rejected.workflows];
    io.out(
      `accept: wrote ${written.files.join(' and ')}\n` +
        `  accepted ${Object.keys(h.accepted.models).length} model(s), ${Object.keys(h.accepted.workflows).length} workflow(s), ${Object.keys(h.accepted.datasets).length} dataset version(s)` +
        (kept.length > 0 ? `; kept the old entry of ${kept.join(', ')}` : '') +
        '\n',
    );
    return EXIT.ok;
  },
};

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
