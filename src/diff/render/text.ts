// Plain text for a terminal: indented lists, word diffs as [-removed-]{+added+} (coloured on a
// TTY), formatted queries as -/+ lines.
import type { DiffReport } from "../model.js";
import { reportBlocks, type Block, type ImageLinks, type Inline, type Item } from "./doc.js";

export interface TextOptions {
  color?: boolean;
}

export function renderText(r: DiffReport, images?: ImageLinks, opts: TextOptions = {}): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const inline = (parts: Inline[]) =>
    parts
      .map((p) => {
        if (typeof p === "string") return p;
        if ("code" in p) return p.code;
        if ("strong" in p) return c("1", p.strong);
        if ("em" in p) return p.em;
        if ("words" in p) {
          return p.words
            .map((s) => (s.op === "equal" ? s.text : s.op === "removed" ? c("31", `[-${s.text}-]`) : c("32", `{+${s.text}+}`)))
            .join("");
        }
        if ("image" in p) return `${p.image}: ${p.href}`;
        return `${p.link}: ${p.href}`;
      })
      .join("");
  const list = (items: Item[], depth: number): string[] =>
    items.flatMap((it) => [`${"  ".repeat(depth)}${depth ? "· " : "- "}${inline(it.text)}`, ...list(it.children ?? [], depth + 1)]);
  const block = (b: Block): string[] => {
    if ("heading" in b) return [b.level <= 3 ? c("1;4", inline(b.heading)) : c("1", inline(b.heading))];
    if ("para" in b) return [inline(b.para)];
    if ("list" in b) return list(b.list, 0);
    return b.diffs.flatMap((d) => [
      `  ${inline(d.title)}`,
      ...d.lines.map((l) => (l.op === "removed" ? c("31", `    - ${l.text}`) : l.op === "added" ? c("32", `    + ${l.text}`) : `      ${l.text}`)),
    ]);
  };
  const blocks = reportBlocks(r, images);
  if (!r.changed) return `No changes between ${inline(blocks[0] && "para" in blocks[0] ? blocks[0].para : [])}\n`;
  return blocks.map((b) => block(b).join("\n")).join("\n\n") + "\n";
}
