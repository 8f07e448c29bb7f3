// What lineage-gate shows on GitHub: comment and PR bodies with our hidden markers, kept under GitHub's size
// limit; safe PR titles and branch names.

import type { Report } from '../types.ts';
import { renderMarkdown } from './report-markdown.ts';

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
  const t = title
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
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
