// The shell of `export --format openlineage`: the evaluation, its history and the namespace in; checked events out.
import { readFileSync } from 'node:fs';
import { headCommit } from './adapters/git.ts';
import { originUrl } from './adapters/git-remote.ts';
import { uuidV5 } from './adapters/uuid.ts';
import type { InputProblem } from './core/input/problems.ts';
import { assertSchema } from './core/input/schema.ts';
import { lineageEvents } from './core/openlineage/events.ts';
import type { RunEvent } from './core/openlineage/facets.ts';
import { identities } from './core/openlineage/identity.ts';
import { actionsRepositoryUrl, repositoryUrl } from './core/openlineage/namespace.ts';
import type { Evaluation } from './evaluate.ts';
import { readHistory } from './history-files.ts';

export interface ExportOptions {
  /** --namespace; else the repository URL (GitHub Actions' own, else git's origin remote). */
  namespace?: string;
  /** RFC 3339 time of the current evaluation; else the evaluated commit's, else the latest history record's. */
  at?: string;
  acceptedOnly?: boolean;
  env: Record<string, string | undefined>;
}

export type ExportResult =
  | { ok: true; events: RunEvent[]; namespace: string; warnings: string[] }
  | { ok: false; problems: InputProblem[]; message?: string };

export const PRODUCER = `https://github.com/lineage-gate/lineage-gate/tree/v${packageVersion()}`;

export async function exportLineage(ev: Evaluation, opts: ExportOptions): Promise<ExportResult> {
  if (!ev.manifests) return { ok: false, problems: ev.report.errors };
  const namespace = opts.namespace ?? actionsRepositoryUrl(opts.env) ?? repositoryUrl((await originUrl(ev.repo.root)) ?? '');
  if (!namespace)
    return {
      ok: false,
      problems: [],
      message:
        'no namespace: pass --namespace URL (the repository URL, e.g. https://github.com/org/repo); this repository has no origin remote',
    };
  const ids = identities(
    namespace,
    ev.manifests.datasets,
    ev.manifests.models.map((m) => m.id),
    ev.lines,
  );
  if (!ids.ok) return { ok: false, problems: ids.problems };
  const { records, warnings } = await readHistory(ev);
  const at = opts.at ?? (await headCommit(ev.repo.root))?.date ?? records.at(-1)?.at;
  if (!at) return { ok: false, problems: [], message: 'no time for the current evaluation: pass --at ISO-TIME or set SOURCE_DATE_EPOCH' };
  const events = lineageEvents(
    {
      manifests: ev.manifests,
      lock: ev.lock,
      report: ev.report,
      history: records.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
    },
    {
      namespace,
      producer: PRODUCER,
      at,
      acceptedOnly: opts.acceptedOnly ?? false,
      identities: ids.identities,
      runId: (key) => uuidV5(key),
    },
  );
  // What we emit is what our schema promises: a mismatch is a bug here, never something to send.
  for (const e of events) assertSchema('openlineage-event', e);
  return { ok: true, events, namespace, warnings };
}

/** One event per line, as the export writes them and the endpoint receives them. */
export function toNdjson(events: readonly RunEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join('');
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
