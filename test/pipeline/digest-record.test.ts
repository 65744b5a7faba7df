// The launcher's record of file digests (src/pipeline/digestRecord.mjs): a file's digest is reused
// while its stat is unchanged and the file is not racily clean; whatever the record holds, the
// digests are those of reading every file.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileDigests } from "../../src/cache/hash.js";
import { sourcesDigests } from "../../src/pipeline/bundleCache.mjs";
import { DigestRecord, digestRecordPath } from "../../src/pipeline/digestRecord.mjs";
import { inputsDigest } from "../../src/pipeline/upToDate.mjs";

const tmp = mkdtempSync(join(tmpdir(), "digest-record-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HOUR_AGO = Date.now() / 1000 - 3600;
let n = 0;

/** A small project whose files were last modified an hour ago (so none is racily clean). */
function project(
  files: Record<string, string> = {
    "package.json": '{"name":"x"}',
    "package-lock.json": "{}",
    "src/a.ts": "a",
    "src/z/b.ts": "bb",
    "src/presets/p.ts": "p",
    "dashboards/d.ts": "d",
    "schemas/s.json": "{}",
  },
) {
  const root = join(tmp, `p${++n}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
    utimesSync(join(root, path), HOUR_AGO, HOUR_AGO);
  }
  const recordFile = join(tmp, `record-${n}`, "r.json");
  const open = () => new DigestRecord(recordFile, { key: root });
  // What the launcher computes, through `digests`.
  const digestsWith = (digests: DigestRecord) => {
    const sources = sourcesDigests(root, join(root, "dashboards"), { digests });
    const inputs = inputsDigest({
      root,
      options: {
        env: "dev",
        out: join(root, "build"),
        dashboardsDir: undefined,
        check: false,
        allowEmpty: false,
        referenceSchemas: false,
        lint: null,
      },
      bundleDigest: sources.bundle,
      env: {},
      digests,
    });
    return { ...sources, inputs };
  };
  return { root, recordFile, open, digestsWith, fromFiles: () => digestsWith(new DigestRecord()) };
}

/** Sets the record file's modification time `seconds` after the file's own. */
function recordWrittenAfter(recordFile: string, file: string, seconds: number) {
  const t = statSync(file).mtimeMs / 1000 + seconds;
  utimesSync(recordFile, t, t);
}

describe("the record of file digests", () => {
  it("gives the digests of reading every file, with and without a record, and reads nothing the second time", () => {
    const p = project();
    const first = p.open();
    expect(p.digestsWith(first)).toEqual(p.fromFiles());
    expect(first.reads).toBeGreaterThan(5);
    expect(first.save()).toBe(true);
    recordWrittenAfter(p.recordFile, join(p.root, "src/a.ts"), 3600); // as if written well after the files
    const second = p.open();
    expect(p.digestsWith(second)).toEqual(p.fromFiles());
    expect(second.reads).toBe(0);
    expect(second.save()).toBe(false); // nothing to write
  });

  it("digests a file as the build cache does (src/cache/hash.ts), a missing one included", () => {
    const p = project();
    const record = p.open();
    for (const f of ["src/a.ts", "no/such/file"])
      expect(record.of(join(p.root, f))).toBe(new FileDigests().of(join(p.root, f)));
  });

  it("notices an edit that keeps the size and the modification time", () => {
    const p = project();
    const file = join(p.root, "src/a.ts");
    const record = p.open();
    const before = p.digestsWith(record);
    record.save();
    writeFileSync(file, "A"); // same size
    utimesSync(file, HOUR_AGO, HOUR_AGO);
    const after = p.digestsWith(p.open());
    expect(after).toEqual(p.fromFiles());
    expect(after.bundle).not.toBe(before.bundle);
    expect(after.tool).not.toBe(before.tool);
    expect(after.inputs).not.toBe(before.inputs);
  });

  it("reads a racily clean file again: one not clearly older than the record, whatever its stat says", () => {
    const p = project();
    const file = join(p.root, "src/a.ts");
    utimesSync(file, HOUR_AGO + 1800, HOUR_AGO + 1800); // the other files stay clearly older than the record
    const record = p.open();
    const truth = p.digestsWith(record);
    record.save();
    // An entry whose stat matches but whose digest is not the file's: what an edit within the same
    // timestamp tick as the read, keeping the size, would leave (ctime and inode forged equal too).
    const text = readFileSync(p.recordFile, "utf8");
    const stale = JSON.parse(text);
    stale.entries[file][4] = "0".repeat(64);
    writeFileSync(p.recordFile, JSON.stringify(stale));
    recordWrittenAfter(p.recordFile, file, 1); // within the 2 s margin for coarse timestamps: racy
    const racy = p.open();
    expect(p.digestsWith(racy)).toEqual(truth);
    expect(racy.reads).toBe(1);
    // The same record written clearly after the file: the stat is trusted (which is why the margin matters).
    writeFileSync(p.recordFile, JSON.stringify(stale));
    recordWrittenAfter(p.recordFile, file, 10);
    const trusted = p.open();
    expect(p.digestsWith(trusted).bundle).not.toBe(truth.bundle);
    expect(trusted.reads).toBe(0);
  });

  it("ignores a corrupt or foreign record and rewrites it whole", () => {
    const p = project();
    const truth = p.fromFiles();
    const first = p.open();
    p.digestsWith(first);
    first.save();
    const good = readFileSync(p.recordFile, "utf8");
    const foreign = JSON.parse(good);
    foreign.key = "another project";
    const cases = [
      good.slice(0, good.length / 2),
      "null",
      "[]",
      '{"format":1,"key":5}',
      JSON.stringify(foreign),
      JSON.stringify({ ...JSON.parse(good), format: 0 }),
    ];
    for (const bad of cases) {
      writeFileSync(p.recordFile, bad);
      recordWrittenAfter(p.recordFile, join(p.root, "src/a.ts"), 3600);
      const record = p.open();
      expect(p.digestsWith(record), bad).toEqual(truth);
      expect(record.reads, bad).toBeGreaterThan(5);
      expect(record.save()).toBe(true);
      expect(JSON.parse(readFileSync(p.recordFile, "utf8"))).toEqual(JSON.parse(good));
    }
    expect(readdirSync(join(p.recordFile, ".."))).toEqual(["r.json"]); // no temporary file left
  });

  it("keeps only the files asked about in this run", () => {
    const p = project();
    const first = p.open();
    p.digestsWith(first);
    first.save();
    rmSync(join(p.root, "src/z"), { recursive: true });
    recordWrittenAfter(p.recordFile, join(p.root, "src/a.ts"), 3600);
    const second = p.open();
    expect(p.digestsWith(second)).toEqual(p.fromFiles());
    expect(second.reads).toBe(0);
    expect(second.save()).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(p.recordFile, "utf8")).entries)).not.toContain(
      join(p.root, "src/z/b.ts"),
    );
  });

  it("is named by its key, under the cache folder", () => {
    expect(digestRecordPath("a")).not.toBe(digestRecordPath("b"));
    expect(digestRecordPath("a")).toContain(join("node_modules", ".cache"));
    expect(existsSync(digestRecordPath("a", tmp))).toBe(false);
  });
});
