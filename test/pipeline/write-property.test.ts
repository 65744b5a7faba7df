// A property of the writer over random sequences of builds: after every write the tree holds exactly
// the build's files plus the foreign files a user put there (untouched), no litter, and every folder
// that still holds a file is the same folder (same inode) it was before.
import fc from "fast-check";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MANIFEST, writeTree, type OutputFile } from "../../src/pipeline/write.js";
import { dirInodes, readFiles } from "../fixtures/outputTree.js";

const tmp = mkdtempSync(join(tmpdir(), "write-property-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DIRS = ["grafana/provisioning/dashboards/a", "grafana/provisioning/dashboards/b", "prometheus/rules", "alertmanager"];
const file = fc.record({
  path: fc.tuple(fc.constantFrom(...DIRS), fc.constantFrom("x", "y", "z")).map(([d, n]) => `${d}/${n}.${d.startsWith("grafana") ? "json" : "yaml"}`),
  // any text, line and paragraph separators and lone surrogates included
  content: fc.string({ unit: "binary", maxLength: 40 }),
});
const build = fc.uniqueArray(file, { selector: (f) => f.path, maxLength: 8 });
const foreignFile = fc.record({ dir: fc.constantFrom(...DIRS), name: fc.constantFrom("hand.txt", "notes.md") });

describe("writeTree over random build sequences", () => {
  it("keeps exactly the build's files and the foreign ones, no litter, folders in place", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(build, { minLength: 1, maxLength: 4 }), fc.option(foreignFile), async (builds, foreign) => {
        const out = join(tmp, `run-${++run}`);
        const extra: Record<string, string> = {};
        for (const [i, files] of builds.entries() as IterableIterator<[number, OutputFile[]]>) {
          if (i === 1 && foreign) {
            // a user adds a file between two builds
            const p = `${foreign.dir}/${foreign.name}`;
            mkdirSync(join(out, dirname(p)), { recursive: true });
            writeFileSync(join(out, p), "mine");
            extra[p] = "mine";
          }
          const before = existsSync(out) ? dirInodes(out) : {};
          const r = await writeTree(out, files, { allowEmpty: true });
          const expected = Object.fromEntries(files.map((f) => [f.path, Buffer.from(f.content, "utf8").toString("utf8")]));
          const { [MANIFEST]: manifest, ...rest } = readFiles(out);
          expect(rest).toEqual({ ...expected, ...extra });
          expect(JSON.parse(manifest).files).toEqual(files.map((f) => f.path).sort());
          expect(r.foreign).toEqual(Object.keys(extra).filter((p) => !(p in expected)));
          const after = dirInodes(out);
          for (const [d, ino] of Object.entries(before)) if (d in after) expect(after[d], d).toBe(ino);
          // a folder is only gone when nothing is left in it
          for (const p of Object.keys({ ...expected, ...extra })) expect(existsSync(join(out, dirname(p)))).toBe(true);
        }
      }),
      { seed: 20261201, numRuns: 40 },
    );
  });
});
