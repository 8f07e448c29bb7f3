// What the Action shows on GitHub: comment and PR bodies with our hidden markers, kept under GitHub's size
// limit; safe PR titles and branch names; action inputs validated into one typed object.
import { renderMarkdown } from './render-markdown.ts';
import type { Report } from './types.ts';

/** Hidden markers: how we find our own comment and PR again (together with the author check). */
export const COMMENT_MARKER = '<!-- lineage-gate:report -->';
export const PROPOSAL_MARKER = '<!-- lineage-gate:proposal -->';
/** Commit trailers on the lock commit: who made it, and which commit was evaluated. */
export const TRAILER_FINGERPRINT = 'Lineage-Gate-Fingerprint';
export const TRAILER_EVALUATED = 'Lineage-Gate-Evaluated';

/** GitHub refuses issue comment and PR bodies longer than 65,536 characters; keep room for the note. */
export const GITHUB_BODY_LIMIT = 65_536;
const MARGIN = 1_024;

/** The report under the limit: the full one if it fits, else without details, else cut at a line with a note. */
export function fitBody(marker: string, report: Report, preface = '', limit = GITHUB_BODY_LIMIT): string {
  const head = `${marker}\n${preface}`;
  const full = head + renderMarkdown(report);
  if (full.length <= limit) return full;
  const compact = head + stripDetails(renderMarkdown(report));
  const note = (dropped: number) =>
    `\n\n> [!NOTE]\n> This report was shortened to stay under GitHub's ${limit.toLocaleString('en-US')}-character limit (${dropped.toLocaleString('en-US')} characters left out). The job summary and the JSON report hold all of it.\n`;
  if (compact.length + 200 <= limit) return compact + note(full.length - compact.length);
  const budget = limit - MARGIN;
  const cut = compact.lastIndexOf('\n', budget);
  const body = compact.slice(0, cut > 0 ? cut : budget);
  return body + note(full.length - body.length);
}

/** Drops collapsed <details> blocks of passing entities first: they are the least needed. */
function stripDetails(md: string): string {
  return md.replace(/<details><summary>[\s\S]*?<\/details>\n\n?/g, '');
}

/** A PR title: one line of plain text, no control or bidi characters, at most 256 characters. */
export function safeTitle(title: string): string {
  const t = title.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return (t || 'lineage-gate: accept passing associations').slice(0, 256);
}

/**
 * A branch name we are willing to pass to git and the API: the rules of `git check-ref-format --branch`,
 * narrowed to a conservative character set.
 */
export function isSafeBranch(name: string): boolean {
  return (
    /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(name) &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.endsWith('.lock') &&
    !name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))
  );
}

export interface ActionInputs {
  root: string;
  mode: 'auto' | 'check' | 'propose' | 'comment';
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
  const list = (name: string): string[] => get(name, '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean);

  const root = get('root', 'lineage');
  if (root.startsWith('/') || root.split('/').includes('..') || /[\u0000-\u001f]/.test(root)) errors.push('input root must be a path inside the repository');
  const prBranch = get('pr-branch', 'lineage-gate/accept');
  if (!isSafeBranch(prBranch)) errors.push('input pr-branch is not a branch name lineage-gate will use (letters, digits, . _ / -; no "..", no leading "." or "-")');
  const labels = list('labels');
  if (labels.some((l) => l.length > 50 || /[\u0000-\u001f]/.test(l))) errors.push('input labels: each label is at most 50 characters of plain text');
  const only = list('only');
  if (only.some((id) => !ID.test(id))) errors.push('input only: list model or workflow ids separated by commas');
  const token = get('token', '');
  if (!token) errors.push('input token is empty; pass ${{ github.token }} or a GitHub App token');
  const siteDir = get('site-dir', '');
  if (siteDir && (siteDir.startsWith('/') || siteDir.split('/').includes('..') || /[\u0000-\u001f]/.test(siteDir))) errors.push('input site-dir must be a folder inside the workspace');
  const siteBase = get('site-base', '/');
  if (!/^\/([A-Za-z0-9._-]+\/)*$/.test(siteBase)) errors.push('input site-base must look like /repo-name/');
  const inputs: ActionInputs = {
    root,
    mode: oneOf('mode', get('mode', 'auto'), ['auto', 'check', 'propose', 'comment'] as const),
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
  };
  return errors.length ? { ok: false, errors } : { ok: true, inputs };
}
