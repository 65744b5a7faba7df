// Definition files that cannot be loaded, through both ways the build loads them (the bundling
// launcher, and the TypeScript loader that --watch and GRAFANA_AS_CODE_NO_BUNDLE=1 use): one located
// message per problem, the same on both paths, exit 1, no stack, nothing written.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUNDLE_DIR } from "../../src/pipeline/bundleCache.mjs";
import { expectNoStack, runCli, type CommandResult } from "../fixtures/command.js";
import { IMPORTS, definitionsDir, validDashboard } from "../fixtures/definitions.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The 1-based line a definition body's first line lands on (after the fixture's import lines). */
const BODY_LINE = IMPORTS.split("\n").length;

function defs(files: Record<string, string | Buffer>): string {
  const dir = definitionsDir(Object.fromEntries(Object.entries(files).filter(([, v]) => typeof v === "string")) as Record<string, string>);
  for (const [name, body] of Object.entries(files)) if (Buffer.isBuffer(body)) writeFileSync(join(dir, name), body);
  dirs.push(dir);
  return dir;
}

/** Builds `dir` through both paths; both must fail the same way, writing nothing. */
async function failBothWays(dir: string): Promise<string> {
  const results: CommandResult[] = [];
  for (const env of [{}, { GRAFANA_AS_CODE_NO_BUNDLE: "1" }]) {
    const out = join(mkdtempSync(join(tmpdir(), "loader-out-")), "build");
    dirs.push(join(out, ".."));
    const r = await runCli("build", ["--dashboards", dir, "--out", out], env);
    expect(r.status, r.stderr).toBe(1);
    expectNoStack(r);
    expect(r.stderr).toMatch(/build failed: \d+ problem\(s\); nothing was written/);
    expect(existsSync(out), "a failed build writes nothing").toBe(false);
    expect(existsSync(BUNDLE_DIR) ? readdirSync(BUNDLE_DIR).filter((f) => f.endsWith(`.${r.pid}.tmp`)) : [], "no half-made bundle is left behind").toEqual([]);
    results.push(r);
  }
  expect(results[1].stderr, "the loader path reports what the bundling launcher reports").toBe(results[0].stderr);
  return results[0].stderr;
}

const errorLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("error["));

describe("a definition that cannot be loaded", () => {
  it("throws while loading: the file and the line of the throw, the other definitions unaffected", async () => {
    const dir = defs({ "good.ts": validDashboard("good-one"), "bad.ts": `throw new Error("exploded at load");\n${validDashboard("bad-one")}` });
    const stderr = await failBothWays(dir);
    expect(errorLines(stderr)).toEqual([`error[definition-load] ${dir}/bad.ts:${BODY_LINE}: exploded at load`]);
  });

  it("imports a helper that throws: the definition's import line and where the helper threw", async () => {
    const dir = defs({ "_lib.ts": 'export const x = 1;\nthrow new TypeError("helper broke");\n', "bad.ts": `import { x } from "./_lib.ts";\nconsole.log(x);\n${validDashboard("bad-one")}` });
    // The helper is written without the fixture's import lines.
    writeFileSync(join(dir, "_lib.ts"), 'export const x = 1;\nthrow new TypeError("helper broke");\n');
    const stderr = await failBothWays(dir);
    expect(errorLines(stderr)).toEqual([`error[definition-load] ${dir}/bad.ts:${BODY_LINE}: helper broke (thrown at ${dir}/_lib.ts:2)`]);
  });

  it("has a syntax error: one line with file, line and column, no bundler dump", async () => {
    const dir = defs({ "bad.ts": `const x = ;\n${validDashboard("bad-one")}` });
    const stderr = await failBothWays(dir);
    expect(errorLines(stderr)).toEqual([`error[syntax] ${dir}/bad.ts:${BODY_LINE}:11: Unexpected ";"`]);
    expect(stderr).not.toMatch(/╵|\^|✘/);
  });

  it("imports a file that does not exist: located", async () => {
    const dir = defs({ "bad.ts": `import { y } from "./missing.ts";\nconsole.log(y);\n${validDashboard("bad-one")}` });
    const stderr = await failBothWays(dir);
    expect(errorLines(stderr)).toEqual([`error[unresolved-import] ${dir}/bad.ts:${BODY_LINE}:19: Could not resolve "./missing.ts"`]);
  });

  it("is in an import cycle with another definition: both files named", async () => {
    const dir = defs({
      "a.ts": `import { t } from "./b.ts";\nexport const title = "A" + t;\n${validDashboard("a-one")}`,
      "b.ts": `import { title } from "./a.ts";\nexport const t = title + "!";\n${validDashboard("b-one")}`,
    });
    const stderr = await failBothWays(dir);
    const lines = errorLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error\[import-cycle\] /);
    expect(lines[0]).toContain(`${dir}/a.ts, ${dir}/b.ts`);
  });

  it("has bytes that are not UTF-8: the file and the byte offset", async () => {
    const head = Buffer.from("// caf");
    const dir = defs({ "good.ts": validDashboard("good-one"), "bad.ts": Buffer.concat([head, Buffer.from([0xe9]), Buffer.from(`\n${IMPORTS}${validDashboard("bad-one")}`)]) });
    const stderr = await failBothWays(dir);
    expect(errorLines(stderr)).toEqual([`error[invalid-utf8] ${dir}/bad.ts: byte offset ${head.length} is not valid UTF-8 (save the file as UTF-8)`]);
  });

  it("a helper (not a definition) with an overlong UTF-8 sequence, and any other file of the folder, are found too", async () => {
    const dir = defs({
      "good.ts": validDashboard("good-one"),
      "_notes.ts": Buffer.from([0x2f, 0x2f, 0x20, 0xc0, 0xaf, 0x0a]),
      "notes.md": Buffer.from("Caf\xe9 notes\n", "latin1"),
    });
    const stderr = await failBothWays(dir);
    expect(errorLines(stderr)).toEqual([
      `error[invalid-utf8] ${dir}/_notes.ts: byte offset 3 is not valid UTF-8 (save the file as UTF-8)`,
      `error[invalid-utf8] ${dir}/notes.md: byte offset 3 is not valid UTF-8 (save the file as UTF-8)`,
    ]);
  });
});

describe("the same definitions, loadable", () => {
  it("build on both paths (the checks do not reject a valid tree)", async () => {
    const dir = defs({ "good.ts": validDashboard("good-one") });
    for (const env of [{}, { GRAFANA_AS_CODE_NO_BUNDLE: "1" }]) {
      const out = join(mkdtempSync(join(tmpdir(), "loader-out-")), "build");
      dirs.push(join(out, ".."));
      const r = await runCli("build", ["--dashboards", dir, "--out", out], env);
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(join(out, "grafana/provisioning/dashboards/services/good-one.json"))).toBe(true);
    }
  });
});

