// The launcher runs a one-shot build's full collections whole (--no-incremental-marking): no
// marking steps spread over the build; an incremental-marking flag given to node wins.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { REPO } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "old-generation-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the launcher", () => {
  it("collects the old generation of a build of 300 dashboards without incremental marking; a flag given to node wins", () => {
    const defs = generateDashboards(join(tmp, "defs"), 300);
    /** The full collections V8 reports (--trace-gc) during a build. */
    const fullCollections = (nodeArgs: string[], out: string) => {
      const r = spawnSync(process.execPath, [...nodeArgs, "--trace-gc", join(REPO, "scripts/launch.mjs"), "--dashboards", defs, "--out", join(tmp, out), "--no-cache"], { cwd: REPO, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split("\n").filter((line) => line.includes("Mark-Compact"));
    };
    const whole = fullCollections([], "whole");
    expect(whole.length).toBeGreaterThan(0);
    for (const line of whole) expect(line).not.toMatch(/since start of marking/);
    // V8's default, given on the command line: the same build marks step by step.
    const given = fullCollections(["--incremental-marking"], "given");
    expect(given.some((line) => /since start of marking/.test(line))).toBe(true);
  }, 180_000);
});
