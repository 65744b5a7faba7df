// Every emitted file against its JSON Schema (ours for provisioning files, which Grafana publishes
// none for) and, where Grafana's generated schemas are available, each dashboard against those too.
import type { Problem } from "../errors.js";
import type { BuiltDashboard } from "../pipeline/dashboards.js";
import { OPS_INDEX_PATH } from "../pipeline/opsIndex.js";
import type { OutputFile } from "../pipeline/write.js";
import { referenceSchemasDir, validateAgainstReference, validateFile, type FileKind } from "./schemas.js";

// Provisioning files can hold credentials; a schema message must never echo the offending value.
const REDACT: ReadonlySet<FileKind> = new Set(["datasources"]);

export function checkFileSchema(kind: FileKind, data: unknown, file: string, extra: Partial<Problem> = {}, jsonClean = false): Problem[] {
  return validateFile(kind, data, { jsonClean }).map((i) => ({
    ...extra,
    code: "schema",
    file,
    message: `${i.pointer || "/"}: ${REDACT.has(kind) ? i.message.replace(/\s*\(got [^)]*\)/g, "") : i.message} (schemas/${kind}.schema.json)`,
  }));
}

export function checkDashboardSchemas(dashboards: BuiltDashboard[], useReference: boolean): Problem[] {
  const problems: Problem[] = [];
  const dir = useReference ? referenceSchemasDir() : null;
  for (const d of dashboards) {
    const at = { file: d.definition.file, dashboardUid: d.json.uid };
    problems.push(...checkFileSchema("dashboard", d.json, d.definition.file ?? "", at, true));
    if (dir) {
      for (const i of validateAgainstReference(d.json, dir)) {
        problems.push({ ...at, panelTitle: i.panelTitle, code: "grafana-schema", message: `${i.pointer}: ${i.message}` });
      }
    }
  }
  return problems;
}

/**
 * Largest file the build writes. The biggest dashboards here are a few hundred kilobytes; a file of
 * megabytes is a definition generating panels without end, and Grafana would load it on every view.
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Files that list the whole estate grow with the number of dashboards (the Ops index holds a few
 * kilobytes per dashboard, so 1,000 dashboards pass 4 MiB); each entry is bounded by its dashboard's
 * own limit, and Grafana never loads them.
 */
const ESTATE_WIDE: ReadonlySet<string> = new Set([OPS_INDEX_PATH]);

export function checkFileSizes(files: OutputFile[], sourceOf: (path: string) => string | undefined = () => undefined): Problem[] {
  return files.flatMap((f) => {
    if (ESTATE_WIDE.has(f.path)) return [];
    // No UTF-16 unit takes more than three bytes in UTF-8: a short text is not measured.
    if (f.content.length * 3 <= MAX_FILE_BYTES) return [];
    const bytes = Buffer.byteLength(f.content, "utf8");
    if (bytes <= MAX_FILE_BYTES) return [];
    const source = sourceOf(f.path);
    return [{ code: "output-too-large", file: source ?? `build/${f.path}`, message: `build/${f.path} would be ${bytes} bytes; the limit is ${MAX_FILE_BYTES}` }];
  });
}
