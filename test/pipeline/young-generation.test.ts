// The launcher caps a one-shot build's young generation (src/pipeline/youngGeneration.mjs): V8's
// doubling until the cap, then no growth; a semi-space flag given to node wins.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { growthFactor, SEMI_SPACE_CAP } from "../../src/pipeline/youngGeneration.mjs";
import { generateDashboards } from "../../bench/generate.js";
import { REPO } from "../fixtures/definitions.js";

const MiB = 1024 * 1024;
const tmp = mkdtempSync(join(tmpdir(), "young-generation-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("growthFactor", () => {
  it("doubles below half the cap, reaches the cap from above half, and stays at or past it", () => {
    expect(SEMI_SPACE_CAP).toBe(8 * MiB);
    expect(growthFactor(1 * MiB)).toBe(2);
    expect(growthFactor(4 * MiB)).toBe(2);
    expect(growthFactor(6 * MiB)).toBe(1); // 12 would pass the cap
    expect(growthFactor(8 * MiB)).toBe(1);
    expect(growthFactor(16 * MiB)).toBe(1);
    expect(growthFactor(0)).toBe(1);
  });
});

describe("the launcher", () => {
  it("holds the young generation of a build of 300 dashboards at the cap, where V8 alone doubles it; a flag given to node wins", () => {
    // Prints the new space's size (two semi-spaces) as the build's process ends.
    const hook = join(tmp, "new-space.mjs");
    writeFileSync(hook, 'import v8 from "node:v8";\nprocess.on("exit", () => process.stderr.write(`new space ${v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size}\\n`));\n');
    const defs = generateDashboards(join(tmp, "defs"), 300);
    const newSpace = (nodeArgs: string[], out: string) => {
      const r = spawnSync(process.execPath, [...nodeArgs, "--import", hook, join(REPO, "scripts/launch.mjs"), "--dashboards", defs, "--out", join(tmp, out), "--no-cache"], { cwd: REPO, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return Number(/new space (\d+)/.exec(r.stderr)?.[1]);
    };
    expect(newSpace([], "capped")).toBeLessThanOrEqual(2 * SEMI_SPACE_CAP);
    // V8's own growth, the launcher told to leave it: past the cap (what the cap is for).
    expect(newSpace(["--semi-space-growth-factor=2"], "uncapped")).toBeGreaterThan(2 * SEMI_SPACE_CAP);
    expect(newSpace(["--max-semi-space-size=2"], "given")).toBeLessThanOrEqual(2 * 2 * MiB);
  }, 180_000);
});

describe("the code cache under the cap", () => {
  // V8 checks cache data against the flags that differ from their defaults: a cache made while the
  // factor is steered to 1 must still be taken by a run that has not steered it yet, and the reverse.
  const YOUNG = pathToFileURL(join(REPO, "src/pipeline/youngGeneration.mjs")).href;
  const CODE_CACHE = pathToFileURL(join(REPO, "src/pipeline/codeCache.mjs")).href;
  const file = join(tmp, "vendor-y.cjs");
  writeFileSync(file, "module.exports = { twice: (n) => n * 2 };\n");
  /** Loads the file through the code cache, after growing the young generation to its cap when `capped`. */
  const load = (capped: boolean) => {
    const script = join(tmp, `load-${Math.random().toString(36).slice(2)}.mjs`);
    const steer = capped
      ? `capYoungGeneration(); const keep = []; for (let i = 0; i < 2e6 && !steerYoungGeneration(); i++) keep.push({ i }); if (!steerYoungGeneration()) throw new Error("the young generation never reached its cap");`
      : "";
    writeFileSync(script, `import { capYoungGeneration, steerYoungGeneration } from ${JSON.stringify(YOUNG)};\nimport { cacheUse, loadCommonJs } from ${JSON.stringify(CODE_CACHE)};\n${steer}\nconst m = loadCommonJs(${JSON.stringify(file)});\nconsole.log(JSON.stringify({ use: cacheUse.get(${JSON.stringify(file)}), twice: m.twice(21) }));\n`);
    const r = spawnSync(process.execPath, [script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { use: string; twice: number };
  };

  it("is made and taken whatever the factor is when the file loads", () => {
    expect(load(true)).toEqual({ use: "missing", twice: 42 }); // made at exit, factor steered to 1
    expect(load(false)).toEqual({ use: "accepted", twice: 42 });
    expect(load(true)).toEqual({ use: "accepted", twice: 42 });
  });
});
