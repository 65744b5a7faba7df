// Markdown for a pull-request comment (GitHub-flavoured). Query changes are shown inline as a word
// diff — removed words struck through, added words bold — and in full, formatted, as a collapsed
// ```diff block per query.
import type { DiffReport } from "../model.js";
import type { Segment } from "../text.js";
import { reportBlocks, type Block, type ImageLinks, type Inline, type Item } from "./doc.js";

/** Hidden marker the CI uses to find and update its own comment. */
export const COMMENT_MARKER = "<!-- grafana-as-code-diff -->";

/** Text as Markdown: punctuation that Markdown (or GitHub's math) would interpret is escaped. */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_[\]<>#|~$&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`)).replace(/\n/g, " ");
}

/** Text inside raw HTML: entities for everything HTML or Markdown could read as markup. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`*_~\\[\]$|{}]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n/g, " ");
}

export function codeSpan(s: string): string {
  const text = s.replace(/\n/g, " ");
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || !text.trim() ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

const CONTEXT = 60;
const SEP = /[\s,({[]/;
const SLACK = 30;

/** The last ~CONTEXT characters, widened to start after a separator so no word is cut. */
function tail(t: string): string {
  let i = t.length - CONTEXT;
  const stop = Math.max(0, i - SLACK);
  while (i > stop && !SEP.test(t[i - 1])) i--;
  return t.slice(i > stop ? i : t.length - CONTEXT);
}

/** The first ~CONTEXT characters, widened to end at a separator. */
function head(t: string): string {
  let i = CONTEXT;
  const stop = Math.min(t.length, i + SLACK);
  while (i < stop && !SEP.test(t[i])) i++;
  return t.slice(0, i < stop ? i : CONTEXT);
}

/** Long unchanged stretches are shortened to their ends around the changes. */
export function elide(segments: Segment[]): Segment[] {
  return segments.map((s, i) => {
    if (s.op !== "equal") return s;
    const first = i === 0;
    const last = i === segments.length - 1;
    const keep = first || last ? CONTEXT + SLACK : (CONTEXT + SLACK) * 2;
    if (s.text.length <= keep) return s;
    if (first) return { ...s, text: `…${tail(s.text)}` };
    if (last) return { ...s, text: `${head(s.text)}…` };
    return { ...s, text: `${head(s.text)} … ${tail(s.text)}` };
  });
}

export function wordsHtml(segments: Segment[]): string {
  const oneLine = segments.map((s) => ({ ...s, text: s.text.replace(/\s*\n\s*/g, " ") }));
  const body = elide(oneLine)
    .map((s) => (s.op === "equal" ? escapeHtml(s.text) : s.op === "removed" ? `<del>${escapeHtml(s.text)}</del>` : `<ins><b>${escapeHtml(s.text)}</b></ins>`))
    .join("");
  return `<code>${body}</code>`;
}

function inline(parts: Inline[]): string {
  return parts
    .map((p) => {
      if (typeof p === "string") return escapeMd(p);
      if ("code" in p) return codeSpan(p.code);
      if ("strong" in p) return `**${escapeMd(p.strong)}**`;
      if ("em" in p) return `*${escapeMd(p.em)}*`;
      if ("words" in p) return wordsHtml(p.words);
      if ("image" in p) return `![${escapeMd(p.image)}](${encodeURI(p.href)})`;
      return `[${escapeMd(p.link)}](${encodeURI(p.href)})`;
    })
    .join("");
}

function list(items: Item[], depth = 0): string[] {
  const pad = "  ".repeat(depth);
  return items.flatMap((it) => [`${pad}- ${inline(it.text)}`, ...list(it.children ?? [], depth + 1)]);
}

function fence(lines: string[]): string {
  const longest = Math.max(2, ...lines.flatMap((l) => [...l.matchAll(/`+/g)].map((m) => m[0].length)));
  return "`".repeat(longest + 1);
}

function block(b: Block): string {
  if ("heading" in b) return `${"#".repeat(b.level)} ${inline(b.heading)}`;
  if ("para" in b) return inline(b.para);
  if ("list" in b) return list(b.list).join("\n");
  const parts = [`<details><summary>${escapeHtml(b.summary)}</summary>`, ""];
  for (const d of b.diffs) {
    const lines = d.lines.map((l) => `${l.op === "removed" ? "-" : l.op === "added" ? "+" : " "} ${l.text}`);
    const f = fence(lines);
    parts.push(inline(d.title), "", `${f}diff`, ...lines, f, "");
  }
  parts.push("</details>");
  return parts.join("\n");
}

export function renderMarkdown(r: DiffReport, images?: ImageLinks): string {
  const blocks = reportBlocks(r, images);
  const title = "## Grafana as code: semantic diff";
  return [COMMENT_MARKER, title, "", ...blocks.map(block).flatMap((b) => [b, ""])].join("\n").replace(/\n+$/, "\n");
}
