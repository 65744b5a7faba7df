// npm run readme-toc: rewrites the README's table of contents (between <!-- toc --> and <!-- /toc -->)
// from its ## and ### headings, with GitHub's anchors. test/repo/readme-toc.test.ts keeps it current.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TOC = /(<!-- toc -->\n)[\s\S]*?(\n?<!-- \/toc -->)/;

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to dashes. */
export function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The contents list of a Markdown document: ## and ### headings outside code fences, in order. */
export function tableOfContents(markdown: string): string {
  const lines: string[] = [];
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^(```|~~~)/.test(line)) fenced = !fenced;
    const m = !fenced && /^(#{2,3}) (.+)$/.exec(line);
    if (!m || m[2] === "Contents") continue;
    let a = anchor(m[2]);
    const n = seen.get(a) ?? 0;
    seen.set(a, n + 1);
    if (n > 0) a = `${a}-${n}`;
    lines.push(`${m[1].length === 3 ? "  " : ""}- [${m[2].replace(/`/g, "")}](#${a})`);
  }
  return lines.join("\n");
}

/** The table of contents the document holds now, or undefined without the markers. */
export function currentToc(markdown: string): string | undefined {
  return /<!-- toc -->\n([\s\S]*?)\n?<!-- \/toc -->/.exec(markdown)?.[1];
}

export function withToc(markdown: string): string {
  if (!TOC.test(markdown)) throw new Error("README.md has no <!-- toc --> … <!-- /toc --> markers");
  return markdown.replace(TOC, (_, open: string, close: string) => `${open}${tableOfContents(markdown)}\n${close.trimStart()}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(import.meta.dirname, "..", "README.md");
  writeFileSync(file, withToc(readFileSync(file, "utf8")));
}
