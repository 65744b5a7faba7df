// Our schemas' validators are compiled once and kept as standalone modules (src/validate/ownSchemas.ts),
// loaded by later runs through V8's code cache: a loaded validator must give the verdicts and the
// messages of a freshly compiled one.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { codeCachePath, writeCaches } from "../../src/pipeline/codeCache.mjs";
import { ownValidatorIn } from "../../src/validate/ownSchemas.js";
import { schemaIssues, validateFile, type FileKind } from "../../src/validate/schemas.js";
import { CACHE_DIR } from "../../src/repoRoot.mjs";
import { REPO } from "../fixtures/definitions.js";

// Under the project's cache folder, as in a build: the kept modules require ajv's runtime from there.
mkdirSync(CACHE_DIR, { recursive: true });
const tmp = mkdtempSync(join(CACHE_DIR, "test-own-schemas-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fixture = (name: string): any => {
  const text = readFileSync(join(REPO, "test/fixtures/schemas", name), "utf8");
  return name.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
};

/** A built dashboard broken in every way the schema checks: a missing field, wrong types, an unknown property, a bad enum value. */
function brokenDashboard() {
  const doc = fixture("dashboard.valid.json");
  delete doc.uid;
  doc.title = 42;
  doc.unknownField = true;
  doc.panels[0].gridPos = { h: "8", w: 12, x: 0 };
  doc.panels[0].datasource = { type: 7 };
  doc.panels.push({ type: "timeseries", title: "no id" });
  doc.refresh = ["1m"];
  return doc;
}

const BROKEN: [FileKind, () => unknown][] = [
  ["dashboard", brokenDashboard],
  ["datasources", () => fixture("datasources.literal-secret.yaml")],
  ["dashboard-providers", () => fixture("dashboard-providers.missing-path.yaml")],
];

describe("our schemas' validators", () => {
  it.each(BROKEN)("give the same errors on a broken %s document loaded from the cache as compiled", (kind, broken) => {
    const dir = join(tmp, kind);
    const compiled = ownValidatorIn(kind, dir);
    expect(compiled.from).toBe("compiled");
    const expected = schemaIssues(compiled.validate, broken());
    expect(expected.length).toBeGreaterThan(0);
    // The first load compiles the kept module (its code cache is written at exit); the second takes the code cache.
    const loaded = ownValidatorIn(kind, dir);
    expect(loaded.from).toBe("cached");
    expect(loaded.validate).not.toBe(compiled.validate);
    expect(schemaIssues(loaded.validate, broken())).toEqual(expected);
    writeCaches();
    const module = readdirSync(dir).find((f) => f.endsWith(".cjs"))!;
    expect(existsSync(codeCachePath(join(dir, module)))).toBe(true);
    const again = ownValidatorIn(kind, dir);
    expect(again.from).toBe("cached");
    expect(schemaIssues(again.validate, broken())).toEqual(expected);
    // And what a build reports (the project's own cache) is the same.
    expect(validateFile(kind, broken())).toEqual(expected);
  });

  it("accept the valid documents either way", () => {
    const dir = join(tmp, "valid");
    for (const [kind, file] of [
      ["dashboard", "dashboard.valid.json"],
      ["datasources", "datasources.valid.yaml"],
      ["dashboard-providers", "dashboard-providers.valid.yaml"],
    ] as const) {
      expect(schemaIssues(ownValidatorIn(kind, dir).validate, fixture(file))).toEqual([]);
      expect(schemaIssues(ownValidatorIn(kind, dir).validate, fixture(file))).toEqual([]);
    }
  });
});
