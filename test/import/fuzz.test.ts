// Random dashboard JSON through the command line: either it is refused with one located message and
// nothing written, or the code it writes rebuilds the input (up to the documented normalisation).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_CONTENT } from "../../scripts/content.js";
import { runImportCli, type CliIo } from "../../src/import/cli.js";
import { REPO_ROOT } from "../../src/import/index.js";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(REPO_ROOT, "import-fuzz.tmp-"));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const scalar = fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom("title", "type", "id", "options", "fieldConfig", "targets", "datasource", "gridPos", "x", "expr", "refId", "panels", "unit"), tie("value"), { maxKeys: 4 }),
})).value;
const panelType = fc.constantFrom("timeseries", "stat", "table", "text", "row", "graph", "gauge", "acme-panel", 7, undefined);
const panel = fc.record(
  {
    type: panelType,
    title: fc.oneof(fc.string({ unit: "binary", maxLength: 10 }), scalar),
    id: fc.oneof(fc.nat(), scalar),
    gridPos: fc.oneof(fc.record({ h: fc.nat(30), w: fc.nat(24), x: fc.nat(23), y: fc.nat(100) }), json),
    targets: fc.oneof(fc.array(fc.record({ refId: fc.string({ maxLength: 2 }), expr: fc.string({ unit: "binary", maxLength: 10 }) }), { maxLength: 2 }), json),
    options: json,
    fieldConfig: fc.oneof(fc.record({ defaults: fc.record({ unit: fc.string({ maxLength: 6 }) }), overrides: fc.constant([]) }), json),
    datasource: fc.oneof(fc.record({ type: fc.constantFrom("prometheus", "loki", "x"), uid: fc.string({ maxLength: 6 }) }), json),
  },
  { requiredKeys: [] },
);
const dashboard = fc.record(
  {
    uid: fc.oneof(fc.constant("fuzz"), fc.string({ maxLength: 6 }), scalar),
    title: fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), scalar),
    schemaVersion: fc.oneof(fc.constant(42), fc.nat(50), scalar),
    panels: fc.array(panel, { maxLength: 4 }),
    templating: fc.oneof(fc.record({ list: fc.array(json, { maxLength: 2 }) }), json),
    links: json,
  },
  { requiredKeys: ["panels"] },
);

let n = 0;
it("any dashboard JSON: a located refusal with nothing written, or code that rebuilds it", async () => {
  await fc.assert(
    fc.asyncProperty(dashboard, async (d) => {
      const name = `f${n++}`;
      writeFileSync(join(scratch, `${name}.json`), JSON.stringify(d));
      let stderr = "";
      const io: CliIo = { stdout: () => {}, stderr: (s) => (stderr += s), env: {}, cwd: scratch };
      const code = await runImportCli([`${name}.json`, "--out", `${name}.ts`, "--verify"], io, REPO_CONTENT);
      expect(stderr).not.toContain("internal error");
      expect(stderr).not.toMatch(/\n\s+at /);
      if (code === 0) {
        expect(existsSync(join(scratch, `${name}.ts`))).toBe(true);
        expect(stderr).toContain("verify: the generated code rebuilds the dashboard");
      } else {
        expect(stderr).toMatch(new RegExp(`^import: ${name}\\.json: `));
        expect(stderr.trimEnd().split("\n")).toHaveLength(1);
        expect(existsSync(join(scratch, `${name}.ts`))).toBe(false);
      }
    }),
    { seed: 7, numRuns: 40 },
  );
});
