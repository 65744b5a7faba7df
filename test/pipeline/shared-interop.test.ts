// A run bundle's files share one copy of a CommonJS module's exports (sharedInterop.mjs): built by
// the esbuild this project uses, two files importing the same CommonJS module get the same
// namespace object once patched (two copies before), read the same values, the bundle's text keeps
// every column of what it had before the patch, and a text without esbuild's helper is untouched.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { build } from "esbuild";
import { shareInterop } from "../../src/pipeline/sharedInterop.mjs";

const dir = mkdtempSync(join(tmpdir(), "gac-interop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bundle(): Promise<string> {
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src/pkg.cjs"), "module.exports = { a: 1, b: () => 2, c: 'three' };\n");
  writeFileSync(join(dir, "src/one.ts"), 'import * as pkg from "./pkg.cjs";\nexport const one = pkg;\n');
  writeFileSync(
    join(dir, "src/two.ts"),
    'import * as pkg from "./pkg.cjs";\nimport def from "./pkg.cjs";\nexport const two = pkg;\nexport const whole = def;\n',
  );
  writeFileSync(
    join(dir, "src/main.ts"),
    'import { one } from "./one";\nimport { two, whole } from "./two";\nglobalThis.__interopResult = { same: one === two, a: two.a, b: one.b(), keys: Object.keys(one).sort(), whole: whole.c };\n',
  );
  const result = await build({
    entryPoints: [join(dir, "src/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minifyWhitespace: true,
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

function run(text: string): { same: boolean; a: number; b: number; keys: string[]; whole: string } {
  const g = globalThis as { __interopResult?: ReturnType<typeof run> };
  delete g.__interopResult;
  new Function(text)();
  return g.__interopResult!;
}

describe("shareInterop", () => {
  it("gives importers of one CommonJS module one namespace, with the same values, columns kept", async () => {
    const text = await bundle();
    const patched = shareInterop(text);
    expect(patched).not.toBe(text);
    const before = run(text);
    const after = run(patched);
    expect(before.same).toBe(false);
    expect(after).toEqual({ ...before, same: true });
    expect(after).toMatchObject({ a: 1, b: 2, keys: ["a", "b", "c", "default"], whole: "three" });
    // Every line of the original keeps its length and text outside the helper.
    const lines = text.split("\n");
    const patchedLines = patched.split("\n");
    for (const [i, line] of lines.entries()) {
      if (i === lines.length - 1 && line === "") continue;
      expect(patchedLines[i].length, `line ${i + 1}`).toBe(line.length);
    }
  });

  it("leaves a text without esbuild's helper as it is", () => {
    const text = "var __toESM=(mod)=>mod;\nconsole.log(1);\n";
    expect(shareInterop(text)).toBe(text);
  });
});
