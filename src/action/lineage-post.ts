// Propose mode, after the lock PR: posts the accepted lineage (history and lock, not the pending evaluation) to the
// OpenLineage endpoint. Run ids are stable, so posting the same history again updates runs instead of adding any.
import { LineagePostError, postEvents } from '../adapters/openlineage-http.ts';
import { formatProblem } from '../core/input/problems.ts';
import type { Evaluation } from '../evaluate.ts';
import { exportLineage, PRODUCER } from '../lineage-export.ts';
import type { ActionInputs } from './inputs.ts';
import type { ActionIo, EventContext } from './modes.ts';

export async function postLineage(inputs: ActionInputs, ctx: EventContext, io: ActionIo, ev: Evaluation): Promise<void> {
  const at = ctx.payload.head_commit?.timestamp;
  const result = await exportLineage(ev, {
    acceptedOnly: true,
    at: at && Number.isFinite(Date.parse(at)) ? new Date(at).toISOString() : undefined,
    env: { GITHUB_SERVER_URL: ctx.serverUrl ?? 'https://github.com', GITHUB_REPOSITORY: `${ctx.owner}/${ctx.repo}` },
  });
  if (!result.ok) {
    const detail = [result.message, ...result.problems.map(formatProblem)].filter(Boolean).join('; ');
    return io.fail(`lineage-gate: the lineage was not posted: ${detail}`);
  }
  for (const w of result.warnings) io.warning(`lineage-gate: ${w}`);
  try {
    const { posted } = await postEvents(
      result.events.map((e) => ({ body: JSON.stringify(e), label: `job ${e.job.name}, run ${e.run.runId}, ${e.eventType}` })),
      {
        url: inputs.openlineageUrl,
        apiKey: inputs.openlineageApiKey || undefined,
        userAgent: `lineage-gate (${PRODUCER})`,
        onRetry: (m) => io.info(`lineage-gate: ${m}`),
      },
    );
    io.info(`lineage-gate: posted ${posted} OpenLineage event(s) of the accepted lineage in namespace ${result.namespace}`);
    io.output('openlineage-events', String(posted));
  } catch (e) {
    if (!(e instanceof LineagePostError)) throw e;
    io.output('openlineage-events', String(e.index));
    io.fail(`lineage-gate: ${e.message}`);
  }
}
