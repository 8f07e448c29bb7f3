// Text from manifests made safe for GitHub Markdown, and still readable as plain text (`--markdown -` in a terminal):
// only what could start Markdown or a GitHub reference is escaped, mostly with a backslash. Mentions, links, images,
// raw HTML and table breaks stay impossible.
//
// Some rules come from how GitHub renders, not from CommonMark: mentions (@name), issue references (#12) and
// autolinks (https://…, www.…, name@host.tld, which catches ds@3.12_beta) are found in the text after escapes and
// entities are decoded, so `\@name`, `&#64;name` and `https\://` still link. A zero-width space inside them breaks
// all of these and is invisible where the text is read.

const ZWSP = '\u200b';
/** Control and bidi-override characters: dropped (newlines fold to spaces), so no text can reorder or break a line. */
const CONTROL = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]+/g;
const PUNCT = /[!-/:-@[-`{-~]/;
const SPACE = /\s/;
const WORD = /[\p{L}\p{N}]/u;
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;

/**
 * Inline text (a table cell, a list item) that renders as itself in GitHub Markdown, inside or outside a table.
 * Escaped: `\` before punctuation, `|`, `` ` ``, `[`, `]` before `(`, `$`, `*`, `_` and `~` where they could open or
 * close emphasis, `<` before a tag, `&` before an entity; a zero-width space goes into `://`, `www.`, `::`, and after `@`
 * or `#` before a name or number.
 */
export function md(text: string): string {
  const s = text.replace(CONTROL, ' ');
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const prev = i > 0 ? s[i - 1]! : ' ';
    const next = i + 1 < s.length ? s[i + 1]! : ' ';
    switch (c) {
      case '\\':
        out += PUNCT.test(next) ? '\\\\' : '\\';
        break;
      case '|':
      case '[':
      case '$':
        out += `\\${c}`;
        break;
      case ']':
        // `](` after an escaped `[` is no link, but `]\(` keeps the pair from reading as one anywhere.
        out += next === '(' ? ']\\' : ']';
        break;
      case '`':
        // A backslash would do for Markdown; the entity also keeps a backtick out of text pasted into a code span.
        out += '&#96;';
        break;
      case '*':
      case '~':
        out += SPACE.test(prev) && SPACE.test(next) ? c : `\\${c}`;
        break;
      case '_':
        // Inside a word (mol_toxicity, 3.12_beta) an underscore cannot open or close emphasis.
        out += (WORD.test(prev) && WORD.test(next)) || (SPACE.test(prev) && SPACE.test(next)) ? c : '\\_';
        break;
      case '<':
        // `<` starts HTML or an autolink only before a letter, `/`, `!` or `?`: `rmse <= 0.5` stays as it is.
        out += /[A-Za-z/!?]/.test(next) ? `<${ZWSP}` : '<';
        break;
      case '&':
        out += ENTITY.test(s.slice(i, i + 40)) ? '\\&' : '&';
        break;
      case ':':
        // `scheme://` and `www.` start autolinks even when escaped (GitHub finds them in the text, as it does
        // mentions): a zero-width space breaks them. `::` is a workflow command in a log.
        out += s.startsWith('//', i + 1) ? `${ZWSP}:` : next === ':' ? `:${ZWSP}` : ':';
        break;
      case 'w':
      case 'W':
        out += s.slice(i, i + 4).toLowerCase() === 'www.' ? `${c}${ZWSP}` : c;
        break;
      case '@':
        // A mention starts at a word's beginning; an email autolink after a name. Both need a name right after.
        out += /[\p{L}\p{N}_]/u.test(next) ? (WORD.test(prev) || prev === '_' || prev === '.' ? `@${ZWSP}` : `&#64;${ZWSP}`) : '@';
        break;
      case '#':
        out += /[0-9]/.test(next) ? `#${ZWSP}` : '#';
        break;
      default:
        out += c;
    }
  }
  return out;
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

/**
 * Text inside raw HTML (a `<summary>`), where Markdown is not parsed: HTML's own escapes, and the same zero-width
 * space against mentions and references, which GitHub finds in any text.
 */
export function htmlText(text: string): string {
  return text
    .replace(CONTROL, ' ')
    .replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!)
    .replace(/([@#])(?=[\p{L}\p{N}_])/gu, `$1${ZWSP}`);
}
