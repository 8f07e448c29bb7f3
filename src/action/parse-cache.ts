// Where the Action keeps the parse cache: in the runner's temporary folder, where action.yml's actions/cache steps
// restore it on every run and save it only on the default branch's push, schedule and workflow_dispatch runs (see
// README, "The parse cache", for why a pull request cannot plant entries in it).
import path from 'node:path';
import type { ActionInputs } from './inputs.ts';
import type { ActionIo, EventContext } from './modes.ts';

/** The folder action.yml's cache steps name, under RUNNER_TEMP. */
export const CACHE_FOLDER = 'lineage-gate-cache';

/** evaluate()'s cache options for this run: the folder, or none when the cache input is false. */
export function parseCache(
  inputs: ActionInputs,
  ctx: EventContext,
  io: ActionIo,
): { cache: string | false; notice: (line: string) => void } {
  return { cache: inputs.cache ? path.join(ctx.tempDir, CACHE_FOLDER) : false, notice: (line) => io.info(line) };
}
