// The vendor's packages are loaded at first use (src/pipeline/vendor.mjs): a build whose dashboards,
// alerting and lint findings all come from the build cache loads neither the Foundation SDK nor the
// query parsers, and builds the same tree as one that loads them.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleVendor, loadedPackages, loadVendor, VENDOR_GLOBAL } from "../../src/pipeline/vendor.mjs";
import { runCli } from "../fixtures/command.js";
import { REPO, definitionsDir, validDashboard } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "vendor-lazy-"));
const planted: string[] = [];
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  for (const f of planted) rmSync(f, { recursive: true, force: true });
});

/** Every file of a tree, path → text, sorted. */
function tree(dir: string): [string, string][] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e): [string, string] => [join(e.parentPath, e.name).slice(dir.length), readFileSync(join(e.parentPath, e.name), "utf8")])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

/** The packages a build with --debug says it loaded. */
function packagesLoaded(stderr: string): string[] {
  const line = /^debug: packages loaded: (.*)$/m.exec(stderr);
  expect(line, stderr).not.toBeNull();
  return line![1] === "none" ? [] : line![1].split(", ");
}

const isSdk = (p: string) => p.includes("grafana-foundation-sdk");
const isParser = (p: string) => p.includes("lezer");

describe("the vendor's packages at first use", () => {
  it("a build served by the build cache loads neither the SDK nor the parsers, and writes the same tree", async () => {
    const defs = definitionsDir({ "one.ts": validDashboard("lazy-one"), "two.ts": validDashboard("lazy-two", 'sum(rate(http_requests_total{job=~"$job", status="500"}[$__rate_interval]))') });
    planted.push(defs);
    const out = (name: string) => join(tmp, name, "build");
    const build = (name: string, ...flags: string[]) => runCli("build", ["--dashboards", defs, "--out", out(name), "--debug", ...flags]);

    const cold = await build("cold", "--no-cache");
    expect(cold.status, cold.stderr).toBe(0);
    const all = packagesLoaded(cold.stderr);
    expect(all.filter(isSdk).length, "a build that builds a dashboard loads the SDK").toBeGreaterThan(0);
    expect(all.filter(isParser).length, "and the parsers, to check its queries").toBe(3);

    const first = await build("first"); // fills the cache for these definitions
    expect(first.status, first.stderr).toBe(0);
    const warm = await build("warm");
    expect(warm.status, warm.stderr).toBe(0);
    expect(warm.stdout).toContain("2 dashboards reused, 0 built");
    const loaded = packagesLoaded(warm.stderr);
    expect(loaded.filter((p) => isSdk(p) || isParser(p)), warm.stdout).toEqual([]);
    expect(tree(out("warm"))).toEqual(tree(out("cold")));
    expect(tree(out("first"))).toEqual(tree(out("cold")));
  });
});

describe("a package before it is loaded", () => {
  it("shows its names, enumerability and __esModule without loading; the first read of a value loads its file, and only that one", async () => {
    const dir = join(tmp, "vendor");
    mkdirSync(dir);
    const bundle = join(dir, "0000000000000000.js");
    const index = join(dir, "vendor-00000000000000ee.json");
    const specifiers = ["zod", "yaml", "@grafana/grafana-foundation-sdk/units"];
    await bundleVendor(REPO, new Set(specifiers), index);
    writeFileSync(bundle.replace(/\.js$/, ".vendor.json"), JSON.stringify({ file: "vendor-00000000000000ee.json", specifiers }));
    await loadVendor(REPO, bundle);
    const vendor = (globalThis as Record<symbol, Record<string, Record<string, unknown>>>)[Symbol.for(VENDOR_GLOBAL)];
    const record = JSON.parse(readFileSync(index, "utf8")) as { specifiers: Record<string, { names: Record<string, number> }> };

    const zod = vendor.zod;
    expect(Object.keys(zod), "in the package's own order").toEqual(Object.keys(record.specifiers.zod.names));
    expect(zod.__esModule).toBe(true);
    expect("z" in zod).toBe(true);
    expect("notAnExport" in zod).toBe(false);
    expect(Object.getOwnPropertyDescriptor(zod, "z")?.enumerable).toBe(true);
    expect(Object.getOwnPropertyDescriptor(zod, "__esModule")?.enumerable).toBe(false);
    expect(vendor.yaml.__esModule, "yaml does not mark itself an ES module").toBeUndefined();
    expect(loadedPackages(), "nothing loaded yet").toEqual([]);

    const z = zod.z as { string: () => { parse: (v: unknown) => unknown } };
    expect(z.string().parse("ok")).toBe("ok");
    expect(loadedPackages(), "zod's file alone").toEqual(["zod"]);
    expect(zod.z, "the same value at every read").toBe(z);

    expect(typeof (vendor.yaml.parse as unknown)).toBe("function");
    expect(loadedPackages()).toEqual(["yaml", "zod"]);
    expect((vendor["@grafana/grafana-foundation-sdk/units"] as Record<string, unknown>).Seconds).toBe("s");
    expect(loadedPackages()).toEqual(["@grafana/grafana-foundation-sdk/units", "yaml", "zod"]);
  });
});
