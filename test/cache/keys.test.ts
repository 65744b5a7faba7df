// The launcher digests the engine from the same reads as the bundle's sources; the build cache's
// keys take that digest instead of reading src/ again, so the two must agree exactly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FileDigests } from "../../src/cache/hash.js";
import { launcherFileDigests, metafilePaths, toolDigest, toolDigestOfFiles } from "../../src/cache/keys.js";
import { sourcesDigest, sourcesDigests } from "../../src/pipeline/bundleCache.mjs";
import { REPO_ROOT } from "../../src/repoRoot.mjs";

const tmp = mkdtempSync(join(tmpdir(), "cache-keys-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FROM_LAUNCHER = Symbol.for("grafana-as-code.toolDigest");
const DIGESTS_FROM_LAUNCHER = Symbol.for("grafana-as-code.sourceDigests");
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[FROM_LAUNCHER];
  delete (globalThis as Record<symbol, unknown>)[DIGESTS_FROM_LAUNCHER];
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmp, "p-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const BASE = {
  "package.json": '{"name":"x"}',
  "package-lock.json": "{}",
  "src/a.ts": "export const a = 1;",
  "src/z/b.ts": "export const b = 2;",
  "src/presets/p.ts": "export const p = 3;",
  "src/.hidden": "ignored",
  "dashboards/d.ts": "export default 1;",
};

describe("the engine's digest", () => {
  it("is the same from the launcher's reads as from the files, in this repository", () => {
    const both = sourcesDigests(REPO_ROOT, join(REPO_ROOT, "dashboards"));
    expect(both.tool).toBe(toolDigestOfFiles(REPO_ROOT, new FileDigests()));
    expect(both.bundle).toBe(sourcesDigest(REPO_ROOT, join(REPO_ROOT, "dashboards"))); // the floor's launcher digests only the bundle
  });

  it("is the same both ways on a small tree, and changes with src/ and package.json but not with presets or definitions", () => {
    const root = project(BASE);
    const now = () => {
      const fromLauncher = sourcesDigests(root, join(root, "dashboards")).tool;
      expect(fromLauncher).toBe(toolDigestOfFiles(root, new FileDigests()));
      return fromLauncher;
    };
    const base = now();
    const changed = (path: string, text: string | null) => {
      if (text === null) rmSync(join(root, path));
      else writeFileSync(join(root, path), text);
      const d = now();
      if (text === null) writeFileSync(join(root, path), BASE[path as keyof typeof BASE]);
      else if (path in BASE) writeFileSync(join(root, path), BASE[path as keyof typeof BASE]);
      else rmSync(join(root, path));
      expect(now()).toBe(base);
      return d;
    };
    expect(changed("src/z/b.ts", "export const b = 3;")).not.toBe(base);
    expect(changed("src/c.ts", "")).not.toBe(base);
    expect(changed("package.json", '{"name":"y"}')).not.toBe(base);
    expect(changed("package.json", null)).not.toBe(base);
    expect(changed("src/presets/p.ts", "export const p = 4;")).toBe(base);
    expect(changed("dashboards/d.ts", "export default 2;")).toBe(base);
    expect(changed("src/.hidden", "changed")).toBe(base);
  });

  it("is taken from the launcher for its own project only", () => {
    const root = project(BASE);
    const fromFiles = toolDigestOfFiles(root, new FileDigests());
    (globalThis as Record<symbol, unknown>)[FROM_LAUNCHER] = { root, digest: "from-launcher" };
    expect(toolDigest(root, new FileDigests())).toBe("from-launcher");
    expect(toolDigest(REPO_ROOT, new FileDigests())).toBe(toolDigestOfFiles(REPO_ROOT, new FileDigests()));
    delete (globalThis as Record<symbol, unknown>)[FROM_LAUNCHER];
    expect(toolDigest(root, new FileDigests())).toBe(fromFiles);
  });
});

describe("the source files' digests", () => {
  it("are the launcher's, file by file, the ones FileDigests makes from the files (in this repository and a definitions folder elsewhere)", () => {
    const elsewhere = project({ "defs/a.ts": "export default 1;", "defs/sub/b.ts": "export const b = 'é';" });
    for (const [root, defs] of [[REPO_ROOT, join(REPO_ROOT, "dashboards")], [REPO_ROOT, join(elsewhere, "defs")]]) {
      const files = new Map<string, string>();
      sourcesDigests(root, defs, { files });
      expect(files.size).toBeGreaterThan(2);
      const read = new FileDigests();
      for (const [path, d] of files) expect(d, path).toBe(read.of(path));
    }
  });

  it("are taken from the launcher for its own project only, as a copy", () => {
    const root = project(BASE);
    const given = new Map([[join(root, "src/a.ts"), "from-launcher"]]);
    (globalThis as Record<symbol, unknown>)[DIGESTS_FROM_LAUNCHER] = { root, digests: given };
    const taken = launcherFileDigests(root)!;
    expect(new FileDigests(taken).of(join(root, "src/a.ts"))).toBe("from-launcher");
    expect(new FileDigests(taken).of(join(root, "src/z/b.ts"))).toBe(new FileDigests().of(join(root, "src/z/b.ts")));
    expect(given.size).toBe(1); // the launcher's map is left as it was
    expect(launcherFileDigests(REPO_ROOT)).toBeUndefined();
  });
});

describe("metafilePaths", () => {
  it("resolves a metafile's paths as path.resolve does, whatever their form", () => {
    const paths = ["src/a.ts", "dashboards/sub/é x.ts", "../defs/a.ts", "../../tmp/d/b.ts", "./a.ts", "a//b.ts", "a/./b.ts", "a/../b.ts", "a/b/", "", ".", "..", "/abs/x.ts", "a/b/../../../c.ts"];
    for (const root of [REPO_ROOT, "/", "/tmp/x/", "/tmp/x"]) {
      const absolute = metafilePaths(root);
      for (const p of paths) expect(absolute(p), `${root} ${p}`).toBe(resolve(root, p));
      for (const p of paths) expect(absolute(p)).toBe(resolve(root, p)); // answered again from what it worked out
    }
  });
});
