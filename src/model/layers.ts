// The layering of src/, declared once: test/architecture/layers.test.ts checks every import against it.
// Imports run downward (or within a layer); a tool never imports another tool; nothing in src/
// imports the repository's content, which entry points (scripts/) load and pass in.

/** Layers, lowest first. A file may import its own layer or a lower one. */
export const LAYERS = ["base", "analysis", "engine", "tools", "commands"] as const;
export type Layer = (typeof LAYERS)[number];

/** Areas of src/ (first folder, or the name without extension of a top-level file) and their layer. */
export const AREA_LAYER: Readonly<Record<string, Layer>> = {
  model: "base",
  errors: "base",
  repoRoot: "base",
  checksum: "base",
  cli: "base",
  emit: "base",
  http: "base",
  query: "analysis",
  pipeline: "engine",
  validate: "engine",
  alerting: "engine",
  presets: "engine",
  tree: "engine",
  definitions: "engine",
  datasourceUids: "engine",
  cache: "engine",
  lint: "tools",
  diff: "tools",
  push: "tools",
  import: "tools",
  "catalog-verify": "tools",
  stacks: "tools",
  preview: "tools",
  rulers: "tools",
  commands: "commands",
};

/** Folders of repository content (values, definitions): loaded by entry points, never by src/. */
export const CONTENT_DIRS = ["config", "catalog", "datasources", "dashboards", "alerts"] as const;

/** The most lines a file in src/ may have. */
export const MAX_LINES = 400;

export interface ImportRef {
  /** Path of the importing file, relative to the repository root (src/...). */
  file: string;
  /** The specifier as written. */
  specifier: string;
  line: number;
}

export interface LayerViolation {
  file: string;
  line?: number;
  specifier?: string;
  message: string;
}

/** The area of a repository-relative path under src/ ("src/lint/x.ts" → "lint", "src/errors.js" → "errors"). */
export function areaOf(path: string): string | undefined {
  const parts = path.split("/");
  if (parts[0] !== "src" || parts.length < 2) return undefined;
  return parts.length === 2 ? parts[1].replace(/(\.d)?\.[cm]?[jt]s$/, "") : parts[1];
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return out.join("/");
}

/** Where a relative specifier of `file` points, relative to the repository root. */
export function resolveSpecifier(file: string, specifier: string): string {
  const dir = file.split("/").slice(0, -1).join("/");
  return normalise(`${dir}/${specifier}`);
}

/** The violations of one import: layering, tool → tool, src → content. Package imports are not checked. */
export function checkImport(ref: ImportRef): LayerViolation[] {
  if (!ref.specifier.startsWith(".")) return [];
  const target = resolveSpecifier(ref.file, ref.specifier);
  const at = { file: ref.file, line: ref.line, specifier: ref.specifier };
  const top = target.split("/")[0];
  if ((CONTENT_DIRS as readonly string[]).includes(top))
    return [{ ...at, message: `imports repository content (${top}/); entry points load content and pass it in` }];
  const from = areaOf(ref.file);
  const to = areaOf(target);
  if (from === undefined) return [];
  if (to === undefined) return [{ ...at, message: `imports ${target}, outside src/` }];
  if (from === to) return [];
  const fromLayer = AREA_LAYER[from];
  const toLayer = AREA_LAYER[to];
  if (!fromLayer) return [{ ...at, message: `src/${from} has no layer in src/model/layers.ts` }];
  if (!toLayer) return [{ ...at, message: `imports src/${to}, which has no layer in src/model/layers.ts` }];
  if (LAYERS.indexOf(toLayer) > LAYERS.indexOf(fromLayer))
    return [{ ...at, message: `${from} (${fromLayer}) imports ${to} (${toLayer}): imports run downward` }];
  if (fromLayer === "tools" && toLayer === "tools") return [{ ...at, message: `tool ${from} imports tool ${to}: a tool never imports another tool` }];
  return [];
}

export interface SourceFile {
  /** Relative to the repository root (src/...). */
  path: string;
  source: string;
  /** Its import specifiers (static, re-exports, dynamic), as the test reads them with TypeScript. */
  imports: ImportRef[];
}

/** All violations of a set of source files: imports and sizes. `sizeExempt` lists files the size check skips. */
export function checkSources(files: readonly SourceFile[], sizeExempt: ReadonlySet<string> = new Set()): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const { path, source, imports } of files) {
    for (const ref of imports) out.push(...checkImport(ref));
    const lines = source.split("\n").length - (source.endsWith("\n") ? 1 : 0);
    if (lines > MAX_LINES && !sizeExempt.has(path)) out.push({ file: path, message: `${lines} lines (at most ${MAX_LINES}); split it into files named for what they hold` });
  }
  return out;
}

export function formatViolation(v: LayerViolation): string {
  return `${v.file}${v.line ? `:${v.line}` : ""}${v.specifier ? ` import "${v.specifier}"` : ""}: ${v.message}`;
}
