// Strings from an imported dashboard are data: whatever a title, query, link or raw JSON holds, the
// generated module parses to the same shape, runs nothing but the builders, and rebuilds the strings
// exactly.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockCommentText, jsString, jsTemplate, jsText } from "../../src/import/escape.js";
import { importDashboard, readDashboard, REPO_ROOT } from "../../src/import/index.js";
import { buildDefinitionModule, verifyBuilt } from "../../src/import/verify.js";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(REPO_ROOT, "import-escape.tmp-"));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  delete (globalThis as Record<string, unknown>).__importPwned;
});

/** Characters that may not appear raw in generated source: line terminators, controls, lone surrogates. */
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Evaluates a JavaScript expression (the literal under test) in a fresh function. */
const evalLiteral = (src: string): unknown => new Function(`return (${src});`)();

let fileNo = 0;
/** Imports the dashboard JSON, checks the module's shape, then (only then) builds it as the build does. */
async function importAndBuild(dashboard: Record<string, unknown>) {
  const result = await importDashboard(readDashboard(dashboard, "hostile.json"), { takenUids: new Map() });
  const file = join(scratch, `d${fileNo++}.ts`);
  const code = await result.render(file);
  checkShape(code);
  writeFileSync(file, code);
  const built = (await buildDefinitionModule(file)) as Record<string, any>;
  return { result, code, built };
}

/**
 * The module's shape, from TypeScript's parser: imports, one `export default defineDashboard({...})`,
 * no syntax errors, no template substitutions, and no identifier that is neither imported, declared
 * in the module nor `ctx` (an injected `process`, `globalThis`, `require` or `eval` would be one).
 */
function checkShape(code: string): void {
  const sf = ts.createSourceFile("m.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
  const kinds = sf.statements.map((s) => ts.SyntaxKind[s.kind]);
  expect(kinds.filter((k) => k !== "ImportDeclaration")).toEqual(["ExportAssignment"]);
  const exported = sf.statements.at(-1) as ts.ExportAssignment;
  expect(ts.isCallExpression(exported.expression)).toBe(true);
  const call = exported.expression as ts.CallExpression;
  expect(call.expression.getText(sf)).toBe("defineDashboard");
  const arg = call.arguments[0] as ts.ObjectLiteralExpression;
  expect(arg.properties.map((p) => p.name?.getText(sf))).toEqual(["uid", "folder", "layout", "build"]);

  const known = new Set(["ctx", "undefined", "Infinity", "NaN"]);
  const free: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isTemplateExpression(n) || ts.isTaggedTemplateExpression(n)) free.push(`template: ${n.getText(sf)}`);
    if (ts.isImportSpecifier(n) || ts.isNamespaceImport(n) || ts.isVariableDeclaration(n) || ts.isParameter(n))
      known.add((n.name as ts.Identifier).text);
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isPropertyAssignment(p) && p.name === n) ||
        (ts.isImportSpecifier(p) || ts.isNamespaceImport(p) || ts.isVariableDeclaration(p) || ts.isParameter(p));
      if (!isName) free.push(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  expect(free.filter((x) => !known.has(x))).toEqual([]);
  // Every comment is one line of the header, outside the code.
  expect(code).not.toMatch(RAW_UNSAFE);
  for (const line of code.split("\n")) if (line.startsWith("//")) expect(line).toMatch(/^\/\/ Imported from|^\/\/ withRaw/);
}

describe("escape: literals evaluate back to the string", () => {
  const specials = ["\u2028", "\u2029", "\u0085", "\n", "\r", "\r\n", "\0", "\u0000" + "1", "*/", "/*", "`", "${", "'", '"', "\\", "\ud800", "\udfff", "\ufeff", "\u202e", "😀"];
  it.each(specials.map((s) => [JSON.stringify(s), s]))("%s", (_, s) => {
    for (const f of [jsString, jsTemplate, jsText]) {
      const lit = f(`a${s}b`);
      expect(lit).not.toMatch(RAW_UNSAFE); // real line breaks only in template literals
      expect(evalLiteral(lit)).toBe(`a${s}b`);
    }
    expect(jsString(s)).not.toMatch(/[\n\r]/);
    expect(blockCommentText(`x${s}*/y`)).not.toMatch(/\*\/|[\n\r\u2028\u2029]/);
  });

  it("template literals keep line breaks but no substitution", () => {
    expect(jsTemplate("a\n${b}`c")).toBe("`a\n\\${b}\\`c`");
    expect(jsText("one line")).toBe('"one line"');
  });

  it("any string, property-tested", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        for (const f of [jsString, jsTemplate]) {
          expect(f(s)).not.toMatch(RAW_UNSAFE);
          expect(evalLiteral(f(s))).toBe(s);
        }
      }),
      { seed: 20261201, numRuns: 1000 },
    );
  });
});

describe("import: hostile strings stay data", () => {
  it("regression: the title that ran code through U+2028 in the header comment", async () => {
    const exact = "A\u2028process.getBuiltinModule('fs').writeFileSync('/tmp/x','x');//";
    const before = existsSync("/tmp/x") ? statSync("/tmp/x").mtimeMs : undefined;
    const sentinel = join(mkdtempSync(join(tmpdir(), "import-escape-")), "written");
    const same = `A\u2028process.getBuiltinModule('fs').writeFileSync(${JSON.stringify(sentinel)},'x');//`;
    for (const title of [exact, same]) {
      const { code, built } = await importAndBuild({ uid: "inj", title, schemaVersion: 42, panels: [] });
      expect(code.split("\n")[0]).toContain("A\\u2028process.getBuiltinModule");
      expect(built.title).toBe(title);
    }
    expect(existsSync(sentinel)).toBe(false);
    rmSync(join(sentinel, ".."), { recursive: true, force: true });
    expect(existsSync("/tmp/x") ? statSync("/tmp/x").mtimeMs : undefined).toBe(before);
  });

  // Strings from all of Unicode (lone surrogates included) around a breaker and a payload that would
  // set a global if any of it were run as code.
  const payload =
    "${globalThis.__importPwned=1}`;globalThis.__importPwned=1;\"';globalThis.__importPwned=1;//*/globalThis.__importPwned=1;/*";
  const breaker = fc.constantFrom("\u2028", "\u2029", "\u0085", "\n", "\r", "\r\n", "*/", "`", "${", '"', "'", "\\", "\0", "");
  const unit = fc.oneof(
    fc.string({ unit: "binary", maxLength: 6 }),
    fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
    breaker,
  );
  const text = fc.array(unit, { maxLength: 4 }).map((a) => a.join(""));
  const hostile = fc.tuple(text, breaker, fc.boolean(), text).map(([a, b, p, c]) => `${a}${b}${p ? payload : ""}${c}`);

  it("in every place the importer writes text: parses to the expected shape, runs nothing, round-trips", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 16, maxLength: 16 }), async (s) => {
        const dashboard = {
          uid: "hostile",
          title: s[0],
          description: s[1],
          tags: [s[2]],
          schemaVersion: 42,
          links: [{ title: s[3], url: s[4], type: "link", tags: [], icon: "external link" }],
          templating: {
            list: [
              { name: "q", type: "query", query: s[5], definition: s[5], datasource: { type: "prometheus", uid: s[6] } },
              { name: "c", type: "custom", query: s[7] },
            ],
          },
          panels: [
            {
              id: 1,
              type: "timeseries",
              title: s[8],
              description: s[9],
              gridPos: { h: 8, w: 12, x: 0, y: 0 },
              datasource: { type: "prometheus", uid: s[6] },
              targets: [{ refId: "A", expr: s[10], legendFormat: s[11], datasource: { type: "prometheus", uid: s[6] } }],
            },
            { id: 2, type: "text", title: s[12], gridPos: { h: 8, w: 12, x: 12, y: 0 }, options: { mode: "markdown", content: s[13] } },
            // Kept as raw JSON: a legacy panel, and a plugin panel with an option named by the input.
            { id: 3, type: "graph", title: s[14], gridPos: { h: 8, w: 12, x: 0, y: 8 }, legend: { [s[15]]: s[15] } },
            { id: 4, type: "acme-plugin-panel", title: "p", gridPos: { h: 8, w: 12, x: 12, y: 8 }, options: { [s[1]]: [s[0], { [s[3]]: s[2] }] } },
            {
              id: 5,
              type: "row",
              title: s[4],
              collapsed: true,
              gridPos: { h: 1, w: 24, x: 0, y: 16 },
              panels: [{ id: 6, type: "stat", title: s[5], gridPos: { h: 4, w: 6, x: 0, y: 17 } }],
            },
          ],
        };
        const { result, built } = await importAndBuild(dashboard);
        expect((globalThis as Record<string, unknown>).__importPwned).toBeUndefined();
        // Exactly the same strings come back.
        expect(built.title).toBe(s[0]);
        expect(built.description).toBe(s[1]);
        expect(built.links[0].title).toBe(s[3]);
        expect(built.links[0].url).toBe(s[4]);
        expect(built.templating.list[0].query).toBe(s[5]);
        expect(built.panels[0].title).toBe(s[8]);
        expect(built.panels[0].targets[0].expr).toBe(s[10]);
        expect(built.panels[0].targets[0].legendFormat).toBe(s[11]);
        expect(built.panels[1].options.content).toBe(s[13]);
        expect(built.panels[2].legend[s[15]]).toBe(s[15]);
        expect(built.panels[3].options[s[1]]).toEqual([s[0], { [s[3]]: s[2] }]);
        expect(built.panels[4].panels[0].title).toBe(s[5]);
        // And nothing else differs beyond the documented normalisation.
        expect(verifyBuilt(result, built).unexplained).toEqual([]);
      }),
      { seed: 4242, numRuns: 20 },
    );
  });
});
