// Big and hostile inputs: thousands of panels import; nesting, size and encoding beyond the limits are
// refused with one message naming the file and the limit, never a stack overflow.
import { existsSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDashboard, readDashboard, REPO_ROOT } from "../../src/import/index.js";
import { MAX_DEPTH, MAX_INPUT_BYTES } from "../../src/import/input.js";
import { CHAIN_LIMIT } from "../../src/import/ir.js";
import { buildDefinitionModule, verifyBuilt } from "../../src/import/verify.js";
import { runImport } from "../fixtures/importCli.js";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(REPO_ROOT, "import-limits.tmp-"));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const cli = (args: string[]) => runImport(args, { cwd: scratch });

function panel(i: number, y: number) {
  const kinds = ["timeseries", "stat", "gauge", "table"];
  return {
    id: i,
    type: kinds[i % kinds.length],
    title: `Panel ${i}`,
    gridPos: { h: 4, w: 6, x: (i % 4) * 6, y },
    datasource: { type: "prometheus", uid: "prom" },
    targets: [{ refId: "A", expr: `sum(rate(http_requests_total{job="api",shard="${i}"}[5m]))`, legendFormat: "{{code}}" }],
  };
}

/** Rows nested `n` deep (each level is an object and an array). */
function nestedRows(n: number): string {
  const open = '{"type":"row","title":"r","collapsed":true,"gridPos":{"h":1,"w":24,"x":0,"y":0},"panels":[';
  return `{"uid":"deep","title":"Deep","schemaVersion":42,"panels":[${open.repeat(n)}${"]}".repeat(n)}]}`;
}

describe("import: 2,000 panels", () => {
  it("imports, formats and rebuilds a dashboard of 1,400 panels and a collapsed row of 600", async () => {
    const panels: unknown[] = [];
    for (let i = 1; i <= 1400; i++) panels.push(panel(i, Math.floor((i - 1) / 4) * 4));
    const inRow = [];
    for (let i = 1401; i <= 2000; i++) inRow.push(panel(i, 2000));
    panels.push({ id: 9999, type: "row", title: "Many", collapsed: true, gridPos: { h: 1, w: 24, x: 0, y: 1400 }, panels: inRow });
    const dashboard = { uid: "two-thousand", title: "2,000 panels", schemaVersion: 42, panels };

    const result = await importDashboard(readDashboard(dashboard, "big.json"), { takenUids: new Map() });
    expect(result.panelCount).toBe(2001);
    // No chain longer than the limit: the deepest expression stays shallow whatever the panel count.
    const sf = ts.createSourceFile("big.ts", result.code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    expect((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    let longest = 0;
    const visit = (n: ts.Node) => {
      let length = 0;
      for (let c: ts.Node = n; ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression); ) {
        length++;
        c = c.expression.expression;
      }
      longest = Math.max(longest, length);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    expect(longest).toBeLessThanOrEqual(CHAIN_LIMIT);

    // The code as printed (for dashboards/, one level below the repository like this scratch folder),
    // built as the build does and compared with the input.
    const file = join(scratch, "two-thousand.ts");
    writeFileSync(file, result.code);
    const built = (await buildDefinitionModule(file)) as { panels: { panels?: unknown[] }[] };
    expect(built.panels).toHaveLength(1401);
    expect(built.panels[1400].panels).toHaveLength(600);
    expect(verifyBuilt(result, built).unexplained).toEqual([]);
  });
});

describe("import: nesting depth", () => {
  it("rows nested 5,000 deep: one message naming the file, the place and the limit; exit 1; nothing written", async () => {
    writeFileSync(join(scratch, "deep.json"), nestedRows(5000));
    const r = await cli(["deep.json", "--out", "deep.ts"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      new RegExp(`^import: deep\\.json: nesting deeper than ${MAX_DEPTH} levels at line 1, column \\d+ \\(byte \\d+\\); .*\\n$`),
    );
    expect(r.stderr).not.toMatch(/\n\s+at |RangeError|Maximum call stack/);
    expect(existsSync(join(scratch, "deep.ts"))).toBe(false);
  });

  it("a million levels (arrays) is refused as quickly", async () => {
    writeFileSync(join(scratch, "arrays.json"), `{"title":"x","panels":${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}}`);
    const r = await cli(["arrays.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`arrays.json: nesting deeper than ${MAX_DEPTH} levels`);
  });

  it("brackets inside strings do not count; a dashboard just under the limit imports", async () => {
    const deepest = Math.floor((MAX_DEPTH - 2) / 2); // each row is two levels, the dashboard and its panels two more
    const text = nestedRows(deepest).replace('"title":"Deep"', `"title":"${"[{".repeat(500)}"`);
    writeFileSync(join(scratch, "ok.json"), text);
    const r = await cli(["ok.json", "--verify"]);
    expect(r.stderr).toContain("verify: the generated code rebuilds the dashboard");
    expect(r.code).toBe(0);
  });
});

describe("import: size and encoding", () => {
  it(`a file over ${MAX_INPUT_BYTES / 1024 / 1024} MiB is refused before it is read`, async () => {
    const file = join(scratch, "huge.json");
    writeFileSync(file, "");
    truncateSync(file, MAX_INPUT_BYTES + 1); // sparse: no disk used
    const r = await cli(["huge.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `import: huge.json: 32 MiB (${MAX_INPUT_BYTES + 1} bytes) is over the import limit of 32 MiB; not a dashboard export\n`,
    );
  });

  it("bytes that are not UTF-8: the file and the byte offset", async () => {
    const good = Buffer.from('{"title":"Caf\u00e9 ', "utf8");
    writeFileSync(join(scratch, "latin1.json"), Buffer.concat([good, Buffer.from([0xe9]), Buffer.from('","panels":[]}')]));
    const r = await cli(["latin1.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `import: latin1.json: not UTF-8: byte 0xe9 at byte offset ${good.length} does not start a valid UTF-8 character; Grafana exports dashboards as UTF-8\n`,
    );
    writeFileSync(join(scratch, "cut.json"), Buffer.from([0x7b, 0xe2, 0x82]));
    expect((await cli(["cut.json"])).stderr).toContain("the file ends inside a character (byte offset 3)");
  });
});
