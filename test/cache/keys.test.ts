// The launcher digests the engine from the same reads as the bundle's sources; the build cache's
// keys take that digest instead of reading src/ again, so the two must agree exactly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FileDigests } from "../../src/cache/hash.js";
import { toolDigest, toolDigestOfFiles } from "../../src/cache/keys.js";
import { sourcesDigest, sourcesDigests } from "../../src/pipeline/bundleCache.mjs";
import { REPO_ROOT } from "../../src/repoRoot.mjs";

const tmp = mkdtempSync(join(tmpdir(), "cache-keys-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FROM_LAUNCHER = Symbol.for("grafana-as-code.toolDigest");
afterEach(() => void delete (globalThis as Record<symbol, unknown>)[FROM_LAUNCHER]);

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
