// The Action's entry (action.yml runs this file): typed inputs → runAction → one failure message.
// @github/local-action imports this module and calls run() itself, with @actions/core stubbed.

import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { liveGitHub } from '../adapters/github.ts';
import { readInputs } from './inputs.ts';
import { type ActionIo, type EventContext, runAction } from './modes.ts';

const io: ActionIo = {
  info: (t) => core.info(t),
  untrusted(text) {
    // Between stop-commands markers nothing in `text` can act as a workflow command (::set-env, ::add-mask, ...).
    const token = randomBytes(16).toString('hex');
    core.info(`::stop-commands::${token}`);
    core.info(text);
    core.info(`::${token}::`);
  },
  warning: (t) => core.warning(t),
  annotate: (level, message, where) =>
    (level === 'error' ? core.error : core.warning)(message, { file: where.file, startLine: where.line, title: where.title }),
  summary: async (md) => void (await core.summary.addRaw(md, true).write()),
  output: (name, value) => core.setOutput(name, value),
  fail: (message) => core.setFailed(message),
};

export async function run(): Promise<void> {
  const read = readInputs(process.env);
  if (!read.ok) return core.setFailed(`lineage-gate: ${read.errors.join('; ')}`);
  const inputs = read.inputs;
  core.setSecret(inputs.token);
  if (inputs.openlineageApiKey) core.setSecret(inputs.openlineageApiKey);
  const env = process.env;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || !env.GITHUB_EVENT_PATH || !env.GITHUB_SHA || !env.GITHUB_WORKSPACE) {
    return core.setFailed(
      'lineage-gate: run inside GitHub Actions (GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_SHA and GITHUB_WORKSPACE are not set)',
    );
  }
  const ctx: EventContext = {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload: JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as EventContext['payload'],
    owner,
    repo,
    sha: env.GITHUB_SHA,
    workspace: env.GITHUB_WORKSPACE,
    tempDir: env.RUNNER_TEMP ?? env.GITHUB_WORKSPACE,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
  };
  // A pull_request run evaluates the PR head that actions/checkout checked out (the merge commit by default).

  try {
    await runAction(inputs, ctx, liveGitHub(inputs.token, owner, repo), io);
  } catch (e) {
    core.setFailed(`lineage-gate: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// Run when the runner starts this file; not when a tool (@github/local-action) imports it to call run() itself.
if (import.meta.main) await run();
