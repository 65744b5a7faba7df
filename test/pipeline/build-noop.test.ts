// The launcher's whole-build no-op (src/pipeline/upToDate.mjs): a build whose inputs and output
// folder are those of the last successful build says "up to date" without loading the engine;
// any changed input, a hand-edited, deleted or extra file in the tree, or a corrupt record runs the
// real build, and the tree is byte-identical either way.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { inputsDigest, noopOptions, recordPath } from "../../src/pipeline/upToDate.mjs";
import { runCli } from "../fixtures/command.js";
import { REPO } from "../fixtures/definitions.js";
import { readFiles } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "build-noop-"));
const records: string[] = [];
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const r of records) rmSync(r, { force: true });
});

const UP_TO_DATE = /is up to date \(\d+ files, env dev, \d+ ms\): inputs and files unchanged since the last build, nothing rebuilt/;
const BUILT = /^built env dev → /m;
const DASHBOARD = "grafana/provisioning/dashboards/services/svc-0001-overview.json";

/** A folder of two generated definitions and an output folder; the first build writes the record. */
async function setUp(name: string) {
  const defs = generateDashboards(join(tmp, `${name}-defs`), 2);
  const out = join(tmp, `${name}-out`);
  records.push(recordPath(out));
  const build = (...extra: string[]) => runCli("build", ["--dashboards", defs, "--out", out, "--lint", ...extra]);
  const first = await build();
  expect(first.stderr).toBe("");
  expect(first.stdout).toMatch(BUILT);
  return { defs, out, build, tree: readFiles(out) };
}

describe("the whole-build no-op", () => {
  it("answers an unchanged build and --check without building, and leaves the tree as it was", async () => {
    const { out, build, tree } = await setUp("same");
    const again = await build("--debug");
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(UP_TO_DATE);
    expect(again.stdout).not.toMatch(BUILT);
    // Nothing on stderr but --debug's own lines.
    expect(again.stderr.split("\n").filter((l) => l && !l.startsWith("debug: "))).toEqual([]);
    // What the build printed besides its summary (lint's verdict) is printed again.
    expect(again.stdout).toMatch(/^lint: /m);
    const check = await build("--check");
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(UP_TO_DATE);
    expect(readFiles(out)).toEqual(tree);
  });

  it("runs the build after a definition changed, and is a no-op again after it", async () => {
    const { defs, out, build, tree } = await setUp("edit");
    const file = join(defs, "svc-0001.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace('title: "svc-0001 overview"', 'title: "svc-0001 overview (edited)"'));
    const edited = await build();
    expect(edited.stdout).toMatch(BUILT);
    expect(edited.stdout).toMatch(/cache {8}1 dashboards reused, 1 built/);
    expect(readFiles(out)[DASHBOARD]).toContain("svc-0001 overview (edited)");
    expect((await build()).stdout).toMatch(UP_TO_DATE);
    // Back to the first source: the first tree again, byte for byte.
    writeFileSync(file, readFileSync(file, "utf8").replace(" (edited)", ""));
    expect((await build()).stdout).toMatch(BUILT);
    expect(readFiles(out)).toEqual(tree);
  });

  it("runs the build after an emitted file was edited by hand, deleted, or joined by another; --check names the difference", async () => {
    const { out, build, tree } = await setUp("tree");
    writeFileSync(join(out, DASHBOARD), tree[DASHBOARD].replace("svc-0001", "hand-edit"));
    const check = await build("--check", "--debug");
    expect(check.status).toBe(1);
    expect(check.stderr).toContain(`${DASHBOARD} differs from what the last build wrote`);
    expect(check.stderr).toMatch(new RegExp(`changed +${DASHBOARD.replace(/\./g, "\\.")}`));
    const edited = await build();
    expect(edited.stdout).toMatch(BUILT);
    expect(readFiles(out)).toEqual(tree);

    unlinkSync(join(out, DASHBOARD));
    expect((await build()).stdout).toMatch(BUILT);
    expect(readFiles(out)).toEqual(tree);

    writeFileSync(join(out, "grafana/notes.txt"), "mine\n");
    const foreign = await build();
    expect(foreign.stdout).toMatch(BUILT);
    expect(foreign.stderr).toContain("warning[foreign-file]");
    // A tree with a foreign file is not recorded: every build warns about it again.
    expect((await build()).stderr).toContain("warning[foreign-file]");
    // Without it, the tree is again the one the record describes.
    unlinkSync(join(out, "grafana/notes.txt"));
    expect((await build()).stdout).toMatch(UP_TO_DATE);
    expect(readFiles(out)).toEqual(tree);
  });

  it("knows unchanged output files by their stat after one no-op read them, and still sees a same-size edit that puts the mtime back", async () => {
    const { out, build, tree } = await setUp("stat");
    // Files clearly older than the no-op's record (its racily-clean rule): written an hour ago.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const p of Object.keys(tree)) utimesSync(join(out, p), hourAgo, hourAgo);
    const reads = (r: { stderr: string }) => Number(/output files read and hashed by the no-op check: (\d+)/.exec(r.stderr)?.[1]);
    const first = await build("--debug");
    expect(first.stdout).toMatch(UP_TO_DATE);
    expect(reads(first)).toBe(Object.keys(tree).length);
    const second = await build("--debug");
    expect(second.stdout).toMatch(UP_TO_DATE);
    expect(reads(second)).toBe(0);
    // A hand edit of the same size with the old mtime put back: the ctime still moved.
    writeFileSync(join(out, DASHBOARD), tree[DASHBOARD].replace("svc-0001", "svc-9999"));
    utimesSync(join(out, DASHBOARD), hourAgo, hourAgo);
    const edited = await build("--debug");
    expect(edited.stderr).toContain(`${DASHBOARD} differs from what the last build wrote`);
    expect(edited.stdout).toMatch(BUILT);
    expect(readFiles(out)).toEqual(tree);
  });

  it("runs the build when the record is corrupt, missing, or the options or environment differ", async () => {
    const { out, build, tree } = await setUp("record");
    writeFileSync(recordPath(out), '{"format": 1, "inputs": ');
    const corrupt = await build("--debug");
    expect(corrupt.stdout).toMatch(BUILT);
    expect(corrupt.stderr).toContain("the record of the last build is unreadable");
    expect(readFiles(out)).toEqual(tree);

    const record = JSON.parse(readFileSync(recordPath(out), "utf8"));
    writeFileSync(recordPath(out), JSON.stringify({ ...record, format: 0 }));
    expect((await build("--debug")).stderr).toContain("not one this version writes");

    rmSync(recordPath(out));
    expect((await build("--debug")).stderr).toContain("no record of an earlier build");

    // Options that change the output, and the engine's environment variables, are inputs.
    expect((await build("--no-lint", "--debug")).stderr).toContain("inputs changed");
    expect((await runCli("build", ["--dashboards", join(tmp, "record-defs"), "--out", out, "--lint", "--debug"], { GRAFANA_REFERENCE_SCHEMAS: join(tmp, "none") })).stderr).toContain("inputs changed");
    // --no-cache neither reads nor writes the record.
    expect((await build()).stdout).toMatch(BUILT);
    expect((await build("--no-cache")).stdout).toMatch(BUILT);
    expect((await build()).stdout).toMatch(UP_TO_DATE);
    expect(readFiles(out)).toEqual(tree);
  });
});

describe("the inputs' digest", () => {
  // A copy of what the build reads, so each kind of input can be edited without touching the repository.
  const root = join(tmp, "root");
  const copied = ["src", "config", "datasources", "dashboards", "alerts", "catalog", "scripts", "schemas", "docs/runbooks", "package.json", "package-lock.json", "tsconfig.json", "lint-exclusions.yaml"];
  mkdirSync(root, { recursive: true });
  for (const p of copied) if (existsSync(join(REPO, p))) cpSync(join(REPO, p), join(root, p), { recursive: true });
  const options = noopOptions([], root, root)!;
  const digestNow = () => inputsDigest({ root, options, env: {} });
  const base = digestNow();

  const firstFile = (dir: string, ext: string) => {
    const walk = (d: string): string | undefined => {
      for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = join(d, e.name);
        if (e.isDirectory()) {
          const f = walk(full);
          if (f) return f;
        } else if (e.name.endsWith(ext)) return full;
      }
      return undefined;
    };
    return walk(join(root, dir))!;
  };

  const kinds: [string, () => string][] = [
    ["a definition", () => firstFile("dashboards", ".ts")],
    ["the config", () => firstFile("config", ".ts")],
    ["the catalog", () => firstFile("catalog", ".ts")],
    ["the datasources", () => firstFile("datasources", ".ts")],
    ["an alert definition", () => firstFile("alerts", ".ts")],
    ["an alert runbook", () => firstFile("docs/runbooks", ".md")],
    ["the lint settings and exclusions", () => join(root, "lint-exclusions.yaml")],
    ["the lock file", () => join(root, "package-lock.json")],
    ["the package manifest", () => join(root, "package.json")],
    ["the engine's source", () => join(root, "src/pipeline/write.ts")],
    ["a bundled JSON Schema", () => firstFile("schemas", ".json")],
    ["the TypeScript settings", () => join(root, "tsconfig.json")],
  ];
  it.each(kinds)("changes with %s", (_kind, which) => {
    const file = which();
    expect(existsSync(file), file).toBe(true);
    const before = readFileSync(file);
    writeFileSync(file, Buffer.concat([before, Buffer.from("\n")]));
    try {
      expect(digestNow()).not.toBe(base);
    } finally {
      writeFileSync(file, before);
    }
    expect(digestNow()).toBe(base);
  });

  it("changes with the options that change the output and the engine's environment variables, not with --check or --debug", () => {
    const digest = (argv: string[], env: Record<string, string> = {}) => inputsDigest({ root, options: noopOptions(argv, root, root)!, env });
    expect(digest(["--check", "--debug"])).toBe(base);
    for (const argv of [["--env", "prod"], ["--out", "elsewhere"], ["--lint"], ["--no-lint"], ["--allow-empty"], ["--reference-schemas"], ["--dashboards", "alerts"]]) {
      expect(digest(argv), argv.join(" ")).not.toBe(base);
    }
    expect(digest([], { GRAFANA_REFERENCE_SCHEMAS: "/x" })).not.toBe(base);
    expect(digest([], { GRAFANA_AS_CODE_TEST_WRITE_PAUSE: "5" })).not.toBe(base);
    expect(digest([], { GRAFANA_AS_CODE_DEBUG: "1", HOME: "/elsewhere" })).toBe(base);
  });

  it("is not offered for commands it must not answer", () => {
    for (const argv of [["--watch"], ["--no-cache"], ["--help"], ["-h"], ["--bogus"], ["positional"]]) expect(noopOptions(argv, root, root), argv.join(" ")).toBeUndefined();
  });
});
