// Schemas are a product: every property of the schemas lineage-gate writes to other tools has a description.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Node = Record<string, unknown>;

/** Paths of properties without a description; a property that is only a $ref takes the referenced definition's. */
function undescribed(schema: Node): string[] {
  const defs = (schema.$defs ?? {}) as Record<string, Node>;
  const resolve = (s: Node): Node => (typeof s.$ref === 'string' && s.$ref.startsWith('#/$defs/') ? defs[s.$ref.slice(8)]! : s);
  const missing: string[] = [];
  const walk = (s: Node, at: string) => {
    for (const [name, p] of Object.entries((s.properties ?? {}) as Record<string, Node>)) {
      if (typeof p.description !== 'string' && typeof resolve(p).description !== 'string') missing.push(`${at}.${name}`);
      walk(p, `${at}.${name}`);
    }
    for (const key of ['items', 'additionalProperties']) if (s[key] && typeof s[key] === 'object') walk(s[key] as Node, `${at}[]`);
    for (const sub of (s.allOf ?? []) as Node[]) walk(sub, at);
  };
  walk(schema, '');
  for (const [name, d] of Object.entries(defs)) {
    if (typeof d.description !== 'string') missing.push(`$defs.${name}`);
    walk(d, `$defs.${name}`);
  }
  return missing;
}

describe.each(['openlineage-event', 'plan'])('schemas/%s.schema.json', (name) => {
  it('describes every property', () => {
    expect(undescribed(JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8')) as Node)).toEqual([]);
  });
});
