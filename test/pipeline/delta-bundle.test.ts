// The launcher's delta bundles (src/pipeline/deltaBundle.mjs): after a change to a few definitions,
// only the definitions that reach a changed file are bundled again and run over the folder's last
// full bundle. What a build prints, writes and fails with is what it does with a full bundle.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { definitionsDir, IMPORTS, REPO, validDashboard } from "../fixtures/definitions.js";
import { readFiles } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "delta-bundle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(tmp, `${name}-${n++}`);

/** `npm run build` into a new folder with --debug: the tree, the bundle it ran and the cache's counts. */
function build(dir: string, ...extra: string[]) {
  const out = fresh("out");
  const r = spawnSync(process.execPath, ["scripts/launch.mjs", "--dashboards", dir, "--out", out, "--debug", ...extra], { cwd: REPO, encoding: "utf8" });
  const bundle = /^debug: bundle: (.*)$/m.exec(r.stderr)?.[1];
  const built = /^ +built +(.*)$/m.exec(r.stdout)?.[1];
  const errors = r.stderr.split("\n").filter((l) => l.startsWith("error[") || l.startsWith("build failed"));
  return { status: r.status, out, tree: r.status === 0 ? readFiles(out) : undefined, bundle, built, errors, stderr: r.stderr };
}

/** The definitions named in a delta's debug line, by file name; undefined for a full bundle. */
const deltaOf = (line: string | undefined) => {
  const m = /^delta of (\d+) definition\(s\) \((.*)\) over /.exec(line ?? "");
  return m ? m[2].split(", ").map((f) => f.split("/").pop()).sort() : undefined;
};

const helper = (expr: string) => `export const EXPR = ${JSON.stringify(expr)};\n`;
const usingHelper = (uid: string) => `import { EXPR } from "./_expr.ts";\n` + validDashboard(uid, "@EXPR@").replace(/"@EXPR@"/g, "EXPR");
const retitled = (file: string, title: string) => writeFileSync(file, readFileSync(file, "utf8").replace(/title: "T [^"]*"/, `title: ${JSON.stringify(title)}`));

function folder() {
  const files: Record<string, string> = { "_expr.ts": "" };
  for (const uid of ["a", "b", "c", "d", "e"]) files[`${uid}.ts`] = validDashboard(uid);
  for (const uid of ["f", "g"]) files[`${uid}.ts`] = usingHelper(uid);
  const dir = definitionsDir(files);
  writeFileSync(join(dir, "_expr.ts"), helper('sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))'));
  return dir;
}

describe("a change to some definitions among many", () => {
  it("bundles only the changed definition, or the importers of a changed module, and builds the tree a full bundle builds", () => {
    const dir = folder();
    expect(build(dir).bundle).toBe("full");
    expect(build(dir).bundle).toBe("full"); // the same sources: the same bundle

    retitled(join(dir, "b.ts"), "T b, edited");
    const one = build(dir);
    expect(deltaOf(one.bundle)).toEqual(["b.ts"]);
    expect(one.built).toBe("b");
    expect(one.tree!["grafana/provisioning/dashboards/services/b.json"]).toContain("T b, edited");
    expect(build(dir).bundle).toMatch(/^delta made earlier, over /);
    // Its packages' interop shared per module, as in a full bundle (src/pipeline/sharedInterop.mjs).
    const base = /over (.*)$/.exec(one.bundle!)![1];
    const deltas = readdirSync(dirname(join(REPO, base))).filter((f) => f.endsWith(`-${basename(base, ".js")}.delta.js`));
    expect(deltas.length).toBeGreaterThan(0);
    for (const d of deltas) {
      const text = readFileSync(join(REPO, dirname(base), d), "utf8");
      expect(text).toContain("var __toESM=__gacSharedToESM;");
      expect(text).not.toContain("var __toESM=(mod,isNodeMode,target)=>");
    }
    const full = build(dir, "--no-cache"); // makes the full bundle, the base of the next deltas
    expect(full.bundle).toBe("full");
    expect(one.tree).toEqual(full.tree);

    writeFileSync(join(dir, "_expr.ts"), helper('sum(rate(http_requests_total{job=~"$job", status="200"}[$__rate_interval]))'));
    const shared = build(dir);
    expect(deltaOf(shared.bundle)).toEqual(["f.ts", "g.ts"]);
    expect(shared.built).toBe("f, g");
    expect(shared.tree!["grafana/provisioning/dashboards/services/g.json"]).toContain('status=\\"200\\"');
    expect(shared.tree).toEqual(build(dir, "--no-cache").tree);
  });

  it("takes a new definition and leaves out a removed one", () => {
    const dir = folder();
    build(dir);
    writeFileSync(join(dir, "h.ts"), IMPORTS + validDashboard("h"));
    unlinkSync(join(dir, "a.ts"));
    const r = build(dir);
    expect(deltaOf(r.bundle)).toEqual(["h.ts"]);
    expect(Object.keys(r.tree!).filter((p) => p.endsWith("/a.json"))).toEqual([]);
    expect(r.tree!["grafana/provisioning/dashboards/services/h.json"]).toContain('"uid": "h"');
    expect(r.tree).toEqual(build(dir, "--no-cache").tree);
  });

  it("makes a full bundle when more than half of the definitions would be bundled again", () => {
    const dir = folder();
    build(dir);
    for (const uid of ["a", "b", "c", "d"]) retitled(join(dir, `${uid}.ts`), `T ${uid}, edited`);
    const r = build(dir);
    expect(r.bundle).toBe("full");
    expect(r.built).toBe("a, b, c, d");
  });

  it("fails a changed definition with the messages of a full bundle: a syntax error, one that throws at load (its line)", () => {
    const dir = folder();
    build(dir);
    writeFileSync(join(dir, "c.ts"), IMPORTS + validDashboard("c").replace("build: (ctx)", "build: (ctx) =>>"));
    const syntax = build(dir);
    const syntaxFull = build(dir, "--no-cache");
    expect(syntax.status).toBe(1);
    expect(syntax.errors).toEqual(syntaxFull.errors);
    expect(syntax.errors[0]).toMatch(/^error\[syntax\] .*c\.ts:\d+:\d+: /);

    writeFileSync(join(dir, "c.ts"), IMPORTS + `throw new Error("exploded at load");\n` + validDashboard("c"));
    const load = build(dir);
    expect(deltaOf(load.bundle)).toEqual(["c.ts"]);
    expect(load.status).toBe(1);
    const line = IMPORTS.split("\n").length;
    expect(load.errors[0]).toBe(`error[definition-load] ${dir}/c.ts:${line}: exploded at load`);
    expect(load.errors).toEqual(build(dir, "--no-cache").errors);
  });
});
