// Reading lint-exclusions.yaml cost a one-dashboard build more than linting the dashboard: the first
// YAML parse of a process compiles the yaml library's parser. Under the launcher, a file read before
// (the same text, file name and rule ids, parsed by the same engine: the launcher's digest of src/)
// is answered from what parsing it gave, kept under node_modules/.cache. A bad file throws before
// anything is kept, so its errors are always the parser's own. An entry that does not read back
// whole (its digest prefix) is ignored and replaced; deleting the folder costs one parse.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { launcherToolDigest } from "../cache/keys.js";
import { CACHE_DIR, REPO_ROOT } from "../repoRoot.mjs";
import { compareText } from "../emit/textOrder.js";

export const EXCLUSIONS_CACHE_DIR = join(CACHE_DIR, "lint-exclusions");
/** Entries kept (newest first); one per edit of the file or of src/. */
const KEEP = 8;

const sha = (b: string | Uint8Array) => createHash("sha256").update(b).digest();

export function cachedExclusions<T>(text: string, file: string, ruleIds: readonly string[], parse: () => T, dir = EXCLUSIONS_CACHE_DIR): T {
  const tool = launcherToolDigest(REPO_ROOT);
  if (!tool) return parse();
  const key = sha(["lint-exclusions", tool, file, ruleIds.join(","), text].join("\0")).toString("hex");
  const path = join(dir, `${key}.bin`);
  try {
    const bytes = readFileSync(path);
    const body = bytes.subarray(32);
    if (bytes.length > 32 && sha(body).equals(bytes.subarray(0, 32))) return deserialize(body) as T;
  } catch {
    // absent or unreadable: parse
  }
  const value = parse();
  try {
    mkdirSync(dir, { recursive: true });
    const body = serialize(value);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([sha(body), body]));
    renameSync(tmp, path);
    prune(dir);
  } catch {
    // a cache that cannot be written only costs the next build a parse
  }
  return value;
}

function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((n) => n.endsWith(".bin"))
    .map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t || compareText(a.n, b.n));
  for (const { n } of entries.slice(KEEP)) rmSync(join(dir, n), { force: true });
}
