import { describe, expect, it } from 'vitest';
import { parseDocument } from '../src/core/input/document.ts';

const yamlOf = (text: string) => parseDocument(text, 'f.yaml', 'yaml');

describe('parseDocument refuses what an attacker could use', () => {
  it('refuses aliases, including an alias bomb, before expanding anything', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n');
    const r = yamlOf(bomb);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.message).join('\n')).toMatch(/anchors .* not allowed|aliases .* not allowed/);
  });

  it('refuses explicit and custom tags with the line', () => {
    const r = yamlOf('id: x\ncmd: !!python/object/apply:os.system ["rm -rf /"]\n');
    expect(r).toMatchObject({ ok: false, problems: [{ file: 'f.yaml', line: 2, message: expect.stringContaining('explicit tags') }] });
    expect(yamlOf('id: !custom x\n').ok).toBe(false);
    expect(yamlOf('id: !!str 5\n').ok).toBe(false);
  });

  it('refuses %YAML and %TAG directives', () => {
    const r = yamlOf('%YAML 1.1\n---\nflag: yes\n');
    expect(r).toMatchObject({ ok: false, problems: [{ line: 1, message: expect.stringContaining('directives') }] });
    expect(yamlOf('%TAG ! tag:evil.com,2000:\n---\na: !x 1\n').ok).toBe(false);
  });

  it('refuses __proto__ keys in YAML and JSON', () => {
    expect(yamlOf('meta:\n  __proto__:\n    polluted: true\n')).toMatchObject({
      ok: false,
      problems: [{ line: 2, message: expect.stringContaining('__proto__') }],
    });
    const j = parseDocument('{"id": "x", "__proto__": {"polluted": true}}', 'f.json', 'json');
    expect(j.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses duplicate keys with their line, in YAML and JSON', () => {
    expect(yamlOf('id: a\nversion: "1"\nid: b\n')).toMatchObject({
      ok: false,
      problems: [{ line: 3, message: expect.stringContaining('unique') }],
    });
    expect(parseDocument('{\n "id": "a",\n "id": "b"\n}', 'f.json', 'json').ok).toBe(false);
  });

  it('refuses several documents in one file, and empty files', () => {
    expect(yamlOf('id: a\n---\nid: b\n')).toMatchObject({ ok: false, problems: [{ line: 2 }] });
    expect(yamlOf('')).toMatchObject({ ok: false, problems: [{ message: 'the file is empty' }] });
  });

  it('reports syntax errors with a line', () => {
    expect(yamlOf('id: a\nnodes: [1, 2\n')).toMatchObject({
      ok: false,
      problems: [{ line: expect.any(Number), message: expect.stringContaining('YAML syntax') }],
    });
    const j = parseDocument('{"id": ', 'f.json', 'json');
    expect(j.ok).toBe(false);
    if (!j.ok) expect(j.problems[0]).toMatchObject({ file: 'f.json', line: 1, message: expect.stringContaining('JSON syntax') });
  });

  it('maps field paths to lines', () => {
    const r = yamlOf('id: a\nnodes:\n  - id: n1\n    weight: 1\n  - id: n2\n    weight: 2\n');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.doc.lineAt(['nodes', 1, 'weight'])).toBe(6);
      expect(r.doc.lineAt(['nodes', 0])).toBe(3);
      expect(r.doc.lineAt(['missing'])).toBe(1);
    }
  });
});
