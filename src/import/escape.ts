// Every string of an imported dashboard that ends up in generated code goes through here. The input is
// untrusted: a title holding a line terminator would end a `//` comment and turn the rest into code, a
// backtick or `${` would break out of a template literal, `*/` out of a block comment. What comes out
// holds no character that can end a line, a comment or a literal, and evaluates back to the input exactly.

// Characters written as \uXXXX in every literal: C0 controls, DEL, C1 controls (U+0085 is a line break
// to some editors), JS line terminators U+2028/U+2029, BOM and other format characters that hide text,
// and lone surrogates (which no UTF-8 file can hold).
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const u = (ch: string) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;

const SHORT: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v" };

/** A double-quoted JavaScript string literal for `s`. */
export function jsString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(UNSAFE, (c) => SHORT[c] ?? u(c))}"`;
}

/**
 * A template literal for `s` (multi-line text such as queries and markdown reads better this way):
 * `\n` stays a real line break, everything else unsafe is escaped, and so are `` ` ``, `${` and `\`.
 */
export function jsTemplate(s: string): string {
  const body = s
    .replace(/[\\`]/g, (c) => `\\${c}`)
    .replace(/\$\{/g, "\\${")
    .replace(UNSAFE, (c) => (c === "\n" ? c : (SHORT[c] ?? u(c))));
  return `\`${body}\``;
}

/** A string as a literal: a template literal when it spans lines, else a quoted string. */
export function jsText(s: string): string {
  return s.includes("\n") ? jsTemplate(s) : jsString(s);
}

/** Text for a `//` comment: a value is written as its quoted literal, so nothing can end the line early. */
export function commentValue(s: string): string {
  return jsString(s);
}

/** Text for a block comment: on one line, with no comment end in it. */
export function blockCommentText(s: string): string {
  return jsString(s)
    .slice(1, -1)
    .replace(/\*\//g, "*\\/");
}

/**
 * A line for the terminal: text from the input (titles, uids in messages) with control characters,
 * line separators and direction overrides shown as escapes, so it cannot move the cursor, fake a line
 * or reorder what the user reads.
 */
export function displayText(s: string): string {
  return s.replace(UNSAFE, (c) => SHORT[c] ?? u(c));
}
