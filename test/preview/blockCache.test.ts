// The local Prometheus' blocks kept between previews: made once, reused while the inputs are the
// same, rebuilt when an entry is corrupt or incomplete, never changed by the server that uses them.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startPrometheus, type SeriesSpec } from "../../src/preview/data/prometheus.js";

const SERIES: SeriesSpec[] = [
  {
    name: "http_requests_total",
    type: "counter",
    labelSets: [
      { job: "api", instance: "api-0:8080", status: "200" },
      { job: "api", instance: "api-0:8080", status: "500" },
    ],
  },
  { name: "queue_depth", type: "gauge", labelSets: [{ job: "worker", instance: "w-0:9100" }] },
];
const END = 1_767_283_200;
const cacheDir = mkdtempSync(join(tmpdir(), "preview-tsdb-cache-test-"));
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/** Starts on the cache, answers a range query over the whole window, stops; returns the answer and the entry's blocks. */
async function run(inputs: unknown, seed = 0) {
  const prom = await startPrometheus({ series: SERIES, minutes: 20, end: END, seed, cache: { dir: cacheDir, inputs } });
  try {
    const answer = await prom.queryRange(
      "sum by (status) (rate(http_requests_total[2m])) or queue_depth",
      prom.start + 120,
      prom.time,
      60,
    );
    return { answer, entries: entries() };
  } finally {
    await prom.stop();
  }
}
const entries = () => Object.fromEntries(readdirSync(cacheDir).map((e) => [e, readdirSync(join(cacheDir, e)).sort()]));
const blockDirs = (files: string[]) => files.filter((f) => f !== "manifest.json");

describe("TSDB block cache", () => {
  let first: Awaited<ReturnType<typeof run>>;
  /** The entry of inputs { catalog: "a" }, seed 0. */
  let a: string;

  it("the first start makes one entry (blocks + manifest) and answers from it", async () => {
    first = await run({ catalog: "a" });
    const names = Object.keys(first.entries);
    expect(names).toHaveLength(1);
    a = names[0];
    expect(first.entries[a]).toContain("manifest.json");
    expect(blockDirs(first.entries[a]).length).toBeGreaterThan(0);
    expect(first.answer.length).toBe(3);
  }, 60_000);

  it("the same inputs reuse the entry as it is (same blocks) and give the same answer; the server left it intact", async () => {
    const again = await run({ catalog: "a" });
    expect(again.entries).toEqual(first.entries);
    expect(again.answer).toEqual(first.answer);
  }, 60_000);

  it("other inputs or another seed make another entry", async () => {
    const other = await run({ catalog: "b" });
    const seeded = await run({ catalog: "a" }, 7);
    expect(Object.keys(other.entries)).toHaveLength(2);
    expect(Object.keys(seeded.entries)).toHaveLength(3);
    expect(seeded.answer).not.toEqual(first.answer);
  }, 90_000);

  it.each([
    [
      "a block file is damaged",
      (entry: string, block: string) => writeFileSync(join(entry, block, "index"), "garbage"),
    ],
    ["a block file is missing", (entry: string, block: string) => rmSync(join(entry, block, "meta.json"))],
    ["the manifest is missing (a maker that died)", (entry: string) => rmSync(join(entry, "manifest.json"))],
    ["the manifest is not JSON", (entry: string) => writeFileSync(join(entry, "manifest.json"), "{")],
  ])(
    "an entry is rebuilt when %s, with the same answer",
    async (_, damage) => {
      const entry = join(cacheDir, a);
      const before = blockDirs(readdirSync(entry).sort());
      damage(entry, before[0]);
      const rebuilt = await run({ catalog: "a" });
      expect(existsSync(join(entry, "manifest.json"))).toBe(true);
      expect(blockDirs(rebuilt.entries[a])).not.toEqual(before); // new blocks (new ULIDs)
      expect(rebuilt.answer).toEqual(first.answer);
    },
    60_000,
  );
});
