// Where catalog entries are defined (catalog/<file>.ts), so findings about a metric's definition
// point at the line defining it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Location } from "./types.js";

let index: Map<string, { file: string; line: number }> | undefined;

/** The catalog file and line of `name: "<metric>"`; catalog/index.ts when not found. */
export function catalogLocation(repoRoot: string, metric: string): Location {
  if (!index) {
    index = new Map();
    const dir = join(repoRoot, "catalog");
    for (const f of existsSync(dir) ? readdirSync(dir).filter((x) => x.endsWith(".ts")).sort() : []) {
      readFileSync(join(dir, f), "utf8")
        .split("\n")
        .forEach((text, i) => {
          const m = /\bname:\s*["']([a-zA-Z_:][a-zA-Z0-9_:]*)["']/.exec(text);
          if (m && !index!.has(m[1])) index!.set(m[1], { file: `catalog/${f}`, line: i + 1 });
        });
    }
  }
  const at = index.get(metric);
  return { file: at?.file ?? "catalog/index.ts", line: at?.line, metric };
}
