// Generated tricky YAML and JSON for the differential test of the fast reader: documents rendered from random
// trees in every style (plain, quoted with escapes, block scalars, flow and block collections, comments anywhere),
// drawn from small pools of keys and scalars that collide, look like numbers or carry indicators, and then often
// mutated (a character inserted or removed, a line doubled) so that near-misses of the subset are covered too.
import fc from 'fast-check';

/** Keys that collide once read (a, "a", 'a'; 1, "1"), or that YAML treats specially. */
const KEYS = [
  'a',
  '"a"',
  "'a'",
  'b',
  'id',
  'version',
  '1',
  '"1"',
  '01',
  '-1',
  'true',
  '"true"',
  'True',
  'null',
  '~',
  '""',
  '__proto__',
  '"__proto__"',
  "'__proto__'",
  'constructor',
  'toString',
  '<<',
  'a b',
  'a  b',
  'é',
  '"\\u00e9"',
  '"é"',
  '日本',
  'k:v',
  'k::',
  '-k',
  '--k',
  'k#x',
  'k #x',
  '"k"',
  '"k\\"q"',
  "'it''s'",
  '"a\\tb"',
  '"\\x61"',
  '? k',
  '&x k',
  '!t k',
  '*k',
  '[k]',
  '{k: 1}',
  'k ',
  'x'.repeat(1030),
];

/** Plain scalars that look like numbers, booleans or nulls in YAML 1.1 or 1.2, or carry indicators. */
const SCALARS = [
  '0',
  '-0',
  '+0',
  '+1',
  '007',
  '08',
  '0o17',
  '0o8',
  '0x1F',
  '0xg',
  '0b101',
  '1_000',
  '1e3',
  '1E+3',
  '1e-3',
  '-1.5e300',
  '1e400',
  '.5',
  '-.5',
  '5.',
  '1.0',
  '3.10',
  '0.80',
  '1.2.3',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  'NaN',
  'inf',
  '12345678901234567890123',
  '9007199254740993',
  '12:30',
  '2021-04-21',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'false',
  'null',
  'Null',
  'NULL',
  'nULL',
  '~',
  '',
  'é',
  '日本語',
  '😀',
  'a\u00a0b',
  'a\u2028b',
  'a\u0085b',
  'a\tb',
  'a#b',
  'a #b',
  'a: b',
  'a:b',
  'a:',
  ':a',
  '-a',
  '- a',
  '-',
  '--',
  '---',
  '...',
  '?a',
  '? a',
  '&a',
  '*a',
  '!a',
  '!!str a',
  '%a',
  '@a',
  '`a',
  '|',
  '>',
  '|-',
  '[a]',
  '{a}',
  'a,b',
  'a]',
  'a}',
  "it's",
  'say "hi"',
  'back\\slash',
  'trailing ',
  ' leading',
  'test.auc >= 0.85',
  'rmse <= baseline * 1.05',
  'https://example.com/a?b=c#d',
  '../../results/m.csv',
  'x'.repeat(200),
];

const CHARS = [
  'a',
  'b',
  'z',
  '0',
  '1',
  '.',
  '-',
  '_',
  ' ',
  ':',
  '#',
  "'",
  '"',
  '\\',
  ',',
  '[',
  ']',
  '{',
  '}',
  'é',
  '😀',
  '\u00a0',
  '!',
  '&',
  '*',
];

const ESCAPES = [
  '\\n',
  '\\t',
  '\\"',
  '\\\\',
  '\\/',
  '\\x41',
  '\\u00e9',
  '\\U0001F600',
  '\\ud83d\\ude00',
  '\\ud800',
  '\\_',
  '\\N',
  '\\L',
  '\\P',
  '\\e',
  '\\0',
  '\\a',
  '\\b',
  '\\v',
  '\\f',
  '\\r',
  '\\ ',
  '\\q',
  '\\x4',
  '\\u12',
  '\\U00110000',
  '\\',
];

type Scalar = { kind: 'scalar'; text: string; style: 'plain' | 'single' | 'double' | 'rawDouble' | 'block' | 'plainLines' };
type Node =
  | Scalar
  | { kind: 'map'; entries: [string, Node][]; flow: boolean; step: number; comment: string }
  | { kind: 'seq'; items: Node[]; flow: boolean; step: number; indentless: boolean; comment: string };

/** What manifests mostly hold. */
const WORDS = [
  'x',
  'abc',
  'ds_00001',
  'model_00001',
  'test.auc',
  '1',
  '0.85',
  '3.12_beta',
  'Assay table 3',
  'team-4',
  'bench',
  'a-b.c_d',
  '../m.csv',
  'é ü',
  '😀 ok',
];

const plainText = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.constantFrom(...SCALARS) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 10 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }).map(String) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
const doubleBody = fc.array(fc.oneof(fc.constantFrom(...ESCAPES), fc.constantFrom(...CHARS)), { maxLength: 8 }).map((p) => p.join(''));
const blockScalar = fc
  .tuple(
    fc.constantFrom('|', '>'),
    fc.constantFrom('', '', '', '-', '-', '+', '2', '1-'),
    fc.constantFrom('', '', '', ' # c', '#c'),
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
        { weight: 2, arbitrary: fc.constantFrom('', '', '  x', '#x', 'a: b', '- a', '"q"', ' ', '  ') },
        { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 8 }) },
      ),
      { minLength: 0, maxLength: 5 },
    ),
  )
  .map(([ind, chomp, comment, lines]) => `${ind}${chomp}${comment}\n${lines.join('\n')}`);

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 8, arbitrary: plainText.map((text) => ({ kind: 'scalar' as const, text, style: 'plain' as const })) },
  { weight: 3, arbitrary: plainText.map((text) => ({ kind: 'scalar' as const, text, style: 'single' as const })) },
  { weight: 3, arbitrary: plainText.map((text) => ({ kind: 'scalar' as const, text, style: 'double' as const })) },
  { weight: 1, arbitrary: doubleBody.map((text) => ({ kind: 'scalar' as const, text, style: 'rawDouble' as const })) },
  { weight: 2, arbitrary: blockScalar.map((text) => ({ kind: 'scalar' as const, text, style: 'block' as const })) },
  {
    weight: 1,
    arbitrary: fc
      .array(plainText, { minLength: 2, maxLength: 3 })
      .map((ls) => ({ kind: 'scalar' as const, text: ls.join('\n'), style: 'plainLines' as const })),
  },
);

const key = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('id', 'version', 'meta', 'nodes', 'dvc', 'test.auc', 'x-y') },
  { weight: 12, arbitrary: fc.nat(60).map((n) => `k${n}`) },
  { weight: 3, arbitrary: fc.constantFrom(...KEYS) },
);
const comment = fc.constantFrom('', '', '', '', '', ' # c', '  #c', '#c');

const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: scalar },
    {
      weight: 2,
      arbitrary: fc
        .record({
          entries: fc.array(fc.tuple(key, tie('node')), { maxLength: 5 }),
          flow: fc.boolean(),
          step: fc.constantFrom(2, 2, 1, 3, 4),
          comment,
        })
        .map((m) => ({ kind: 'map' as const, ...m })),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({
          items: fc.array(tie('node'), { maxLength: 4 }),
          flow: fc.boolean(),
          step: fc.constantFrom(2, 2, 1, 4),
          indentless: fc.boolean(),
          comment,
        })
        .map((s) => ({ kind: 'seq' as const, ...s })),
    },
  ),
}));

function renderScalar(s: Scalar, indent: number): string {
  const pad = ' '.repeat(indent + 2);
  switch (s.style) {
    case 'plain':
      return s.text;
    case 'single':
      return `'${s.text.replace(/'/g, "''")}'`;
    case 'double':
      return JSON.stringify(s.text);
    case 'rawDouble':
      return `"${s.text}"`;
    case 'block':
      return s.text.replace(/\n/g, `\n${pad}`);
    case 'plainLines':
      return s.text.replace(/\n/g, `\n${pad}`);
  }
}

function renderFlow(n: Node): string {
  if (n.kind === 'scalar') return renderScalar(n.style === 'block' || n.style === 'plainLines' ? { ...n, style: 'double' } : n, 0);
  if (n.kind === 'seq') return `[${n.items.map(renderFlow).join(', ')}]`;
  return `{${n.entries.map(([k, v]) => `${k}: ${renderFlow(v)}`).join(', ')}}`;
}

/** Lines of `n` as the value after "key:" (or "- ") in a block collection at `indent`. */
function renderBlockValue(n: Node, indent: number, afterKey: boolean): string {
  if (n.kind === 'scalar') return ` ${renderScalar(n, indent)}`;
  if (n.flow || (n.kind === 'map' ? n.entries.length === 0 : n.items.length === 0)) return ` ${renderFlow(n)}${n.comment}`;
  const child = n.kind === 'seq' && n.indentless && afterKey ? indent : indent + n.step;
  return `${n.comment}\n${renderBlock(n, child)}`;
}

function renderBlock(n: Node, indent: number): string {
  const pad = ' '.repeat(indent);
  if (n.kind === 'scalar') return `${pad}${renderScalar(n, indent)}`;
  if (n.kind === 'map') {
    if (n.flow || n.entries.length === 0) return `${pad}${renderFlow(n)}`;
    return n.entries.map(([k, v]) => `${pad}${k}:${renderBlockValue(v, indent, true)}`).join('\n');
  }
  if (n.flow || n.items.length === 0) return `${pad}${renderFlow(n)}`;
  return n.items
    .map((item) => {
      // A mapping item starts on the dash's line ("- a: 1"), its other keys below at the column of the first.
      if (item.kind === 'map' && !item.flow && item.entries.length > 0) {
        const inner = renderBlock(item, indent + 2);
        return `${pad}- ${inner.slice(indent + 2)}`;
      }
      return `${pad}-${renderBlockValue(item, indent, false)}`;
    })
    .join('\n');
}

type Mutation = { at: number; op: 'insert' | 'delete' | 'double-line' | 'comment-line'; what: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  op: fc.constantFrom('insert', 'insert', 'delete', 'double-line', 'comment-line'),
  what: fc.constantFrom(
    ' ',
    '  ',
    '\n',
    '\t',
    '\r',
    ':',
    ': ',
    '-',
    '- ',
    '#',
    ' #',
    '"',
    "'",
    '[',
    ']',
    '{',
    '}',
    ',',
    '&a ',
    '*a',
    '!!str ',
    '%YAML 1.1\n',
    '---\n',
    '...\n',
    '|',
    '>',
    '\ufeff',
    '\u2028',
    '\\',
  ),
});

function mutate(text: string, m: Mutation): string {
  const i = Math.floor(m.at * text.length);
  switch (m.op) {
    case 'insert':
      return text.slice(0, i) + m.what + text.slice(i);
    case 'delete':
      return text.slice(0, i) + text.slice(i + m.what.length);
    case 'double-line': {
      const lines = text.split('\n');
      const l = Math.floor(m.at * lines.length);
      lines.splice(l, 0, lines[l] ?? '');
      return lines.join('\n');
    }
    case 'comment-line': {
      const lines = text.split('\n');
      const l = Math.floor(m.at * lines.length);
      lines.splice(l, 0, `${' '.repeat(m.what.length % 5)}# comment ${m.what}`);
      return lines.join('\n');
    }
  }
}

/** A YAML document: mostly a block mapping at the root, as manifests are, sometimes anything. */
export const yamlDocument: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.array(fc.tuple(key, node), { minLength: 1, maxLength: 6 }) },
      { weight: 1, arbitrary: node.map((n) => n) },
    ),
    fc.constantFrom('', '', '', '# head\n', '---\n', '\n\n', '  '),
    fc.constantFrom('\n', '\n', '\n', '\n', '', '\n\n', '\n# tail\n'),
    fc.array(mutation, { maxLength: 2 }),
    fc.nat(9),
  )
  .map(([root, head, tail, mutations, dice]) => {
    const mutated = dice < 2;
    const body = Array.isArray(root)
      ? renderBlock({ kind: 'map', entries: root, flow: false, step: 2, comment: '' }, 0)
      : renderBlock(root, 0);
    let text = head + body + tail;
    if (mutated) for (const m of mutations) text = mutate(text, m);
    return text;
  });

/** JSON values whose keys collide once decoded ("a" and "\u0061") or are special, rendered with varied whitespace. */
type Json = null | boolean | number | string | Json[] | { entries: [string, Json][] };
const jsonKey = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', '.', '_', '1', 'é'), minLength: 1, maxLength: 6 }),
  },
  { weight: 1, arbitrary: fc.constantFrom('a', 'id', '__proto__', '', 'a b', '\\u0061', '\\u00e9', '1', 'x'.repeat(1010)) },
);
const jsonString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  fc.string({ unit: fc.constantFrom(...CHARS.filter((c) => c !== '"' && c !== '\\')), maxLength: 8 }),
  fc
    .array(fc.constantFrom('\\n', '\\"', '\\\\', '\\/', '\\u00e9', '\\ud83d\\ude00', '\\ud800', 'a', '\\x41', '\\q'), { maxLength: 4 })
    .map((p) => p.join('')),
);
const { json } = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    fc.constantFrom(0.1, 1e21, 1e-7, 123456789012345680000, -0),
    jsonString.map((s) => ({ raw: s }) as unknown as Json),
    fc.array(tie('json'), { maxLength: 4 }),
    fc.array(fc.tuple(jsonKey, tie('json')), { maxLength: 4 }).map((entries) => ({ entries })),
  ),
}));

function renderJson(v: Json, ws: () => string): string {
  if (v === null || typeof v !== 'object') return typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v);
  if ('raw' in v) return `"${(v as { raw: string }).raw}"`;
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => renderJson(x, ws)).join(`${ws()},${ws()}`)}${ws()}]`;
  return `{${ws()}${v.entries.map(([k, x]) => `"${k}"${ws()}:${ws()}${renderJson(x, ws)}`).join(`${ws()},${ws()}`)}${ws()}}`;
}

export const jsonDocument: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(jsonKey, json), { maxLength: 5 }),
    fc.array(fc.constantFrom('', '', '', ' ', '\n', '\n  ', '  '), { minLength: 1, maxLength: 8 }),
    fc.array(mutation, { maxLength: 2 }),
    fc.nat(9),
  )
  .map(([entries, spaces, mutations, dice]) => {
    const mutated = dice < 3;
    let k = 0;
    const ws = () => spaces[k++ % spaces.length]!;
    let text = `${renderJson({ entries }, ws)}\n`;
    if (mutated) for (const m of mutations) text = mutate(text, m);
    return text;
  });
