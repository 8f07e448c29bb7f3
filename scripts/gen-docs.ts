// Regenerates the README sections that have one source of truth elsewhere (the schemas, action.yml).
// `--check` fails when README.md is out of date, so `npm test` keeps the reference true.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

type Schema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  minimum?: number;
  pattern?: string;
  const?: unknown;
  enum?: unknown[];
  oneOf?: Schema[];
};

const text = (s: string | undefined): string =>
  (s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');
const load = (name: string): Schema => JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8')) as Schema;

function typeOf(s: Schema): string {
  if (s.oneOf) return s.oneOf.map(typeOf).join(' \\| ');
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((e) => `\`${String(e)}\``).join(' \\| ');
  const t = Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
  if (t === 'array' && s.items) return `list of ${typeOf(s.items)}`;
  if (t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object' && !s.properties)
    return `map → ${typeOf(s.additionalProperties)}`;
  return t;
}

function table(s: Schema, prefix = ''): string[] {
  const rows: string[] = [];
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    if (name === '$schema') continue;
    const req = s.required?.includes(name) ? 'yes' : '';
    rows.push(`| \`${prefix}${name}\` | ${typeOf(p)} | ${req} | ${text(p.description)} |`);
    if (p.type === 'array' && p.items?.properties) rows.push(...table(p.items, `${prefix}${name}[].`));
    if (p.type === 'object' && p.properties) rows.push(...table(p, `${prefix}${name}.`));
    const seen = new Set<string>();
    for (const alt of p.oneOf ?? []) {
      if (alt.type !== 'object' || !alt.properties) continue;
      for (const row of table(alt, `${prefix}${name}.`)) {
        const field = row.split(' | ')[0]!;
        if (!seen.has(field)) rows.push(row.replace(/ \| yes \| /, ' |  | '));
        seen.add(field);
      }
    }
  }
  return rows;
}

function manifestReference(): string {
  const out: string[] = [];
  for (const [title, name] of [
    ['Dataset', 'dataset'],
    ['Model', 'model'],
    ['Workflow', 'workflow'],
  ] as const) {
    const s = load(name);
    out.push(
      `#### ${title} (\`schemas/${name}.schema.json\`)`,
      '',
      text(s.description),
      '',
      '| Field | Type | Required | Meaning |',
      '|---|---|---|---|',
      ...table(s),
      '',
    );
  }
  return out.join('\n');
}

function actionReference(): string {
  if (!existsSync('action.yml')) return '';
  const a = parse(readFileSync('action.yml', 'utf8')) as {
    inputs?: Record<string, { description: string; default?: string; required?: boolean }>;
    outputs?: Record<string, { description: string }>;
  };
  const out = ['| Input | Default | Meaning |', '|---|---|---|'];
  for (const [k, v] of Object.entries(a.inputs ?? {}))
    out.push(
      `| \`${k}\` | ${v.default !== undefined && v.default !== '' ? `\`${v.default}\`` : ''} | ${v.description.trim().replace(/\n/g, ' ').replace(/\|/g, '\\|')} |`,
    );
  out.push('', '| Output | Meaning |', '|---|---|');
  for (const [k, v] of Object.entries(a.outputs ?? {})) out.push(`| \`${k}\` | ${v.description.trim().replace(/\n/g, ' ')} |`);
  return `${out.join('\n')}\n`;
}

const SECTIONS: Record<string, () => string> = { 'manifest-reference': manifestReference, 'action-reference': actionReference };

let readme = readFileSync('README.md', 'utf8');
const original = readme;
for (const [name, make] of Object.entries(SECTIONS)) {
  const start = `<!-- generated:${name}:start -->`;
  const end = `<!-- generated:${name}:end -->`;
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < 0) continue;
  readme = `${readme.slice(0, i + start.length)}\n${make()}${readme.slice(j)}`;
}
if (process.argv.includes('--check')) {
  if (readme !== original) {
    process.stderr.write('README.md is out of date with schemas/ or action.yml: run `npm run docs` and commit the result.\n');
    process.exit(1);
  }
} else if (readme !== original) {
  writeFileSync('README.md', readme);
  process.stdout.write('README.md updated\n');
}
