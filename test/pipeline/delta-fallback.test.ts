// When a delta bundle must not be made (src/pipeline/deltaBundle.mjs): a change anywhere outside the
// definitions folder and dashboards/ (the engine, config, catalog, alerts, a package) or to a file
// the definitions import from outside that area is only right in a full bundle, so makeDelta
// answers "none" and the launcher makes one. These are checked on a bundle folder of its own,
// with the base's sidecars written as the launcher writes them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundlePath, writeSidecar } from "../../src/pipeline/bundleCache.mjs";
import { makeDelta, rememberBase, splitSources } from "../../src/pipeline/deltaBundle.mjs";

const tmp = mkdtempSync(join(tmpdir(), "delta-fallback-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A repository root with definitions a.ts and b.ts (b imports lib/shared.ts, outside the area), and a base bundle over them. */
function setUp() {
  const root = join(tmp, `repo-${n++}`);
  const dashboardsDir = join(root, "defs");
  const dir = join(root, "bundles");
  for (const d of [dashboardsDir, join(root, "lib"), dir]) mkdirSync(d, { recursive: true });
  const a = join(dashboardsDir, "a.ts");
  const b = join(dashboardsDir, "b.ts");
  const shared = join(root, "lib", "shared.ts");
  writeFileSync(a, "export default {};\n");
  writeFileSync(b, 'import "../lib/shared.ts";\nexport default {};\n');
  writeFileSync(shared, "export const X = 1;\n");
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "fixture", dependencies: { zod: "*" } }));
  const key = `${root}\0${dashboardsDir}`;
  const files = new Map([
    [a, "a1"],
    [b, "b1"],
    [shared, "s1"],
    [join(root, "config", "base.yaml"), "c1"],
  ]);
  const base = bundlePath("ba5e0001", dir);
  writeFileSync(base, "/* base */\n");
  const rel = (f: string) => relative(root, f);
  writeSidecar(
    base,
    "meta.json",
    JSON.stringify({
      inputs: {
        [rel(a)]: { imports: [] },
        [rel(b)]: { imports: [{ path: rel(shared) }] },
        [rel(shared)]: { imports: [] },
      },
    }),
  );
  writeSidecar(base, "vendor.json", JSON.stringify({ specifiers: [] }));
  const split = (f: Map<string, string>, tool = "tool1") =>
    splitSources(f, { root, dashboardsDir, tool, lock: "lock1" });
  rememberBase(base, key, () => split(files), dir);
  const delta = (changed: Map<string, string>, tool?: string) =>
    makeDelta({ root, dashboardsDir, digest: "0e770001", key, split: split(changed, tool), dir });
  return { files, a, shared, delta, config: join(root, "config", "base.yaml") };
}

const changed = (files: Map<string, string>, file: string, digest: string) => new Map([...files, [file, digest]]);

describe("a delta bundle", () => {
  it("is made over the same base for a change to one definition alone (the set-up allows one)", async () => {
    const s = setUp();
    const made = await s.delta(changed(s.files, s.a, "a2"));
    expect(made && "made" in made && made.made).toBe(true);
    expect(made && "definitions" in made ? made.definitions : undefined).toEqual([s.a]);
  });
});

describe("a delta bundle is not made", () => {
  it("when nothing in the definitions' area changed but a file elsewhere did (config)", async () => {
    const s = setUp();
    expect(await s.delta(changed(s.files, s.config, "c2"))).toBeUndefined();
  });

  it("when the engine changed, even if a definition changed too", async () => {
    const s = setUp();
    expect(await s.delta(changed(s.files, s.a, "a2"), "tool2")).toBeUndefined();
  });

  it("when a definition changed together with a file outside the area", async () => {
    const s = setUp();
    expect(await s.delta(changed(changed(s.files, s.a, "a2"), s.config, "c2"))).toBeUndefined();
  });

  it("when a module the definitions import from outside the area changed", async () => {
    const s = setUp();
    expect(await s.delta(changed(s.files, s.shared, "s2"))).toBeUndefined();
  });

  it("when nothing changed since the base", async () => {
    const s = setUp();
    expect(await s.delta(s.files)).toBeUndefined();
  });
});
