// The README's table of contents lists every ## and ### heading, in order, with GitHub's anchors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { anchor, currentToc, tableOfContents, withToc } from "../../scripts/readme-toc.js";

const README = readFileSync(join(import.meta.dirname, "../..", "README.md"), "utf8");

describe("README table of contents", () => {
  it("anchors as GitHub does and skips headings in code", () => {
    expect(anchor("Reviewing a change: `npm run diff`")).toBe("reviewing-a-change-npm-run-diff");
    expect(anchor("Many Grafanas: `--targets`")).toBe("many-grafanas---targets");
    expect(tableOfContents("## A\n```\n## not a heading\n```\n### B b\n## A\n")).toBe("- [A](#a)\n  - [B b](#b-b)\n- [A](#a-1)");
    expect(currentToc(withToc("## Contents\n<!-- toc -->\nold\n<!-- /toc -->\n## X\n"))).toBe("- [X](#x)");
  });

  it("lists every section of README.md (npm run readme-toc rewrites it)", () => {
    expect(currentToc(README), "README.md needs a <!-- toc --> … <!-- /toc --> block").toBeDefined();
    expect(currentToc(README), "README.md's table of contents is stale: run npm run readme-toc").toBe(tableOfContents(README));
  });
});
