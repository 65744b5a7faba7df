// Imports run one way (src/model/layers.ts): base ← analysis ← engine ← tools ← commands, no tool
// imports another tool, src/ never imports the repository's content, and no file in src/ grows past
// 400 lines. The checker is proven on small synthetic sources first, then run on src/.
import { describe, expect, it } from "vitest";
import { checkSources, formatViolation, MAX_LINES } from "../../src/model/layers.js";
import { REPO } from "../fixtures/definitions.js";
import { readSources, sourceFile } from "./sources.js";

/**
 * TEMPORARY: files being split right now (push into a scheduler and planners, import's generator and
 * SDK model). The size check skips exactly these until that work is merged; then delete this list.
 */
const SPLIT_IN_PROGRESS = new Set(["src/import/generate.ts", "src/import/sdkModel.ts"]);

const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const x${i} = ${i};`).join("\n") + "\n";
const check = (path: string, source: string, exempt?: Set<string>) => checkSources([sourceFile(path, source)], exempt).map(formatViolation);

describe("the layering checker", () => {
  it("refuses an upward import, naming file, line and import", () => {
    expect(check("src/validate/x.ts", 'import { a } from "../lint/index.js";\n')).toEqual([
      'src/validate/x.ts:1 import "../lint/index.js": validate (engine) imports lint (tools): imports run downward',
    ]);
    expect(check("src/model/x.ts", '\nimport type { P } from "../pipeline/index.js";\n')).toEqual([
      'src/model/x.ts:2 import "../pipeline/index.js": model (base) imports pipeline (engine): imports run downward',
    ]);
    expect(check("src/query/x.ts", 'export { a } from "../alerting/model.js";\n')[0]).toContain("query (analysis) imports alerting (engine)");
    expect(check("src/errors.ts", 'const m = await import("./lint/index.js");\n')[0]).toContain("errors (base) imports lint (tools)");
  });

  it("refuses a tool importing another tool, but lets a tool use the engine and a command use tools", () => {
    expect(check("src/lint/x.ts", 'import { p } from "../push/load.js";\n')).toEqual([
      'src/lint/x.ts:1 import "../push/load.js": tool lint imports tool push: a tool never imports another tool',
    ]);
    expect(check("src/lint/x.ts", 'import { v } from "../validate/a.js";\nimport { q } from "../query/b.js";\nimport { m } from "../model/c.js";\n')).toEqual([]);
    expect(check("src/commands/x.ts", 'import { l } from "../lint/index.js";\nimport { p } from "../pipeline/index.js";\n')).toEqual([]);
  });

  it("refuses src importing repository content, statically, as a type or dynamically", () => {
    for (const [path, source] of [
      ["src/pipeline/x.ts", 'import { loadConfig } from "../../config/index.js";\n'],
      ["src/lint/rules/x.ts", 'import type { MetricDef } from "../../../catalog/types.js";\n'],
      ["src/import/x.ts", 'const { loadConfig } = await import("../../config/index.js");\n'],
      ["src/model/x.ts", 'export * from "../../datasources/index.js";\n'],
      ["src/presets/x.ts", 'import "../../dashboards/_shared/promql.js";\n'],
      ["src/errors.ts", 'import { a } from "../alerts/api.js";\n'],
    ]) {
      const found = check(path, source);
      expect(found, path).toHaveLength(1);
      expect(found[0]).toMatch(/imports repository content \((config|catalog|datasources|dashboards|alerts)\/\)/);
    }
  });

  it("refuses a file over the size limit unless it is exempt", () => {
    expect(check("src/diff/big.ts", lines(MAX_LINES))).toEqual([]);
    expect(check("src/diff/big.ts", lines(MAX_LINES + 1))).toEqual([`src/diff/big.ts: ${MAX_LINES + 1} lines (at most ${MAX_LINES}); split it into files named for what they hold`]);
    expect(check("src/diff/big.ts", lines(MAX_LINES + 1), new Set(["src/diff/big.ts"]))).toEqual([]);
  });

  it("names an area without a layer, and ignores package imports and imports within an area", () => {
    expect(check("src/newtool/x.ts", 'import { a } from "../model/b.js";\n')).toEqual([
      'src/newtool/x.ts:1 import "../model/b.js": src/newtool has no layer in src/model/layers.ts',
    ]);
    expect(check("src/emit/x.ts", 'import { parse } from "yaml";\nimport { a } from "./stable.js";\nimport "node:fs";\n')).toEqual([]);
  });
});

describe("src/", () => {
  const files = readSources(REPO);

  it("reads every source file and its imports", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.find((f) => f.path === "src/commands/build.ts")?.imports.map((i) => i.specifier)).toContain("../pipeline/index.js");
  });

  it("imports run one way, no tool imports another, content stays out, files stay small", () => {
    expect(checkSources(files, SPLIT_IN_PROGRESS).map(formatViolation)).toEqual([]);
  });

  it("the temporary size exemptions name files that exist and are still too big", () => {
    for (const path of SPLIT_IN_PROGRESS) {
      const f = files.find((x) => x.path === path);
      if (!f) continue; // already split and removed: delete it from the list
      expect(f.source.split("\n").length, `${path} is small now: remove it from SPLIT_IN_PROGRESS`).toBeGreaterThan(MAX_LINES);
    }
  });
});
