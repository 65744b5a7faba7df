// Definitions are formatted by prettier with the repository's settings (.prettierrc.json), so a pull
// request's diff shows what changed, not how someone wrapped a line; the importer writes the same style.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import prettier from "prettier";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../src/pipeline/collect.js";

const FOLDERS = ["dashboards", "alerts", "config", "catalog", "datasources"];

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

  it("the check notices a file prettier would change", async () => {
    const file = join(REPO_ROOT, "dashboards/example.ts");
    const options = { ...((await prettier.resolveConfig(file)) ?? {}), filepath: file };
    expect(await prettier.check("export const x = {a:1,\n\n\n b:2}\n", options)).toBe(false);
  });
});
