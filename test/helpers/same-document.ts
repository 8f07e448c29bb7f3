// Compares the fast reader with the hardened one on one text: the same value (keys in the same order, -0 and NaN
// told apart), the same line and source text for every field and for paths that leave the document, the same problems.
import { type ParseResult, type Path, parseDocument, parseHardened } from '../../src/core/input/document.ts';
import { readFastJson, readFastYaml } from '../../src/core/input/fast-yaml.ts';

/** Why two values differ, or null when they are the same. */
export function valueDifference(a: unknown, b: unknown, at = '$'): string | null {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
    return Object.is(a, b) ? null : `${at}: ${String(a)} (${typeof a}) vs ${String(b)} (${typeof b})`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: a list and a mapping`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at}: different prototypes`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join('\0') !== kb.join('\0')) return `${at}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
  for (const k of ka) {
    const d = valueDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return null;
}

/** Every path into the value, and for each a few that leave it (a missing key, an index into a mapping, ...). */
export function probePaths(value: unknown): Path[] {
  const out: Path[] = [[]];
  const walk = (v: unknown, path: Path) => {
    out.push([...path, 'no such key'], [...path, 0], [...path, 1], [...path, -1], [...path, '0']);
    if (v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      const seg = Array.isArray(v) ? Number(k) : k;
      out.push([...path, seg]);
      walk(child, [...path, seg]);
    }
  };
  walk(value, []);
  return out;
}

export interface Comparison {
  /** Whether the fast reader read it (else it left it to the hardened reader). */
  fast: boolean;
  /** What differs between parseDocument and the hardened reader; null when nothing does. */
  difference: string | null;
}

function resultDifference(a: ParseResult, b: ParseResult): string | null {
  if (a.ok !== b.ok)
    return `ok ${a.ok} vs ${b.ok}${a.ok ? '' : `: ${JSON.stringify(a.problems)}`}${b.ok ? '' : `: ${JSON.stringify(b.problems)}`}`;
  if (!a.ok || !b.ok) return JSON.stringify(a) === JSON.stringify(b) ? null : `problems ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  const d = valueDifference(a.doc.value, b.doc.value);
  if (d) return `value ${d}`;
  for (const p of probePaths(a.doc.value)) {
    const la = a.doc.lineAt(p);
    const lb = b.doc.lineAt(p);
    if (la !== lb) return `line of ${JSON.stringify(p)}: ${la} vs ${lb}`;
    const sa = a.doc.sourceAt?.(p);
    const sb = b.doc.sourceAt?.(p);
    if (sa !== sb) return `source of ${JSON.stringify(p)}: ${JSON.stringify(sa)} vs ${JSON.stringify(sb)}`;
  }
  return null;
}

export function compareReaders(text: string, file: string, format: 'yaml' | 'json'): Comparison {
  const fast = (format === 'json' ? readFastJson(text) : readFastYaml(text)) !== null;
  // When the fast reader declines, parseDocument is the hardened reader itself: nothing to compare.
  if (!fast) return { fast, difference: null };
  return { fast, difference: resultDifference(parseDocument(text, file, format), parseHardened(text, file, format)) };
}
