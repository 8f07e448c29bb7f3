// The Action's inputs, read from the environment the runner sets and validated into one typed object.
import { lineageEndpoint } from '../adapters/openlineage-http.ts';
import { isSafeBranch, safeTitle } from '../core/render/github-text.ts';

export interface ActionInputs {
  root: string;
  mode: 'auto' | 'check' | 'propose' | 'comment' | 'plan';
  /** comment mode: the report JSON a check run uploaded (untrusted: validated and re-rendered). */
  reportFile: string;
  token: string;
  failOn: 'gate' | 'never';
  comment: boolean;
  prBranch: string;
  prTitle: string;
  labels: string[];
  all: boolean;
  only: string[];
  botLogin: string;
  siteDir: string;
  siteBase: string;
  /** propose: post the accepted lineage to this OpenLineage endpoint; '' to post nothing. */
  openlineageUrl: string;
  /** Bearer key for that endpoint (a secret). */
  openlineageApiKey: string;
  /** A folder of retrain job outputs (retrained-<model>/...) to apply before evaluating; '' for none. */
  retrained: string;
  /** Keep the parse cache in the runner's temporary folder, where action.yml restores and saves it. */
  cache: boolean;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Inputs from the environment the runner sets (INPUT_FAIL_ON, or INPUT_FAIL-ON as @actions/core spells it). */
export function readInputs(env: Record<string, string | undefined>): { ok: true; inputs: ActionInputs } | { ok: false; errors: string[] } {
  const get = (name: string, fallback: string): string => {
    const key = name.toUpperCase();
    const v = env[`INPUT_${key.replace(/-/g, '_')}`] ?? env[`INPUT_${key}`];
    return v === undefined || v.trim() === '' ? fallback : v.trim();
  };
  const errors: string[] = [];
  const oneOf = <T extends string>(name: string, value: string, allowed: readonly T[]): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    errors.push(`input ${name} must be one of ${allowed.join(', ')}`);
    return allowed[0]!;
  };
  const bool = (name: string, fallback: string): boolean => {
    const v = get(name, fallback).toLowerCase();
    if (['true', 'on', 'yes', '1'].includes(v)) return true;
    if (['false', 'off', 'no', '0'].includes(v)) return false;
    errors.push(`input ${name} must be true or false`);
    return false;
  };
  const list = (name: string): string[] =>
    get(name, '')
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean);

  const root = get('root', 'lineage');
  if (root.startsWith('/') || root.split('/').includes('..') || /[\u0000-\u001f]/.test(root))
    errors.push('input root must be a path inside the repository');
  const prBranch = get('pr-branch', 'lineage-gate/accept');
  if (!isSafeBranch(prBranch))
    errors.push('input pr-branch is not a branch name lineage-gate will use (letters, digits, . _ / -; no "..", no leading "." or "-")');
  const labels = list('labels');
  if (labels.some((l) => l.length > 50 || /[\u0000-\u001f]/.test(l)))
    errors.push('input labels: each label is at most 50 characters of plain text');
  const only = list('only');
  if (only.some((id) => !ID.test(id))) errors.push('input only: list model or workflow ids separated by commas');
  const token = get('token', '');
  if (!token) errors.push('input token is empty; pass ${{ github.token }} or a GitHub App token');
  const siteDir = get('site-dir', '');
  if (siteDir && (siteDir.startsWith('/') || siteDir.split('/').includes('..') || /[\u0000-\u001f]/.test(siteDir)))
    errors.push('input site-dir must be a folder inside the workspace');
  const siteBase = get('site-base', '/');
  if (!/^\/([A-Za-z0-9._-]+\/)*$/.test(siteBase)) errors.push('input site-base must look like /repo-name/');
  const openlineageUrl = get('openlineage-url', '');
  if (openlineageUrl) {
    try {
      lineageEndpoint(openlineageUrl);
    } catch (e) {
      errors.push(`input openlineage-url: ${(e as Error).message.replace(/^the OpenLineage URL /, '')}`);
    }
  }
  const openlineageApiKey = get('openlineage-api-key', '');
  if (openlineageApiKey && !/^[\x21-\x7e]+$/.test(openlineageApiKey))
    errors.push('input openlineage-api-key must be printable ASCII without spaces (it is sent as a bearer token)');
  const retrained = get('retrained', '');
  if (/[\u0000-\u001f]/.test(retrained)) errors.push('input retrained must be a folder path');
  const inputs: ActionInputs = {
    root,
    mode: oneOf('mode', get('mode', 'auto'), ['auto', 'check', 'propose', 'comment', 'plan'] as const),
    reportFile: get('report-file', ''),
    token,
    failOn: oneOf('fail-on', get('fail-on', 'gate'), ['gate', 'never'] as const),
    comment: bool('comment', 'on'),
    prBranch,
    prTitle: safeTitle(get('pr-title', 'lineage-gate: accept passing associations')),
    labels,
    all: bool('all', 'false'),
    only,
    botLogin: get('bot-login', 'github-actions[bot]'),
    siteDir,
    siteBase,
    openlineageUrl,
    openlineageApiKey,
    retrained,
    cache: bool('cache', 'true'),
  };
  return errors.length ? { ok: false, errors } : { ok: true, inputs };
}
