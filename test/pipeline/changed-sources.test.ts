// --watch's check of a few saved files against the last good import graph: the graph it gives is
// the whole bundle's (for the project's files), and whenever a problem may exist it answers
// "unsure" so that the whole check (sources.mjs) reports it with its usual messages.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateDashboards } from "../../bench/generate.js";
import { checkChangedSources, withImporters } from "../../src/pipeline/changedSources.js";
import { bundleDefinitions } from "../../src/pipeline/sources.mjs";
import type { ImportGraph } from "../../src/cache/keys.js";
import { REPO } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "changed-sources-"));
const defs = generateDashboards(join(tmp, "defs"), 3);
const helper = join(defs, "_helper.ts");
writeFileSync(helper, `export const title = "from the helper";\n`);
const one = join(defs, "svc-0001.ts");
const original = readFileSync(one, "utf8");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function whole(): Promise<ImportGraph> {
  const r = await bundleDefinitions({ root: REPO, dashboardsDir: defs });
  expect(r.problems).toEqual([]);
  return r.metafile!;
}
/** A file's imports of project files, as the cache and the cycle check read them. */
const projectImports = (g: ImportGraph, file: string) =>
  g.inputs[relative(REPO, file)].imports.filter((i) => !i.external && !i.path.includes("node_modules/")).map((i) => i.path).sort();

describe("checkChangedSources", () => {
  it("gives the whole bundle's graph after a saved definition gains and loses imports", async () => {
    const before = await whole();
    const known = new Set([one, helper]);
    writeFileSync(one, original.replace('import { defineDashboard }', `import { title } from "./_helper.ts";\nvoid title;\nimport { defineDashboard }`));
    // The helper was imported by no one: what it imports is unknown to the graph, so unsure.
    expect(await checkChangedSources({ root: REPO, graph: before, changed: [one], known })).toBeUndefined();
    writeFileSync(join(defs, "svc-0002.ts"), readFileSync(join(defs, "svc-0002.ts"), "utf8") + `import "./_helper.ts";\n`);
    const withHelper = await whole();
    const graph = await checkChangedSources({ root: REPO, graph: withHelper, changed: [one], known });
    expect(graph).toBeDefined();
    const after = await whole();
    expect(projectImports(graph!, one)).toEqual(projectImports(after, one));
    expect(projectImports(graph!, one)).toContain(relative(REPO, helper));
    // The other files' entries are the graph's as they were.
    expect(graph!.inputs[relative(REPO, join(defs, "svc-0003.ts"))]).toEqual(before.inputs[relative(REPO, join(defs, "svc-0003.ts"))]);

    writeFileSync(one, original);
    const back = await checkChangedSources({ root: REPO, graph: graph!, changed: [one], known });
    expect(projectImports(back!, one)).toEqual(projectImports(before, one));
  });

  it("is unsure of a syntax error, an unresolved import, bytes that are not UTF-8, a new or removed file, an import cycle", async () => {
    const graph = await whole();
    const known = new Set([one, helper]);
    const unsure = async (content: string | Buffer, changed = [one]) => {
      writeFileSync(one, content);
      return checkChangedSources({ root: REPO, graph, changed, known });
    };
    expect(await unsure(original + "\nconst = 1;\n")).toBeUndefined();
    expect(await unsure(original + '\nimport "./nowhere.ts";\n')).toBeUndefined();
    expect(await unsure(Buffer.concat([Buffer.from(original), Buffer.from([0xff, 0xfe])]))).toBeUndefined();
    expect(await unsure(original, [one, join(defs, "svc-0009.ts")])).toBeUndefined(); // new (not known)
    // A cycle: the helper (imported by svc-0002 since the first test) imports the definition that imports it.
    writeFileSync(one, original.replace('import { defineDashboard }', `import { title } from "./_helper.ts";\nvoid title;\nimport { defineDashboard }`));
    const withHelper = await checkChangedSources({ root: REPO, graph, changed: [one], known });
    expect(withHelper).toBeDefined();
    writeFileSync(helper, `import "./svc-0001.ts";\nexport const title = "from the helper";\n`);
    expect(await checkChangedSources({ root: REPO, graph: withHelper!, changed: [helper], known })).toBeUndefined();
    // ... which the whole check names.
    const r = await bundleDefinitions({ root: REPO, dashboardsDir: defs });
    expect(r.problems.map((p) => p.code)).toEqual(["import-cycle"]);
    writeFileSync(helper, `export const title = "from the helper";\n`);
    writeFileSync(one, original);
    // And with everything back, sure again.
    expect(await unsure(original)).toBeDefined();
  });
});

describe("checkChangedSources without resolving", () => {
  // A graph entry that lies about where an import resolves is believed when the saved file's imports
  // are the ones it had (they are answered from the graph, not resolved again), and not believed when
  // an import appears that the graph cannot answer for.
  it("answers a saved file whose imports are unchanged from the graph, and resolves one with an import the graph does not know", async () => {
    const graph = await whole();
    const rel = relative(REPO, one);
    const lying = { inputs: { ...graph.inputs, [rel]: { imports: (graph.inputs[rel].imports as { path: string }[]).map((i) => (i.path === "src/definitions.ts" ? { ...i, path: relative(REPO, helper) } : i)) } } } as ImportGraph;
    const lie = relative(REPO, helper);
    writeFileSync(one, original.replace('"svc-0001 overview"', '"svc-0001 saved"'));
    const believed = await checkChangedSources({ root: REPO, graph: lying, changed: [one], known: new Set([one]) });
    expect(projectImports(believed!, one)).toContain(lie);
    // A new import: the file's imports are resolved again, every one of them.
    writeFileSync(one, original + `import "${REPO}/dashboards/fastapi/queries.ts";\n`);
    const resolved = await checkChangedSources({ root: REPO, graph: lying, changed: [one], known: new Set([one]) });
    writeFileSync(one, original);
    expect(projectImports(resolved!, one)).not.toContain(lie);
    expect(projectImports(resolved!, one)).toContain("dashboards/fastapi/queries.ts");
    expect(projectImports(resolved!, one)).toContain("src/definitions.ts");
  });

  it("resolves an import it had left unresolved (unused) once the file uses it", async () => {
    const unusedImport = original.replace('import { defineDashboard }', `import { title } from "./_helper.ts";\nimport { defineDashboard }`);
    writeFileSync(join(defs, "svc-0003.ts"), readFileSync(join(defs, "svc-0003.ts"), "utf8") + `import "./_helper.ts";\n`); // the helper in the graph
    writeFileSync(one, unusedImport);
    const graph = await whole();
    expect(projectImports(graph, one)).not.toContain(relative(REPO, helper)); // unused: not an edge
    writeFileSync(one, unusedImport + "void title;\n");
    const next = await checkChangedSources({ root: REPO, graph, changed: [one], known: new Set([one]) });
    expect(projectImports(next!, one)).toContain(relative(REPO, helper));
    expect(projectImports(next!, one)).toEqual(projectImports(await whole(), one));
    writeFileSync(one, original);
    writeFileSync(join(defs, "svc-0003.ts"), readFileSync(join(defs, "svc-0003.ts"), "utf8").replace(`import "./_helper.ts";\n`, ""));
  });
});

describe("checkChangedSources with tsconfig paths", () => {
  it("resolves a bare import it had as a package once the file uses it, when a tsconfig above may map it to a file", async () => {
    const tsconfig = join(defs, "tsconfig.json");
    writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { paths: { "@h/*": ["./*"] } } }));
    try {
      const unusedImport = original.replace('import { defineDashboard }', `import { title } from "@h/_helper.ts";\nimport { defineDashboard }`);
      writeFileSync(join(defs, "svc-0003.ts"), readFileSync(join(defs, "svc-0003.ts"), "utf8") + `import "./_helper.ts";\n`);
      writeFileSync(one, unusedImport);
      const graph = await whole();
      expect(projectImports(graph, one)).not.toContain(relative(REPO, helper));
      writeFileSync(one, unusedImport + "void title;\n");
      const next = await checkChangedSources({ root: REPO, graph, changed: [one], known: new Set([one]) });
      expect(projectImports(next!, one)).toContain(relative(REPO, helper));
      expect(projectImports(next!, one)).toEqual(projectImports(await whole(), one));
    } finally {
      rmSync(tsconfig);
      writeFileSync(one, original);
      writeFileSync(join(defs, "svc-0003.ts"), readFileSync(join(defs, "svc-0003.ts"), "utf8").replace(`import "./_helper.ts";\n`, ""));
    }
  });
});

describe("withImporters", () => {
  it("gives the files and everything that imports them, transitively, and nothing else", () => {
    const at = (p: string) => join(REPO, p);
    const graph: ImportGraph = {
      inputs: {
        "d/a.ts": { imports: [{ path: "d/_h.ts" }, { path: "zod", external: true }] },
        "d/b.ts": { imports: [{ path: "d/_mid.ts" }] },
        "d/c.ts": { imports: [{ path: "src/x.ts" }] },
        "d/_mid.ts": { imports: [{ path: "d/_h.ts" }] },
        "d/_h.ts": { imports: [] },
        "src/x.ts": { imports: [] },
      },
    };
    expect([...withImporters(graph, REPO, [at("d/_h.ts")])].sort()).toEqual([at("d/_h.ts"), at("d/_mid.ts"), at("d/a.ts"), at("d/b.ts")]);
    expect([...withImporters(graph, REPO, [at("d/c.ts")])]).toEqual([at("d/c.ts")]);
    expect(withImporters(graph, REPO, []).size).toBe(0);
  });
});
