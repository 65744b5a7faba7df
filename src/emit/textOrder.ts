// The order the build sorts names, paths and uids in: String.prototype.localeCompare's, which the
// emitted files, lint's findings and the summaries have always used. Its first call makes ICU's
// collator (~45-70 M instructions, ~3% of a one-dashboard build), for strings that are almost
// always printable ASCII. For those, the collator's order
// is known: each character has one collation element, punctuation is not ignorable, letters of
// either case share a primary weight and a lowercase letter comes first at the tertiary level.
// Anything else (another character, or a locale whose collation may differ) goes to ICU.
// test/emit/text-order.test.ts holds this order to ICU's over every string of up to two characters.

/** Printable ASCII in the default collator's order of primary weights; a letter's two cases share one. */
const PRIMARY_ORDER = [
  ...` _-,;:!?.'"()[]{}@*/\\&#%\`^+<=>|~$0123456789`,
  ..."abcdefghijklmnopqrstuvwxyz".split("").map((c) => c + c.toUpperCase()),
];

let primary: Uint8Array | undefined;

/** Primary weight per code unit below 128 (0: not printable ASCII). */
function primaryWeights(): Uint8Array {
  const weights = new Uint8Array(128);
  PRIMARY_ORDER.forEach((chars, at) => {
    for (let i = 0; i < chars.length; i++) weights[chars.charCodeAt(i)] = at + 1;
  });
  return weights;
}

/**
 * ICU's default locale comes from LC_ALL, LC_MESSAGES or LANG; the known order holds for the
 * root collation that English (and C/POSIX) use. Another locale's tailoring may order ASCII
 * otherwise (Danish "aa", say), so it keeps ICU.
 */
function rootLocale(env: NodeJS.ProcessEnv): boolean {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return locale === "" || /^(C|POSIX|en)([._@-]|$)/.test(locale);
}

let known: boolean | undefined;

/** True when every code unit of `s` is printable ASCII. */
function printableAscii(s: string, weights: Uint8Array): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || weights[c] === 0) return false;
  }
  return true;
}

/** `a.localeCompare(b)`: negative, zero or positive (-1, 0 or 1) as it would return, without ICU for printable ASCII. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  known ??= rootLocale(process.env);
  const weights = known ? (primary ??= primaryWeights()) : undefined;
  if (!weights || !printableAscii(a, weights) || !printableAscii(b, weights)) return a.localeCompare(b);
  // Primary level first (weights in order, then length); only then the first difference of case.
  let tertiary = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const p = weights[x];
    const q = weights[y];
    if (p !== q) return p < q ? -1 : 1;
    if (tertiary === 0) tertiary = x > y ? -1 : 1; // same letter: lowercase (the higher code) first
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return tertiary;
}

/** For tests: forget the locale decision (made once per process from the environment). */
export function resetTextOrderForTests(): void {
  known = undefined;
}
