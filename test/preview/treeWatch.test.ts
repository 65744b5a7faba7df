// The served tree is followed by content, not by events alone: rapid successive writes end on the
// last content, one onChange at a time; new folders are followed; the timer notices a change no event
// reported; a failing onChange does not stop the following.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { watchTree, type TreeFileText, type TreeWatcher } from "../../src/preview/treeWatch.js";

let dir: string;
let watcher: TreeWatcher | undefined;
afterEach(() => {
  watcher?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** As the build writes: a temporary name, then renamed over the file. */
function save(path: string, text: string) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe("watchTree", () => {
  it("rapid successive saves end on the last content, one onChange at a time", async () => {
    dir = mkdtempSync(join(tmpdir(), "tree-watch-"));
    mkdirSync(join(dir, "services"));
    save(join(dir, "services/svc.json"), '{"v":0}');
    const seen: string[] = [];
    let active = 0;
    let overlapped = false;
    watcher = watchTree(dir, async (files) => {
      if (++active > 1) overlapped = true;
      seen.push(files.map((f) => `${f.path}=${f.text}`).join(","));
      await sleep(30); // a render takes a while: saves land during it
      active--;
    });
    await watcher.settled();
    for (let v = 1; v <= 25; v++) {
      save(join(dir, "services/svc.json"), `{"v":${v}}`);
      if (v % 5 === 0) await sleep(7);
    }
    await until("the last save", () => seen.at(-1) === 'services/svc.json={"v":25}');
    await watcher.settled();
    await sleep(500); // past a timer tick: nothing later replaces the last content
    expect(seen.at(-1)).toBe('services/svc.json={"v":25}');
    expect(seen[0]).toBe('services/svc.json={"v":0}');
    expect(overlapped).toBe(false);
    expect(seen.length).toBeLessThan(26); // saves during a call are coalesced
  });

  it("follows a folder made after the start, and a removed file", async () => {
    dir = mkdtempSync(join(tmpdir(), "tree-watch-"));
    let last: TreeFileText[] = [];
    watcher = watchTree(dir, async (files) => void (last = files));
    await watcher.settled();
    expect(last).toEqual([]);
    mkdirSync(join(dir, "infra"));
    save(join(dir, "infra/a.json"), "{}");
    save(join(dir, "infra/.hidden.json"), "{}");
    writeFileSync(join(dir, "infra/b.json.tmp-1"), "{");
    await until("infra/a.json", () => last.some((f) => f.path === "infra/a.json"));
    expect(last.map((f) => f.path)).toEqual(["infra/a.json"]);
    rmSync(join(dir, "infra/a.json"));
    await until("the removal", () => last.length === 0);
  });

  it("without any file event, the timer still notices a change", async () => {
    dir = mkdtempSync(join(tmpdir(), "tree-watch-"));
    let last = "";
    watcher = watchTree(dir, async (files) => void (last = files.map((f) => f.text).join()), {
      events: false,
      pollMs: 50,
    });
    await watcher.settled();
    save(join(dir, "x.json"), '"changed"');
    await until("the timer", () => last === '"changed"', 5_000);
  });

  it("a failing onChange is reported and the next change is still handed over", async () => {
    dir = mkdtempSync(join(tmpdir(), "tree-watch-"));
    const errors: string[] = [];
    let last = "";
    watcher = watchTree(
      dir,
      async (files) => {
        const text = files.map((f) => f.text).join();
        if (text.includes("bad")) throw new Error("render failed");
        last = text;
      },
      { onError: (e) => errors.push((e as Error).message) },
    );
    save(join(dir, "x.json"), '"bad"');
    await until("the error", () => errors.length === 1);
    save(join(dir, "x.json"), '"good"');
    await until("the next change", () => last === '"good"');
    expect(errors).toEqual(["render failed"]);
  });
});
