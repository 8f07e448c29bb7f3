// The hashes DVC writes, computed as DVC computes them: a directory's `.dir` hash from its file list, and a file's
// md5 (plain for `hash: md5` entries, DVC 3; the legacy dos2unix md5 of DVC 2 for entries without `hash`).
import { md5Hex, md5OfText } from './md5.ts';

/**
 * DVC's directory hash: md5 of `json.dumps(sorted [{"md5": …, "relpath": …}], sort_keys=True)` plus ".dir", with
 * Python's default separators and ASCII escaping, entries sorted by relpath in code-point order.
 */
export function dirHash(entries: readonly { relpath: string; md5: string }[]): string {
  const sorted = [...entries].sort((a, b) => cmpCodePoints(a.relpath, b.relpath));
  const body = sorted.map((e) => `{"md5": ${pyJson(e.md5)}, "relpath": ${pyJson(e.relpath)}}`).join(', ');
  return `${md5OfText(`[${body}]`)}.dir`;
}

/** Python's str order: by code point, not by UTF-16 unit. */
function cmpCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const SHORT: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** json.dumps of a string with ensure_ascii: printable ASCII as is, everything else escaped per UTF-16 unit. */
function pyJson(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (SHORT[ch] !== undefined) out += SHORT[ch];
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** DVC reads files in chunks of this size; dos2unix is applied per chunk. */
const CHUNK = 2 ** 20;
const TEXT_SAMPLE = 512;

/** DVC's guess (from Perl's -T): text unless the first 512 bytes hold a NUL or more than 30 % other bytes. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) return true;
  let nontext = 0;
  for (const b of block) {
    if (b === 0) return false;
    const text = (b >= 32 && b <= 126) || b === 10 || b === 13 || b === 9 || b === 12 || b === 8;
    if (!text) nontext++;
  }
  return nontext / block.length <= 0.3;
}

/** The md5 DVC records for a file: `legacy` (no `hash:` field) converts CRLF to LF in text files first. */
export function dvcFileMd5(bytes: Uint8Array, legacy: boolean): string {
  if (!legacy || !isTextBlock(bytes.subarray(0, TEXT_SAMPLE))) return md5Hex(bytes);
  const parts: number[] = [];
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const chunk = bytes.subarray(start, Math.min(start + CHUNK, bytes.length));
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 13 && chunk[i + 1] === 10) continue;
      parts.push(chunk[i]!);
    }
  }
  return md5Hex(Uint8Array.from(parts));
}
