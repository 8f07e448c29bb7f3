// The lock's own YAML: a small block subset written deterministically and read back by a fast line parser.
// The general YAML library needs seconds for a lock of 30,000 models; this needs milliseconds. Anything the
// writer would not have produced (a hand edit, an anchor, a tag) makes readLockYaml return null, and the caller
// falls back to the full, hardened parser with its line-numbered errors.

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

/** Keys YAML could read as something other than the same string are quoted. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function key(k: string): string {
  return PLAIN_KEY.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k);
}

function scalar(v: string | number | boolean | null): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('the lock holds only finite numbers');
    return String(v);
  }
  return String(v);
}

/** Block YAML with two-space indentation; map keys sorted by code unit as they are written (no copy is made). */
export function writeLockYaml(value: { [k: string]: Value }): string {
  const out: string[] = [];
  const map = (m: { [k: string]: Value }, indent: string) => {
    for (const k of Object.keys(m).sort(byCodeUnit)) {
      const v = m[k]!;
      if (v === undefined) continue;
      if (Array.isArray(v)) {
        if (v.length === 0) out.push(`${indent}${key(k)}: []`);
        else {
          out.push(`${indent}${key(k)}:`);
          for (const item of v) {
            if (item !== null && typeof item === 'object') throw new Error('lock lists hold scalars only');
            out.push(`${indent}  - ${scalar(item)}`);
          }
        }
      } else if (v !== null && typeof v === 'object') {
        if (Object.keys(v).length === 0) out.push(`${indent}${key(k)}: {}`);
        else {
          out.push(`${indent}${key(k)}:`);
          map(v, `${indent}  `);
        }
      } else {
        out.push(`${indent}${key(k)}: ${scalar(v)}`);
      }
    }
  };
  map(value, '');
  return `${out.join('\n')}\n`;
}

/** Reads what writeLockYaml wrote; null for anything else. */
export function readLockYaml(text: string): { [k: string]: Value } | null {
  const root: { [k: string]: Value } = {};
  // Each frame: the container at an indentation, and for a pending "key:" line, where its child goes.
  const stack: { indent: number; node: { [k: string]: Value } | Value[] }[] = [{ indent: 0, node: root }];
  let pending: { parent: { [k: string]: Value }; key: string; indent: number } | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || line.startsWith('#')) continue;
    let indent = 0;
    while (line.charCodeAt(indent) === 32) indent++;
    if (indent % 2 !== 0 || line.charCodeAt(indent) === 9) return null;
    const body = line.slice(indent);

    if (pending) {
      // The first line after "key:" opens its block: a list when it starts with "- ", else a map.
      if (indent !== pending.indent + 2) return null;
      const child: { [k: string]: Value } | Value[] = body.startsWith('- ') ? [] : {};
      pending.parent[pending.key] = child;
      stack.push({ indent, node: child });
      pending = null;
    }
    while (stack.length > 1 && indent < stack[stack.length - 1]!.indent) stack.pop();
    const frame = stack[stack.length - 1]!;
    if (indent !== frame.indent) return null;

    if (body.startsWith('- ')) {
      if (!Array.isArray(frame.node)) return null;
      const v = parseScalar(body.slice(2));
      if (v === undefined) return null;
      frame.node.push(v);
      continue;
    }
    if (Array.isArray(frame.node)) return null;
    const parsed = parseKey(body);
    if (!parsed) return null;
    const [k, rest] = parsed;
    if (k === '__proto__' || Object.hasOwn(frame.node, k)) return null;
    if (rest === '') {
      pending = { parent: frame.node, key: k, indent };
      continue;
    }
    const v = rest === '{}' ? {} : rest === '[]' ? [] : parseScalar(rest);
    if (v === undefined) return null;
    frame.node[k] = v;
  }
  return pending ? null : root;
}

function parseKey(body: string): [string, string] | null {
  let k: string;
  let after: number;
  if (body.startsWith('"')) {
    const end = endOfJsonString(body, 0);
    if (end < 0) return null;
    try {
      k = JSON.parse(body.slice(0, end + 1)) as string;
    } catch {
      return null;
    }
    after = end + 1;
  } else {
    const colon = body.indexOf(':');
    if (colon < 0) return null;
    k = body.slice(0, colon);
    if (!PLAIN_KEY.test(k) || RESERVED.test(k)) return null;
    after = colon;
  }
  if (body[after] !== ':') return null;
  if (after + 1 === body.length) return [k, ''];
  if (body[after + 1] !== ' ') return null;
  return [k, body.slice(after + 2)];
}

function parseScalar(s: string): string | number | boolean | null | undefined {
  if (s.startsWith('"')) {
    if (endOfJsonString(s, 0) !== s.length - 1) return undefined;
    try {
      return JSON.parse(s) as string;
    } catch {
      return undefined;
    }
  }
  if (NUMBER.test(s)) return Number(s);
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  return undefined;
}

/** Index of the closing quote of the JSON string starting at `start`, or -1. */
function endOfJsonString(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') return i;
  }
  return -1;
}
