// Word- and line-level differences of query text. Queries are split into PromQL-ish tokens (names,
// strings, numbers, durations, operators, brackets, whitespace) so a change reads as the words that
// changed, not as characters.

export type Op = "equal" | "removed" | "added";
export interface Segment {
  op: Op;
  text: string;
}

const TOKEN = new RegExp(
  [
    /"(?:[^"\\]|\\.)*"?/.source, // double-quoted string
    /'(?:[^'\\]|\\.)*'?/.source, // single-quoted string
    /`[^`]*`?/.source, // raw string
    /\$\{[^}]*\}|\$\w+/.source, // Grafana variable
    /\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*/.source, // duration
    /0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?/.source, // number
    /[A-Za-z_:][\w:.]*/.source, // name
    /\s+/.source,
    /=~|!~|!=|==|>=|<=|\|=|\|~|&&|\|\||[^\s]/.source,
  ].join("|"),
  "giy",
);

export function tokenize(s: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < s.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(s);
    if (!m || !m[0]) {
      out.push(s[at]);
      TOKEN.lastIndex = at + 1;
    } else out.push(m[0]);
  }
  return out;
}

export const isNumberToken = (t: string) => /^(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)$/i.test(t);

/** Longest-common-subsequence diff of two sequences, as runs. */
export function diffSequences<T>(a: T[], b: T[], eq: (x: T, y: T) => boolean = (x, y) => x === y): { op: Op; items: T[] }[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && eq(a[pre], b[pre])) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && eq(a[a.length - 1 - suf], b[b.length - 1 - suf])) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const ops: { op: Op; item: T }[] = [];
  const n = A.length;
  const m = B.length;
  if (n * m > 4_000_000) {
    for (const x of A) ops.push({ op: "removed", item: x });
    for (const y of B) ops.push({ op: "added", item: y });
  } else {
    // lcs[i][j] = LCS length of A[i..] and B[j..]
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = eq(A[i], B[j]) ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && eq(A[i], B[j])) {
        ops.push({ op: "equal", item: A[i] });
        i++;
        j++;
      } else if (j < m && (i === n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) {
        ops.push({ op: "added", item: B[j++] });
      } else {
        ops.push({ op: "removed", item: A[i++] });
      }
    }
  }
  const all = [
    ...a.slice(0, pre).map((item) => ({ op: "equal" as Op, item })),
    ...ops,
    ...a.slice(a.length - suf).map((item) => ({ op: "equal" as Op, item })),
  ];
  // Removals before additions inside each changed stretch, then runs.
  const ordered: { op: Op; item: T }[] = [];
  for (let k = 0; k < all.length; ) {
    if (all[k].op === "equal") {
      ordered.push(all[k++]);
      continue;
    }
    const start = k;
    while (k < all.length && all[k].op !== "equal") k++;
    const stretch = all.slice(start, k);
    ordered.push(...stretch.filter((x) => x.op === "removed"), ...stretch.filter((x) => x.op === "added"));
  }
  const runs: { op: Op; items: T[] }[] = [];
  for (const x of ordered) {
    const last = runs[runs.length - 1];
    if (last && last.op === x.op) last.items.push(x.item);
    else runs.push({ op: x.op, items: [x.item] });
  }
  return runs;
}

/**
 * Word-level diff of two query strings. Whitespace-only or one-character runs left between two
 * changes are folded into the change so the result reads as whole replaced phrases.
 */
export function wordDiff(before: string, after: string): Segment[] {
  const runs = slideToWords(diffSequences(tokenize(before), tokenize(after)));
  const segs: Segment[] = runs.map((r) => ({ op: r.op, text: r.items.join("") }));
  // Fold tiny equal runs sandwiched between changes.
  const folded: Segment[] = [];
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k];
    const prevChanged = folded.length > 0 && folded[folded.length - 1].op !== "equal";
    const nextChanged = k + 1 < segs.length && segs[k + 1].op !== "equal";
    if (s.op === "equal" && prevChanged && nextChanged && s.text.trim().length <= 1 && s.text.length <= 2) {
      // Becomes part of both sides of the surrounding change.
      folded.push({ op: "removed", text: s.text }, { op: "added", text: s.text });
    } else folded.push({ ...s });
  }
  return normalise(folded);
}

const isWord = (t: string | undefined) => !!t && /^[A-Za-z_:$"'`\d]/.test(t);

/**
 * A pure insertion or deletion between two unchanged runs can often sit at several places
 * (`a, [-b, -]a` vs `a, [-a, -]b`...). Shift it to where it starts with a word and ends after a
 * separator, which reads as the phrase that was added or removed.
 */
function slideToWords(runs: { op: Op; items: string[] }[]): { op: Op; items: string[] }[] {
  const out = runs.map((r) => ({ op: r.op, items: [...r.items] }));
  for (let i = 1; i < out.length - 1; i++) {
    const [left, mid, right] = [out[i - 1], out[i], out[i + 1]];
    if (mid.op === "equal" || left.op !== "equal" || right.op !== "equal") continue;
    const score = (l: string[], m: string[], r: string[]) =>
      (isWord(m[0]) ? 2 : 0) + (!isWord(m[m.length - 1]) || !isWord(r[0]) ? 1 : 0) + (l.length && !isWord(l[l.length - 1]) ? 1 : 0);
    let best = { l: left.items, m: mid.items, r: right.items, s: score(left.items, mid.items, right.items) };
    // Left shifts.
    let l = left.items;
    let m = mid.items;
    let r = right.items;
    while (l.length && l[l.length - 1] === m[m.length - 1]) {
      [l, m, r] = [l.slice(0, -1), [l[l.length - 1], ...m.slice(0, -1)], [m[m.length - 1], ...r]];
      const s = score(l, m, r);
      if (s > best.s) best = { l, m, r, s };
    }
    // Right shifts.
    l = left.items;
    m = mid.items;
    r = right.items;
    while (r.length && r[0] === m[0]) {
      [l, m, r] = [[...l, m[0]], [...m.slice(1), r[0]], r.slice(1)];
      const s = score(l, m, r);
      if (s > best.s) best = { l, m, r, s };
    }
    left.items = best.l;
    mid.items = best.m;
    right.items = best.r;
  }
  return out.filter((r) => r.items.length);
}

/** Merges neighbouring runs: within each stretch between equal runs, all removals then all additions. */
function normalise(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (let k = 0; k < segs.length; ) {
    if (segs[k].op === "equal") {
      const last = out[out.length - 1];
      if (last?.op === "equal") last.text += segs[k].text;
      else out.push({ ...segs[k] });
      k++;
      continue;
    }
    let removed = "";
    let added = "";
    while (k < segs.length && segs[k].op !== "equal") {
      if (segs[k].op === "removed") removed += segs[k].text;
      else added += segs[k].text;
      k++;
    }
    if (removed) out.push({ op: "removed", text: removed });
    if (added) out.push({ op: "added", text: added });
  }
  return out;
}

/** Did only numeric literals change (a threshold, a quantile), with all other words equal? */
export function onlyNumbersChanged(before: string, after: string): boolean {
  const runs = diffSequences(tokenize(before).filter((t) => t.trim()), tokenize(after).filter((t) => t.trim()));
  const changed = runs.filter((r) => r.op !== "equal");
  return changed.length > 0 && changed.every((r) => r.items.every(isNumberToken));
}

/** The numeric literals that differ between two queries: [before, after] per changed stretch. */
export function changedNumbers(before: string, after: string): { before: string[]; after: string[] } {
  const runs = diffSequences(tokenize(before).filter((t) => t.trim()), tokenize(after).filter((t) => t.trim()));
  return {
    before: runs.filter((r) => r.op === "removed").flatMap((r) => r.items),
    after: runs.filter((r) => r.op === "added").flatMap((r) => r.items),
  };
}

export interface DiffLine {
  op: Op;
  text: string;
}

/** Line-level diff (for formatted queries and multi-line values). */
export function lineDiff(before: string, after: string): DiffLine[] {
  return diffSequences(before.split("\n"), after.split("\n")).flatMap((r) => r.items.map((text) => ({ op: r.op, text })));
}
