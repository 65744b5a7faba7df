// Keys of definition files from their import closures: a file's key changes when it or anything it
// imports changes, and only then; keys answered from the memo --watch keeps are the keys computed
// afresh.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closureDigests, type ImportGraph } from "../../src/cache/keys.js";
import { DigestMemo, FileDigests } from "../../src/cache/hash.js";

const root = mkdtempSync(join(tmpdir(), "keys-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// a.ts and b.ts import shared.ts, which imports deep.ts; c.ts imports nothing.
const graph: ImportGraph = {
  inputs: {
    "a.ts": { imports: [{ path: "shared.ts" }] },
    "b.ts": { imports: [{ path: "shared.ts" }, { path: "node_modules/x/index.js" }] },
    "c.ts": { imports: [] },
    "shared.ts": { imports: [{ path: "deep.ts" }] },
    "deep.ts": { imports: [] },
  },
};
const defs = ["a.ts", "b.ts", "c.ts"].map((f) => join(root, f));
for (const f of ["a.ts", "b.ts", "c.ts", "shared.ts", "deep.ts"]) writeFileSync(join(root, f), `// ${f}\n`);

describe("closureDigests with --watch's memo", () => {
  it("gives the keys computed afresh, changing exactly the files whose closure changed", () => {
    const memo = new DigestMemo();
    const known = new Map<string, string>();
    const first = closureDigests(graph, root, defs, new FileDigests(known), memo);
    expect(first).toEqual(closureDigests(graph, root, defs, new FileDigests()));
    expect(new Set(first.values()).size).toBe(3);

    // deep.ts changes (and is forgotten, as watch forgets a saved file): a and b change, c does not.
    writeFileSync(join(root, "deep.ts"), "// deep.ts, edited\n");
    known.delete(join(root, "deep.ts"));
    const second = closureDigests(graph, root, defs, new FileDigests(known), memo);
    expect(second).toEqual(closureDigests(graph, root, defs, new FileDigests()));
    expect(second.get(defs[0])).not.toBe(first.get(defs[0]));
    expect(second.get(defs[1])).not.toBe(first.get(defs[1]));
    expect(second.get(defs[2])).toBe(first.get(defs[2]));

    // Saved back to what it was: the first keys again.
    writeFileSync(join(root, "deep.ts"), "// deep.ts\n");
    known.delete(join(root, "deep.ts"));
    expect(closureDigests(graph, root, defs, new FileDigests(known), memo)).toEqual(first);
  });
});
