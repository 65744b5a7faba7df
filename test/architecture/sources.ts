// Reads src/ for the layering test: every .ts/.mts/.mjs file with its import specifiers, found by
// TypeScript's own pre-processor (static imports, `export … from`, `import type`, dynamic import()).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import type { ImportRef, SourceFile } from "../../src/model/layers.js";

export function importsOf(path: string, source: string): ImportRef[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles.map((f) => ({ file: path, specifier: f.fileName, line: source.slice(0, f.pos).split("\n").length }));
}

export function sourceFile(path: string, source: string): SourceFile {
  return { path, source, imports: importsOf(path, source) };
}

/** Every source file under `dir` (relative to `root`), sorted. */
export function readSources(root: string, dir = "src"): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(join(root, d)).sort()) {
      const p = `${d}/${name}`;
      if (statSync(join(root, p)).isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs)$/.test(name)) out.push(sourceFile(p, readFileSync(join(root, p), "utf8")));
    }
  };
  walk(dir);
  return out;
}
