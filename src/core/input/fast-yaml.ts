// A fast reader for the YAML and JSON that manifests are written in, returning exactly what the hardened reader
// (document.ts) returns: the same value and the same line for every field. It reads a subset only: block mappings
// and sequences, flow collections on one line, plain and quoted scalars on one line, literal and folded block
// scalars. Whenever the text leaves that subset, or could be an error or a refusal, it returns null and the caller
// parses the text with the hardened reader, which then refuses it with its own message and line.

import type { Path } from './document.ts';

export interface FastDocument {
  value: unknown;
  lineAt(path: Path): number | undefined;
  sourceAt(path: Path): string | undefined;
}

/** Thrown inside the reader to give up; caught at the top, never escapes. */
const GIVE_UP = Symbol('give up');

/**
 * Characters the subset leaves to the hardened reader: tabs and carriage returns (indentation and line-break rules),
 * control characters, Unicode line separators, byte-order marks; and a line starting with % (a directive, refused).
 */
const OUTSIDE_SUBSET = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]|^%/m;
/** Implicit keys longer than 1024 characters are an error in YAML; keys longer than this are left to the hardened reader. */
const MAX_KEY = 1000;
/** Deeper nesting is left to the hardened reader. */
const MAX_DEPTH = 64;

const SPACE = 0x20;
const NL = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COMMA = 0x2c;

/** Where a field stands: the line of its key (or of the item's start), and for a scalar its text before resolution. */
interface Field {
  line: number;
  source: string | undefined;
}
/** The fields of every collection: by key for a mapping, by index for a sequence. */
type FieldTable = Map<object, Map<string, Field> | Field[]>;
type Read = { value: object; rootLine: number; fields: FieldTable };

/**
 * The document, with lines and sources found on demand: the first question reads the text again, recording them
 * this time (most documents are never asked, and recording costs a table per collection).
 */
function documentOf(first: Read, again: () => Read): FastDocument {
  let recorded: Read | undefined;
  // The hardened reader's walk: a mapping takes any segment as a key, a sequence only a number; the line is the
  // field's key (or the item's start), or the nearest ancestor's when the path leaves the document.
  const walk = (path: Path): { line: number; field: Field | undefined } => {
    recorded ??= again();
    let node: unknown = recorded.value;
    let line = first.rootLine;
    let field: Field | undefined;
    for (const seg of path) {
      field = undefined;
      if (node === null || typeof node !== 'object') return { line, field };
      const table = recorded.fields.get(node);
      if (table === undefined) return { line, field };
      const at = Array.isArray(table) ? (typeof seg === 'number' ? table[seg] : undefined) : table.get(String(seg));
      if (at === undefined) return { line, field };
      line = at.line;
      field = at;
      node = (node as Record<string, unknown>)[String(seg)];
    }
    return { line, field };
  };
  return {
    value: first.value,
    lineAt: (path) => walk(path).line,
    sourceAt: (path) => walk(path).field?.source,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Scalars, resolved as the `yaml` library's core schema (YAML 1.2) resolves them, in its order.

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const INT_HEX_RE = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the core schema. */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these first characters can start anything but a string: ~ n N t T f F . + - and digits.
  const maybe =
    c === 0x7e ||
    c === 0x6e ||
    c === 0x4e ||
    c === 0x74 ||
    c === 0x54 ||
    c === 0x66 ||
    c === 0x46 ||
    c === 0x2e ||
    c === 0x2b ||
    c === DASH ||
    (c >= 0x30 && c <= 0x39);
  if (!maybe) return s;
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return c === 0x74 || c === 0x54;
  if (INT_OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (INT_HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? Number.NaN : c === DASH ? -Infinity : Infinity;
  if (FLOAT_EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

const JSON_INT_RE = /^-?(?:0|[1-9][0-9]*)$/;

/** YAML's double-quoted escapes (the `yaml` library's table). */
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
const HEX_RE = /^[0-9a-fA-F]+$/;

/** The value of the double-quoted scalar whose opening quote is at `start` and closing quote at `end`. */
function doubleQuoted(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = inner[++i];
    if (next === undefined) throw GIVE_UP;
    const simple = ESCAPES[next];
    if (simple !== undefined) out += simple;
    else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = inner.substr(i + 1, length);
      if (hex.length !== length || !HEX_RE.test(hex)) throw GIVE_UP;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw GIVE_UP;
      out += String.fromCodePoint(code);
      i += length;
    } else throw GIVE_UP;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// YAML

/** The fast reading of a YAML manifest, or null when the hardened reader must read it. */
export function readFastYaml(text: string): FastDocument | null {
  if (OUTSIDE_SUBSET.test(text)) return null;
  try {
    return documentOf(new YamlReader(text, false).document(), () => new YamlReader(text, true).document());
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
}

/**
 * A line cursor over the text. `start`..`end` is the current line (without its line break), `indent` its leading
 * spaces, `line` its 1-based number; `start` is -1 at the end of the text.
 */
class YamlReader {
  readonly text: string;
  /** Lines of fields, when recorded. */
  readonly fields: FieldTable = new Map();
  /** Whether to record fields; else only values are read. */
  readonly record: boolean;
  /** The text of the last scalar value read, before resolution; undefined after a collection. */
  source: string | undefined;
  start = 0;
  end = 0;
  indent = 0;
  line = 1;

  constructor(text: string, record: boolean) {
    this.text = text;
    this.record = record;
    this.setLine(0, 1);
  }

  setLine(start: number, line: number): void {
    const text = this.text;
    if (start >= text.length) {
      this.start = -1;
      return;
    }
    this.start = start;
    this.line = line;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    this.end = end;
    let i = start;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    this.indent = i - start;
  }

  nextLine(): void {
    if (this.start < 0) return;
    this.setLine(this.end + 1, this.line + 1);
  }

  /** Moves to the next line with content (skipping blank and comment-only lines); false at the end of the text. */
  toContent(): boolean {
    for (;;) {
      if (this.start < 0) return false;
      const first = this.start + this.indent;
      if (first < this.end && this.text.charCodeAt(first) !== HASH) {
        // Document markers (---, ...) at the start of a line: several documents, or a marker in an odd place.
        if (this.indent === 0 && isMarker(this.text, first)) throw GIVE_UP;
        return true;
      }
      this.nextLine();
    }
  }

  document(): Read {
    const text = this.text;
    // One leading "---" on its own line is allowed; anything else about document markers is left to the hardened reader.
    for (;;) {
      if (this.start < 0) throw GIVE_UP;
      const first = this.start + this.indent;
      if (first < this.end && text.charCodeAt(first) !== HASH) break;
      this.nextLine();
    }
    if (this.indent === 0 && text.startsWith('---', this.start) && this.end === this.start + 3) this.nextLine();
    if (!this.toContent()) throw GIVE_UP;
    const first = this.start + this.indent;
    if (text.charCodeAt(first) === DASH && isBlank(text.charCodeAt(first + 1), first + 1, this.end)) throw GIVE_UP;
    const rootLine = this.line;
    const value = this.map(this.indent, first, 0);
    if (this.toContent()) throw GIVE_UP;
    return { value, rootLine, fields: this.fields };
  }

  /** A block mapping whose keys stand at column `indent`; its first key starts at `at` on the current line. */
  map(indent: number, at: number, depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.text;
    const out: Record<string, unknown> = {};
    const keyLines = this.record ? new Map<string, Field>() : null;
    if (keyLines) this.fields.set(out, keyLines);
    let pos = at;
    for (;;) {
      const keyLine = this.line;
      const end = this.end;
      // The key: quoted, or plain up to ": " or a final ":".
      let key: string;
      let colon: number;
      const c = text.charCodeAt(pos);
      if (c === DQUOTE || c === SQUOTE) {
        const close = c === DQUOTE ? closeDouble(text, pos, end) : closeSingle(text, pos, end);
        key = c === DQUOTE ? doubleQuoted(text, pos, close) : singleQuoted(text, pos, close);
        colon = close + 1;
        if (text.charCodeAt(colon) !== COLON) throw GIVE_UP;
      } else {
        if (!plainStart(text, pos, end, false)) throw GIVE_UP;
        colon = -1;
        for (let i = pos; i < end; i++) {
          const ch = text.charCodeAt(i);
          if (ch === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
            colon = i;
            break;
          }
          if (ch === HASH && text.charCodeAt(i - 1) === SPACE) throw GIVE_UP;
        }
        if (colon < 0 || text.charCodeAt(colon - 1) === SPACE) throw GIVE_UP;
        key = text.slice(pos, colon);
      }
      if (colon - pos > MAX_KEY || key === '__proto__' || Object.hasOwn(out, key)) throw GIVE_UP;
      const after = colon + 1;
      if (after < end && text.charCodeAt(after) !== SPACE) throw GIVE_UP;
      out[key] = this.value(indent, skipSpaces(text, after, end), depth, true);
      keyLines?.set(key, { line: keyLine, source: this.source });
      // value() leaves the cursor on the next line with content.
      if (this.start < 0 || this.indent < indent) return out;
      if (this.indent > indent) throw GIVE_UP;
      pos = this.start + indent;
      if (text.charCodeAt(pos) === DASH && isBlank(text.charCodeAt(pos + 1), pos + 1, this.end)) throw GIVE_UP;
    }
  }

  /** A block sequence whose dashes stand at column `indent`, starting on the current line. */
  seq(indent: number, depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.text;
    const out: unknown[] = [];
    const itemLines: Field[] | null = this.record ? [] : null;
    if (itemLines) this.fields.set(out, itemLines);
    for (;;) {
      const dash = this.start + indent;
      // "-" then a space and a value on the same line; "-" alone (the value below) is left to the hardened reader.
      if (text.charCodeAt(dash) !== DASH || text.charCodeAt(dash + 1) !== SPACE) throw GIVE_UP;
      const at = skipSpaces(text, dash + 2, this.end);
      if (at === this.end || text.charCodeAt(at) === HASH) throw GIVE_UP;
      const itemLine = this.line;
      out.push(this.value(indent, at, depth, false));
      itemLines?.push({ line: itemLine, source: this.source });
      if (this.start < 0 || this.indent < indent) return out;
      if (this.indent > indent) throw GIVE_UP;
      const next = this.start + indent;
      // A line at this column that is not an item ends the sequence: it continues the mapping this sequence is a
      // value of, written without indentation ("key:\n- a"); the mapping checks that it is one of its keys.
      if (text.charCodeAt(next) !== DASH || !isBlank(text.charCodeAt(next + 1), next + 1, this.end)) return out;
    }
  }

  /**
   * The value that starts at `at` on the current line, after "key: " (`inMap`) or "- ", in a collection at column
   * `indent`. Leaves the cursor on the next line with content.
   */
  value(indent: number, at: number, depth: number, inMap: boolean): unknown {
    const text = this.text;
    const end = this.end;
    if (at === end || text.charCodeAt(at) === HASH) {
      // Nothing on this line (a comment at most, after a space): the value is the block below, or null.
      if (at < end && text.charCodeAt(at - 1) !== SPACE) throw GIVE_UP;
      if (!inMap) throw GIVE_UP;
      this.nextLine();
      // An empty value is a null scalar whose text is empty.
      this.source = '';
      if (!this.toContent()) return null;
      const first = this.start + this.indent;
      const isItem = text.charCodeAt(first) === DASH && isBlank(text.charCodeAt(first + 1), first + 1, this.end);
      let block: unknown = null;
      if (this.indent > indent) block = isItem ? this.seq(this.indent, depth + 1) : this.map(this.indent, first, depth + 1);
      else if (this.indent === indent && isItem) block = this.seq(indent, depth + 1);
      else return null;
      this.source = undefined;
      return block;
    }
    const c = text.charCodeAt(at);
    let value: unknown;
    let stop: number;
    if (c === DQUOTE || c === SQUOTE) {
      const close = c === DQUOTE ? closeDouble(text, at, end) : closeSingle(text, at, end);
      // A quoted key inside a sequence item ("- "a": 1") opens a mapping.
      if (!inMap && text.charCodeAt(close + 1) === COLON) return this.compactMap(at, depth);
      const quoted = c === DQUOTE ? doubleQuoted(text, at, close) : singleQuoted(text, at, close);
      value = quoted;
      this.source = quoted;
      stop = close + 1;
    } else if (c === LBRACKET || c === LBRACE) {
      const flow = new FlowReader(this, at, end, depth + 1);
      value = flow.value();
      this.source = undefined;
      stop = flow.pos;
    } else if ((c === 0x7c || c === 0x3e) && inMap) {
      const body = this.blockScalar(indent, at, c === 0x3e);
      this.source = body;
      return body;
    } else {
      if (!plainStart(text, at, end, false)) throw GIVE_UP;
      let last = at;
      stop = end;
      for (let i = at; i < end; i++) {
        const ch = text.charCodeAt(i);
        if (ch === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) {
          // "- key: value" opens a mapping; after "key: " this would be a second key on the line, an error.
          if (inMap) throw GIVE_UP;
          return this.compactMap(at, depth);
        }
        if (ch === SPACE) {
          if (text.charCodeAt(i + 1) === HASH) {
            stop = i;
            break;
          }
        } else last = i;
      }
      const plain = text.slice(at, last + 1);
      value = resolvePlain(plain);
      this.source = plain;
      stop = last + 1;
    }
    // After the value: spaces, then the end of the line or a comment after a space.
    const rest = skipSpaces(text, stop, end);
    if (rest < end && (text.charCodeAt(rest) !== HASH || rest === stop)) throw GIVE_UP;
    this.nextLine();
    // A more indented line after a one-line value would continue it (a multi-line scalar) or be an error.
    if (this.toContent() && this.indent > indent) throw GIVE_UP;
    return value;
  }

  /** "- key: value": a mapping whose keys stand at the column of its first key. */
  compactMap(at: number, depth: number): Record<string, unknown> {
    const map = this.map(at - this.start, at, depth + 1);
    this.source = undefined;
    return map;
  }

  /** A literal (|) or folded (>) block scalar with the header at `at`, the value of a key in a mapping at `indent`. */
  blockScalar(indent: number, at: number, folded: boolean): string {
    const text = this.text;
    let p = at + 1;
    const chomp = text.charCodeAt(p);
    // Keep chomping (+) and explicit indentation are left to the hardened reader.
    const strip = chomp === DASH;
    if (strip) p++;
    const rest = skipSpaces(text, p, this.end);
    if (rest < this.end && (text.charCodeAt(rest) !== HASH || rest === p)) throw GIVE_UP;
    const content: string[] = [];
    let contentIndent = -1;
    let moreLines = false;
    for (;;) {
      this.nextLine();
      if (this.start < 0) break;
      if (this.start === this.end) {
        content.push('');
        continue;
      }
      // A line of spaces only, or one starting with a tab, is left to the hardened reader.
      if (this.start + this.indent === this.end) throw GIVE_UP;
      if (contentIndent < 0) {
        if (this.indent <= indent) throw GIVE_UP; // an empty block scalar
        contentIndent = this.indent;
      }
      if (this.indent < contentIndent) {
        if (this.indent > indent) throw GIVE_UP;
        moreLines = true;
        break;
      }
      if (folded && this.indent > contentIndent) throw GIVE_UP;
      content.push(text.slice(this.start + contentIndent, this.end));
      // The last line of the text must end with a line break: chomping at the very end is left to the hardened reader.
      if (this.end === text.length) throw GIVE_UP;
    }
    if (contentIndent < 0) throw GIVE_UP;
    let last = content.length - 1;
    while (content[last] === '') last--;
    if (!moreLines && last !== content.length - 1) {
      // Empty lines before the end of the text: fine, they are dropped by clip and strip chomping.
    }
    let body: string;
    if (folded) {
      if (content[0] === '') throw GIVE_UP;
      body = content[0]!;
      let empty = 0;
      for (let i = 1; i <= last; i++) {
        const l = content[i]!;
        if (l === '') empty++;
        else {
          body += empty === 0 ? ' ' : '\n'.repeat(empty);
          body += l;
          empty = 0;
        }
      }
    } else {
      body = content.slice(0, last + 1).join('\n');
    }
    if (!strip) body += '\n';
    // The cursor is on the line after the scalar; move to content for the caller.
    if (this.toContent() && this.indent > indent) throw GIVE_UP;
    return body;
  }
}

function isMarker(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  if (c !== DASH && c !== 0x2e) return false;
  if (text.charCodeAt(at + 1) !== c || text.charCodeAt(at + 2) !== c) return false;
  const after = text.charCodeAt(at + 3);
  return Number.isNaN(after) || after === SPACE || after === NL;
}

/** True when the character at `i` (code `c`) is a space or the end of the line. */
function isBlank(c: number, i: number, end: number): boolean {
  return i >= end || c === SPACE;
}

function skipSpaces(text: string, i: number, end: number): number {
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/**
 * Whether a plain scalar may start at `i`: not with an indicator (- only when followed by a character that
 * continues the scalar), and in flow context not with a flow indicator either.
 */
function plainStart(text: string, i: number, end: number, flow: boolean): boolean {
  if (i >= end) return false;
  const c = text.charCodeAt(i);
  switch (c) {
    case SPACE:
    case 0x3f: // ?
    case COLON:
    case COMMA:
    case LBRACKET:
    case RBRACKET:
    case LBRACE:
    case RBRACE:
    case HASH:
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case SQUOTE:
    case DQUOTE:
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
      return false;
    case DASH: {
      if (i + 1 >= end) return false;
      const n = text.charCodeAt(i + 1);
      if (n === SPACE) return false;
      if (flow && (n === COMMA || n === LBRACKET || n === RBRACKET || n === LBRACE || n === RBRACE)) return false;
      return true;
    }
    default:
      return true;
  }
}

/** Index of the closing quote of the double-quoted scalar at `start`, on this line; gives up otherwise. */
function closeDouble(text: string, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === DQUOTE) return i;
  }
  throw GIVE_UP;
}

function closeSingle(text: string, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    if (text.charCodeAt(i) === SQUOTE) {
      if (text.charCodeAt(i + 1) === SQUOTE) i++;
      else return i;
    }
  }
  throw GIVE_UP;
}

function singleQuoted(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end);
  return inner.indexOf("'") < 0 ? inner : inner.replace(/''/g, "'");
}

/** Character classes in flow context, for ASCII: flow indicators, ":", space, "#"; 0 for the rest. */
const F_INDICATOR = 1;
const F_COLON = 2;
const F_SPACE = 3;
const F_HASH = 4;
const FLOW_CLASS = new Uint8Array(128);
for (const c of [COMMA, LBRACKET, RBRACKET, LBRACE, RBRACE]) FLOW_CLASS[c] = F_INDICATOR;
FLOW_CLASS[COLON] = F_COLON;
FLOW_CLASS[SPACE] = F_SPACE;
FLOW_CLASS[HASH] = F_HASH;

/** A flow collection on one line, from `pos` (at its opening bracket) to before `end`. */
class FlowReader {
  readonly owner: YamlReader;
  readonly text: string;
  readonly end: number;
  readonly line: number;
  pos: number;
  depth: number;

  constructor(owner: YamlReader, pos: number, end: number, depth: number) {
    this.owner = owner;
    this.text = owner.text;
    this.pos = pos;
    this.end = end;
    this.depth = depth;
    this.line = owner.line;
  }

  skip(): void {
    this.pos = skipSpaces(this.text, this.pos, this.end);
  }

  value(): unknown {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === LBRACKET || c === LBRACE) {
      const v = c === LBRACKET ? this.seq() : this.map();
      this.owner.source = undefined;
      return v;
    }
    if (c === DQUOTE || c === SQUOTE) {
      const close = c === DQUOTE ? closeDouble(text, this.pos, this.end) : closeSingle(text, this.pos, this.end);
      const v = c === DQUOTE ? doubleQuoted(text, this.pos, close) : singleQuoted(text, this.pos, close);
      this.pos = close + 1;
      this.owner.source = v;
      return v;
    }
    const plain = this.plain();
    this.owner.source = plain;
    return resolvePlain(plain);
  }

  /** A plain scalar in flow context; gives up on ":" and on a comment, which would continue the flow on the next line. */
  plain(): string {
    const text = this.text;
    const start = this.pos;
    if (!plainStart(text, start, this.end, true)) throw GIVE_UP;
    let last = start;
    let i = start;
    for (; i < this.end; i++) {
      const c = text.charCodeAt(i);
      const k = c < 128 ? FLOW_CLASS[c]! : 0;
      if (k === 0) last = i;
      else if (k === F_INDICATOR) break;
      else if (k === F_COLON) throw GIVE_UP;
      else if (k === F_SPACE) {
        if (text.charCodeAt(i + 1) === HASH) throw GIVE_UP;
      } else last = i; // # not after a space belongs to the scalar
    }
    this.pos = i;
    return text.slice(start, last + 1);
  }

  seq(): unknown[] {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.text;
    const out: unknown[] = [];
    const itemLines: Field[] | null = this.owner.record ? [] : null;
    if (itemLines) this.owner.fields.set(out, itemLines);
    this.pos++;
    this.skip();
    if (text.charCodeAt(this.pos) === RBRACKET) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      if (this.pos >= this.end) throw GIVE_UP;
      out.push(this.value());
      itemLines?.push({ line: this.line, source: this.owner.source });
      this.skip();
      const c = text.charCodeAt(this.pos);
      this.pos++;
      if (c === RBRACKET) break;
      if (c !== COMMA || this.pos > this.end) throw GIVE_UP;
      this.skip();
      // A trailing comma, or an empty entry, is left to the hardened reader.
      const n = text.charCodeAt(this.pos);
      if (n === COMMA || n === RBRACKET) throw GIVE_UP;
    }
    this.depth--;
    return out;
  }

  map(): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.text;
    const out: Record<string, unknown> = {};
    const keyLines = this.owner.record ? new Map<string, Field>() : null;
    if (keyLines) this.owner.fields.set(out, keyLines);
    this.pos++;
    this.skip();
    if (text.charCodeAt(this.pos) === RBRACE) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      if (this.pos >= this.end) throw GIVE_UP;
      const start = this.pos;
      const c = text.charCodeAt(start);
      let key: string;
      if (c === DQUOTE || c === SQUOTE) {
        const close = c === DQUOTE ? closeDouble(text, start, this.end) : closeSingle(text, start, this.end);
        key = c === DQUOTE ? doubleQuoted(text, start, close) : singleQuoted(text, start, close);
        this.pos = close + 1;
        if (text.charCodeAt(this.pos) !== COLON) throw GIVE_UP;
      } else {
        // Up to ": "; a key without a value, or ":" not followed by a space, is left to the hardened reader.
        if (!plainStart(text, start, this.end, true)) throw GIVE_UP;
        let i = start;
        let last = start;
        for (; i < this.end; i++) {
          const ch = text.charCodeAt(i);
          const k = ch < 128 ? FLOW_CLASS[ch]! : 0;
          if (k === 0) last = i;
          else if (k === F_COLON) break;
          else if (k !== F_SPACE) throw GIVE_UP;
        }
        if (i >= this.end || last !== i - 1) throw GIVE_UP;
        key = text.slice(start, i);
        this.pos = i;
      }
      if (text.charCodeAt(this.pos + 1) !== SPACE) throw GIVE_UP;
      if (this.pos - start > MAX_KEY || key === '__proto__' || Object.hasOwn(out, key)) throw GIVE_UP;
      this.pos += 2;
      this.skip();
      const v = text.charCodeAt(this.pos);
      if (this.pos >= this.end || v === COMMA || v === RBRACE) throw GIVE_UP;
      out[key] = this.value();
      keyLines?.set(key, { line: this.line, source: this.owner.source });
      this.skip();
      const e = text.charCodeAt(this.pos);
      this.pos++;
      if (e === RBRACE) break;
      if (e !== COMMA || this.pos > this.end) throw GIVE_UP;
      this.skip();
      const n = text.charCodeAt(this.pos);
      if (n === COMMA || n === RBRACE) throw GIVE_UP;
    }
    this.depth--;
    return out;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// JSON, as the hardened reader reads it (YAML flow syntax with the JSON schema): strict JSON only.

/** The fast reading of a JSON file, or null when the hardened reader must read it. */
export function readFastJson(text: string): FastDocument | null {
  if (OUTSIDE_SUBSET.test(text)) return null;
  try {
    return documentOf(new JsonReader(text, false).document(), () => new JsonReader(text, true).document());
  } catch (e) {
    if (e === GIVE_UP) return null;
    throw e;
  }
}

class JsonReader {
  readonly text: string;
  readonly fields: FieldTable = new Map();
  readonly record: boolean;
  source: string | undefined;
  pos = 0;
  line = 1;
  depth = 0;

  constructor(text: string, record: boolean) {
    this.text = text;
    this.record = record;
  }

  ws(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE) this.pos++;
      else if (c === NL) {
        this.pos++;
        this.line++;
      } else return;
    }
  }

  document(): Read {
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    if (c !== LBRACE && c !== LBRACKET) throw GIVE_UP;
    const rootLine = this.line;
    const value = this.value() as object;
    this.ws();
    if (this.pos !== this.text.length) throw GIVE_UP;
    return { value, rootLine, fields: this.fields };
  }

  value(): unknown {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === LBRACE || c === LBRACKET) {
      const v = c === LBRACE ? this.object() : this.array();
      this.source = undefined;
      return v;
    }
    if (c === DQUOTE) {
      const v = this.string();
      this.source = v;
      return v;
    }
    const start = this.pos;
    let v: unknown;
    if (c === DASH || (c >= 0x30 && c <= 0x39)) v = this.number();
    else {
      const word = WORDS.find(([w]) => text.startsWith(w, start));
      if (!word) throw GIVE_UP;
      this.pos += word[0].length;
      v = word[1];
    }
    this.source = text.slice(start, this.pos);
    return v;
  }

  string(): string {
    const text = this.text;
    const start = this.pos;
    let escaped = false;
    for (let i = start + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === DQUOTE) {
        this.pos = i + 1;
        if (!escaped) return text.slice(start + 1, i);
        // JSON's escapes mean the same in YAML's double quotes; JSON.parse decodes them as the YAML reader does.
        return JSON.parse(text.slice(start, i + 1)) as string;
      }
      if (c === BACKSLASH) {
        escaped = true;
        const n = text[++i];
        if (n === 'u') {
          if (!HEX_RE.test(text.substr(i + 1, 4)) || text.substr(i + 1, 4).length !== 4) throw GIVE_UP;
          i += 4;
        } else if (n === undefined || '"\\/bfnrt'.indexOf(n) < 0) throw GIVE_UP;
      } else if (c < 0x20) throw GIVE_UP;
    }
    throw GIVE_UP;
  }

  number(): number {
    const m = JSON_NUMBER.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) throw GIVE_UP;
    const s = m[0];
    this.pos += s.length;
    // What follows must end the number (in YAML it would otherwise continue the plain scalar).
    const n = this.text.charCodeAt(this.pos);
    if (!(n === COMMA || n === RBRACKET || n === RBRACE || n === SPACE || n === NL || Number.isNaN(n))) throw GIVE_UP;
    return JSON_INT_RE.test(s) ? parseInt(s, 10) : parseFloat(s);
  }

  array(): unknown[] {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const out: unknown[] = [];
    const itemLines: Field[] | null = this.record ? [] : null;
    if (itemLines) this.fields.set(out, itemLines);
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === RBRACKET) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      const itemLine = this.line;
      out.push(this.value());
      itemLines?.push({ line: itemLine, source: this.source });
      this.ws();
      const c = this.text.charCodeAt(this.pos++);
      if (c === RBRACKET) break;
      if (c !== COMMA) throw GIVE_UP;
      this.ws();
    }
    this.depth--;
    return out;
  }

  object(): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.text;
    const out: Record<string, unknown> = {};
    const keyLines = this.record ? new Map<string, Field>() : null;
    if (keyLines) this.fields.set(out, keyLines);
    this.pos++;
    this.ws();
    if (text.charCodeAt(this.pos) === RBRACE) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      if (text.charCodeAt(this.pos) !== DQUOTE) throw GIVE_UP;
      const start = this.pos;
      const keyLine = this.line;
      const key = this.string();
      if (this.pos - start > MAX_KEY || key === '__proto__' || Object.hasOwn(out, key)) throw GIVE_UP;
      // The colon on the key's line: a key and its colon on different lines are left to the hardened reader.
      while (text.charCodeAt(this.pos) === SPACE) this.pos++;
      if (text.charCodeAt(this.pos) !== COLON) throw GIVE_UP;
      this.pos++;
      this.ws();
      out[key] = this.value();
      keyLines?.set(key, { line: keyLine, source: this.source });
      this.ws();
      const c = text.charCodeAt(this.pos++);
      if (c === RBRACE) break;
      if (c !== COMMA) throw GIVE_UP;
      this.ws();
    }
    this.depth--;
    return out;
  }
}

const WORDS: readonly [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/;
