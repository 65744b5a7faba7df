// Definitions handed to the real pipeline without writing TypeScript: each becomes an empty file in a
// temp directory (so discovery finds it) whose module is preloaded the way the bundling launcher does it.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PRELOADED = Symbol.for("grafana-as-code.preloadedDefinitions");

/** File → a loader of its module, as the launcher's bundle registers each definition (loaded lazily). */
function registry(): Map<string, () => Promise<{ default?: unknown }>> {
  const g = globalThis as Record<symbol, Map<string, () => Promise<{ default?: unknown }>> | undefined>;
  return (g[PRELOADED] ??= new Map());
}

/** A directory of definition files: file name → what the file exports by default. */
export function preloadedDir(files: Record<string, unknown>, prefix = "defs-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, exported] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, "// preloaded by the test\n");
    registry().set(path, async () => ({ default: exported }));
  }
  return dir;
}

/** A dashboard definition whose builder returns `json` as it is (manual layout unless told). */
export function jsonDefinition(json: Record<string, unknown>, opts: { folder?: string; layout?: "flow" | "manual" } = {}) {
  return {
    kind: "dashboard",
    uid: json.uid,
    folder: opts.folder ?? "services",
    layout: opts.layout ?? "manual",
    build: () => ({ build: () => structuredClone(json) }),
  };
}

/** Every file below `dir` (path → bytes as text), for "nothing was written" checks. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p.slice(dir.length)] = readFileSync(p, "latin1");
    }
  };
  try {
    walk(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  return out;
}
