// The README's example of a backend using build/ops/dashboards.json runs as written: imported by the
// package's name (its "exports"), against the committed index, it prints the URL the README shows.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../src/pipeline/collect.js";

// Inside the package, so that "grafana-as-code/ops" resolves through package.json's exports.
const scratch = mkdtempSync(join(REPO_ROOT, "test", ".readme-example-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function example(): { code: string; shown: string } {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Deep links for the Ops UI"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)![1];
  return { code, shown: /\/\/ → (\S+)/.exec(code)![1] };
}

describe("README: a backend using the Ops index", () => {
  it("runs against build/ops/dashboards.json and gives the URL it shows", () => {
    const { code, shown } = example();
    expect(code).toContain('from "grafana-as-code/ops"');
    const file = join(scratch, "backend.ts");
    // The example's one free name: when the alert fired.
    writeFileSync(file, `const firedAt = new Date(Date.UTC(2026, 0, 1, 12));\n${code}\nconsole.log(url);\n`);
    const url = execFileSync(process.execPath, ["--import", "tsx", file], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const firedAt = Date.UTC(2026, 0, 1, 12);
    expect(url).toBe(shown.replace("from=…&to=…", `from=${firedAt - 3_600_000}&to=${firedAt}`));
  });
});
