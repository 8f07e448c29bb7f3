// `lineage-gate export --format openlineage`: the lineage as OpenLineage RunEvents, one JSON line each, to standard
// output or a file, or posted to an OpenLineage endpoint (Marquez, DataHub, ...).
import { LineagePostError, lineageEndpoint, postEvents } from '../adapters/openlineage-http.ts';
import { formatProblem } from '../core/input/problems.ts';
import { plain, renderText } from '../core/render/text.ts';
import { evaluate } from '../evaluate.ts';
import { exportLineage, PRODUCER, toNdjson } from '../lineage-export.ts';
import { type Command, cacheOptions, EXIT, flag, str, UsageError } from './command.ts';
import { writeOutput } from './output.ts';

/** The variable OpenLineage's own clients read the key from. */
export const API_KEY_ENV = 'OPENLINEAGE_API_KEY';

export const exportCommand: Command = {
  name: 'export',
  usage:
    'export --format openlineage [--root DIR] [--out FILE] [--namespace URL] [--at ISO-TIME] [--accepted-only] [--url URL [--api-key-env NAME]]',
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    namespace: { type: 'string' },
    at: { type: 'string' },
    'accepted-only': { type: 'boolean', default: false },
    url: { type: 'string' },
    'api-key-env': { type: 'string' },
    // Declared only to refuse it with a reason: a key on the command line is visible to every process and log.
    'api-key': { type: 'string' },
  },
  async run(v, _args, io) {
    if (str(v, 'format') !== 'openlineage') throw new UsageError('--format openlineage is the one export format');
    if (str(v, 'api-key') !== undefined)
      throw new UsageError(
        `give the API key in the ${API_KEY_ENV} environment variable (or name another with --api-key-env), never on the command line`,
      );
    const keyVar = str(v, 'api-key-env') ?? API_KEY_ENV;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyVar)) throw new UsageError('--api-key-env names an environment variable, e.g. MARQUEZ_API_KEY');
    const url = str(v, 'url');
    const apiKey = io.env[keyVar] || undefined;
    if (url !== undefined) {
      try {
        lineageEndpoint(url);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (apiKey !== undefined && !/^[\x21-\x7e]+$/.test(apiKey))
        throw new UsageError(`the key in ${keyVar} must be printable ASCII without spaces (it is sent as a bearer token)`);
    }
    const at = eventTime(str(v, 'at'), io.env);
    if (at === null) throw new UsageError('--at must be an ISO 8601 time such as 2026-11-27T12:00:00Z');
    const namespace = str(v, 'namespace');
    if (namespace !== undefined && (namespace === '' || /[\u0000-\u001f\u007f]/.test(namespace)))
      throw new UsageError('--namespace is a URL or name without control characters');

    using ev = await evaluate({ root: str(v, 'root')!, ...cacheOptions(v, io) });
    if (ev.report.status === 'invalid') {
      io.err(renderText(ev.report));
      return EXIT.invalid;
    }
    const result = await exportLineage(ev, { namespace, at, acceptedOnly: flag(v, 'accepted-only'), env: io.env });
    if (!result.ok) {
      if (result.message) io.err(`lineage-gate export: ${result.message}\n`);
      for (const p of result.problems) io.err(`  ${plain(formatProblem(p))}\n`);
      return EXIT.invalid;
    }
    for (const w of result.warnings) io.err(`lineage-gate export: ${plain(w)}\n`);
    const out = str(v, 'out');
    const ndjson = toNdjson(result.events);
    if (out !== undefined || url === undefined) await writeOutput(out ?? '-', ndjson, io);
    if (url === undefined) return EXIT.ok;
    try {
      const { posted } = await postEvents(
        result.events.map((e) => ({ body: JSON.stringify(e), label: `job ${e.job.name}, run ${e.run.runId}, ${e.eventType}` })),
        { url, apiKey, userAgent: `lineage-gate (${PRODUCER})`, onRetry: (m) => io.err(`lineage-gate export: ${plain(m)}\n`) },
      );
      io.out(`export: posted ${posted} OpenLineage event(s) in namespace ${plain(result.namespace)}\n`);
      return EXIT.ok;
    } catch (e) {
      if (!(e instanceof LineagePostError)) throw e;
      io.err(`lineage-gate export: ${plain(e.message)}\n`);
      return EXIT.invalid;
    }
  },
};

/** The current evaluation's time: --at, else SOURCE_DATE_EPOCH; undefined lets the export take the commit's. */
function eventTime(at: string | undefined, env: Record<string, string | undefined>): string | undefined | null {
  if (at !== undefined) {
    const t = Date.parse(at);
    return /^\d{4}-\d{2}-\d{2}T/.test(at) && Number.isFinite(t) ? new Date(t).toISOString() : null;
  }
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch !== undefined && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString() : undefined;
}
