// Definitions are formatted by prettier with the repository's settings (.prettierrc.json), so a pull
// request's diff shows what changed, not how someone wrapped a line; the importer writes the same style.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import prettier from "prettier";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../src/pipeline/collect.js";

const FOLDERS = ["dashboards", "alerts", "config", "catalog", "datasources"];
/** Longer lines hide a change in a diff: text goes into named constants or concatenated parts. */
const MAX_LINE = 200;

/** "file:line (length)" of every line longer than MAX_LINE characters. */
function longLines(file: string, text: string): string[] {
  return text.split("\n").flatMap((line, i) => (line.length > MAX_LINE ? [`${file}:${i + 1} (${line.length})`] : []));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : name.endsWith(".ts") ? [full] : [];
  });
}

describe("definition sources", () => {
  it("are formatted as prettier formats them with the repository's settings", async () => {
    const unformatted: string[] = [];
    for (const file of FOLDERS.flatMap((f) => tsFiles(join(REPO_ROOT, f)))) {
      const options = { ...((await prettier.resolveConfig(file)) ?? {}), filepath: file };
      if (!(await prettier.check(readFileSync(file, "utf8"), options))) unformatted.push(relative(REPO_ROOT, file));
    }
    expect(unformatted, "run: npx prettier --write " + FOLDERS.join(" ")).toEqual([]);
  });

  it(`have no line longer than ${MAX_LINE} characters`, () => {
    const long = FOLDERS.flatMap((f) => tsFiles(join(REPO_ROOT, f))).flatMap((file) =>
      longLines(relative(REPO_ROOT, file), readFileSync(file, "utf8")),
    );
    expect(long).toEqual([]);
  });

  it("the line check names a line over the limit and passes one at it", () => {
    const text = `const a = 1;\n${"x".repeat(MAX_LINE)}\n${"y".repeat(MAX_LINE + 1)}\n`;
    expect(longLines("f.ts", text)).toEqual([`f.ts:3 (${MAX_LINE + 1})`]);
  });

  it("the check notices a file prettier would change", async () => {
    const file = join(REPO_ROOT, "dashboards/example.ts");
    const options = { ...((await prettier.resolveConfig(file)) ?? {}), filepath: file };
    expect(await prettier.check("export const x = {a:1,\n\n\n b:2}\n", options)).toBe(false);
  });
});
