import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { code, htmlText, md } from '../src/core/render/markdown.ts';
import { plain } from '../src/core/render/text.ts';

const ZWSP = '\u200b';
type Node = { type: string; value?: string; children?: Node[] };
const nodes = (n: Node): Node[] => [n, ...(n.children ?? []).flatMap(nodes)];
const text = (n: Node): string => (n.type === 'text' ? n.value! : (n.children ?? []).map(text).join(''));
/** The cells of the one table row the text is put in, as GitHub's parser (GFM: tables, autolinks, strikethrough) reads it. */
function cellsOf(cell: string): Node[] {
  const tree = fromMarkdown(`| a | b |\n|---|---|\n| x | ${cell} |\n`, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  }) as Node;
  const table = tree.children![0]!;
  expect(table.type).toBe('table');
  return table.children![1]!.children!;
}

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
    expect(code('a|b')).toBe('a\\|b');
    expect(code(' x')).not.toContain('`');
  });

  it('plain() strips terminal control sequences', () => {
    expect(plain('v1\u001b[2J\u001b]0;pwned\u0007')).not.toMatch(/[\u001b\u0007]/);
  });
});

const HOSTILE = [
  '@octocat please merge',
  'cc @org/team and (@someone)',
  '![x](https://evil.example/p.png)',
  '[click](javascript:alert(1))',
  '[ref][1] and [^note]',
  '<img src=x onerror=alert(1)>',
  '<https://evil.example> and <mailto:x@evil.example>',
  '<!-- hidden --> </details>',
  'a | b || c',
  'https://evil.example and HTTPS://evil.example/x',
  'see www.evil.example or WWW.evil.example',
  'write to mallory@evil.example',
  '`code` and **bold** and __bold__ and *it* and _it_ and ~~gone~~ and ~gone~',
  '&#64;octocat &commat;octocat &lt;img&gt;',
  '\\@octocat \\[x](y) \\| \\',
  'fixes #12 and org/repo#34 and GH-56',
  '$x^2$ and $$y$$',
  '::set-output name=x::y',
  'line1\nline2\r\n| --- |',
];

describe('md renders as itself on GitHub', () => {
  it.each(HOSTILE)('%j: one cell, no link, image, HTML, code or emphasis, and the same text', (input) => {
    const cells = cellsOf(md(input));
    expect(cells).toHaveLength(2);
    const inside = nodes(cells[1]!).slice(1);
    expect(inside.filter((n) => n.type !== 'text').map((n) => n.type)).toEqual([]);
    expect(text(cells[1]!).replaceAll(ZWSP, '')).toBe(input.replace(/[\u0000-\u001f]+/g, ' ').trim());
  });

  it.each(HOSTILE)('%j: no mention, email or issue reference can form', (input) => {
    const rendered = text(cellsOf(md(input))[1]!);
    // GitHub links @name, name@host.tld and #12 in the rendered text; a zero-width space after @ or # breaks them.
    expect(rendered).not.toMatch(/@[\p{L}\p{N}_]/u);
    expect(rendered).not.toMatch(/#[0-9]/);
  });
});

describe('md stays readable as plain text', () => {
  it.each([
    'test.auc = 0.86, needs >= 0.89 (test.auc >= baseline - 0.02)',
    'rmse <= baseline * 1.05',
    'model mol_toxicity failed gate 1 at version 3.3; it must pass before this workflow can use it',
    'metric test.auc in results/mol_toxicity.json:4 is NaN, not a finite number',
    'score 0.846 fell 0.0085 below the accepted 0.8545; max_drop is 0.03',
    'a < b and c > d, x=1+2, {braces} "quotes" \'single\' ^caret',
  ])('%j is left as it is', (input) => {
    expect(md(input)).toBe(input);
  });

  it('marks only what could start Markdown, mostly with a backslash', () => {
    expect(md('trained on ds_mol_20210421@3.12_beta')).toBe(`trained on ds_mol_20210421@${ZWSP}3.12_beta`);
    expect(md('a | b')).toBe('a \\| b');
    expect(md('[click](x)')).toBe('\\[click]\\(x)');
    expect(md('https://x.example www.x.example')).toBe(`https${ZWSP}://x.example w${ZWSP}ww.x.example`);
    expect(md('<b>')).toBe(`<${ZWSP}b>`);
    expect(md('**bold** _it_ mol_tox')).toBe('\\*\\*bold\\*\\* \\_it\\_ mol_tox');
    expect(md('fixes #12')).toBe(`fixes #${ZWSP}12`);
  });
});

describe('htmlText, for text inside raw HTML such as <summary>', () => {
  it('escapes HTML and breaks mentions, and nothing else', () => {
    expect(htmlText('<img src=x> & "q" @octocat #12 mol_tox 3.12_beta')).toBe(
      `&lt;img src=x&gt; &amp; &quot;q&quot; @${ZWSP}octocat #${ZWSP}12 mol_tox 3.12_beta`,
    );
  });
});
