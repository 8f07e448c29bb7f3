// Neutralises text from manifests before it reaches Markdown: no mentions, links, images, raw HTML or table breaks.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '@': '&#64;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '!': '&#33;',
  '*': '&#42;',
  _: '&#95;',
  '`': '&#96;',
  '#': '&#35;',
  '\\': '&#92;',
  '~': '&#126;',
  ':': '&#58;',
  $: '&#36;',
  '^': '&#94;',
  '{': '&#123;',
  '}': '&#125;',
  '+': '&#43;',
  '=': '&#61;',
};

/**
 * Text that renders as itself in GitHub Markdown, inside or outside a table. Colons are encoded so that no
 * autolink forms (https://…, mailto:); newlines fold to spaces; control and bidi-override characters go.
 */
export function md(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}&#46;`)
    .replace(/[&<>"'|@[\]()!*_`#\\~:$^{}+=]/g, (c) => ENTITIES[c]!);
}

/**
 * A code span where that is safe (inside one, nothing is a mention, link or HTML): no backtick, no pipe (tables),
 * no control or bidi characters, no edge spaces. Anything else goes through md().
 */
export function code(text: string): string {
  return /^[^`|\s\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069](?:[^`|\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]*[^`|\s\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069])?$/.test(
    text,
  ) && text.length <= 200
    ? `\`${text}\``
    : md(text);
}
