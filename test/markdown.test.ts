import { describe, expect, it } from 'vitest';
import { code, md } from '../src/core/render/markdown.ts';
import { plain } from '../src/core/render/text.ts';

describe('md neutralises hostile text', () => {
  it.each([
    ['@octocat please merge', '@'],
    ['![x](https://evil.example/p.png)', '!['],
    ['[click](javascript:alert(1))', ']('],
    ['<img src=x onerror=alert(1)>', '<img'],
    ['a | b', ' | '],
    ['https://evil.example', 'https://'],
    ['see www.evil.example', 'www.'],
    ['line1\nline2', '\n'],
    ['`code` and **bold**', '`'],
    ['::set-output name=x::y', '::'],
  ])('%j keeps no %j', (input, forbidden) => {
    expect(md(input)).not.toContain(forbidden);
  });

  it('uses code spans only where they are safe', () => {
    expect(code('3.12_beta')).toBe('`3.12_beta`');
    expect(code('a`b')).toBe('a&#96;b');
    expect(code('a|b')).toBe('a&#124;b');
    expect(code(' x')).not.toContain('`');
  });

  it('plain() strips terminal control sequences', () => {
    expect(plain('v1\u001b[2J\u001b]0;pwned\u0007')).not.toMatch(/[\u001b\u0007]/);
  });
});
