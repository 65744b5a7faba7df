// A new user's first command is `npm ci`: it refuses a lock file that does not match package.json
// (including optional platform packages of transitive dependencies), and every dependency must run on
// the Node versions package.json promises.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));

/** Lowest major of a ">=N" engines range (the only form package.json uses). */
function minMajor(range: string): number {
  const m = /^>=\s*(\d+)/.exec(range.trim());
  if (!m) throw new Error(`unsupported engines range ${range}`);
  return Number(m[1]);
}

/** Does a `node` engines range from a dependency admit the given major (>=, ^, ||, x-ranges)? */
function admitsMajor(range: string, major: number): boolean {
  return range.split("||").some((alt) => {
    const parts = alt.trim().replace(/([<>=^~]+)\s+/g, "$1").split(/\s+/).filter(Boolean);
    if (parts.length === 0 || parts[0] === "*") return true;
    return parts.every((p) => {
      const m = /^(>=|>|<=|<|\^|~|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(p);
      if (!m) return true;
      const [, op = "=", maj] = m;
      const v = Number(maj);
      switch (op) {
        case ">=": return major >= v;
        case ">": return major > v || (major === v && m[3] !== undefined);
        case "<": return major < v;
        case "<=": return major <= v;
        default: return major === v;
      }
    });
  });
}

describe("a fresh clone", () => {
  it("npm ci accepts package.json with the committed lock file", () => {
    const dir = mkdtempSync(join(tmpdir(), "gac-ci-"));
    try {
      copyFileSync(join(ROOT, "package.json"), join(dir, "package.json"));
      copyFileSync(join(ROOT, "package-lock.json"), join(dir, "package-lock.json"));
      // --offline: the lock/package.json agreement is decided from the two files alone.
      const r = spawnSync("npm", ["ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund", "--offline"], {
        cwd: dir,
        encoding: "utf8",
      });
      const missing = (r.stdout + r.stderr).split("\n").filter((l) => /Missing|Invalid|EUSAGE/.test(l));
      expect(missing, "npm ci would refuse the lock file").toEqual([]);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("every locked package runs on the oldest Node version package.json supports", () => {
    const oldest = minMajor(pkg.engines.node);
    const refused = Object.entries(lock.packages as Record<string, { engines?: { node?: string }; optional?: boolean; dev?: boolean }>)
      .filter(([path, p]) => path && p.engines?.node && !admitsMajor(p.engines.node, oldest))
      .map(([path, p]) => `${path.replace(/^node_modules\//, "")} wants node ${p.engines!.node}`);
    expect(refused).toEqual([]);
  });

  it("this Node satisfies package.json's engines", () => {
    expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(minMajor(pkg.engines.node));
  });

  it("the engines check itself rejects what it should", () => {
    expect(admitsMajor(">=24", 20)).toBe(false);
    expect(admitsMajor("^18.0.0 || >=20", 20)).toBe(true);
    expect(admitsMajor(">=14.17", 20)).toBe(true);
    expect(admitsMajor(">= 10", 20)).toBe(true);
    expect(admitsMajor(">= 24", 20)).toBe(false);
    expect(admitsMajor("^22.12.0", 20)).toBe(false);
  });

  it(".ci/run installs with plain npm ci, no fallback", () => {
    const run = readFileSync(join(ROOT, ".ci/run"), "utf8");
    const installs = run.split("\n").filter((l) => /^\s*[^#]*\bnpm (ci|install|i)\b/.test(l));
    expect(installs.map((l) => l.trim())).toEqual(["npm ci --no-audit --no-fund"]);
  });

  it("direct dependencies are pinned to exact versions", () => {
    const loose = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(([, v]) => !/^\d+\.\d+\.\d+$/.test(String(v)));
    expect(loose).toEqual([]);
  });

  it("every package the product imports at run time is a dependency, not a devDependency", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const f = join(dir, n);
        return statSync(f).isDirectory() ? files(f) : /\.(ts|mjs)$/.test(n) && !n.endsWith(".d.ts") && !n.endsWith(".d.mts") ? [f] : [];
      });
    const runtime = new Set<string>();
    for (const f of ["src", "scripts", "config", "catalog", "datasources", "dashboards", "alerts"].flatMap((d) => files(join(ROOT, d)))) {
      // Value imports only: `import type` and type-only re-exports vanish at run time.
      for (const m of readFileSync(f, "utf8").matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?["']([^"'./][^"']*)["']|import\(\s*["']([^"'./][^"']*)["']\s*\)/gm)) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith("node:")) continue;
        runtime.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
      }
    }
    const missing = [...runtime].filter((name) => !(name in pkg.dependencies)).sort();
    expect(missing).toEqual([]);
    expect(runtime.has("typescript")).toBe(true); // the importer reads the SDK's types at run time
  });
});

