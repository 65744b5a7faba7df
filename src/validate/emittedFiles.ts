// Every emitted file against its JSON Schema (ours for provisioning files, which Grafana publishes
// none for) and, where Grafana's generated schemas are available, each dashboard against those too.
import type { Problem } from "../errors.js";
import type { BuiltDashboard } from "../pipeline/dashboards.js";
import { referenceSchemasDir, validateAgainstReference, validateFile, type FileKind } from "./schemas.js";

// Provisioning files can hold credentials; a schema message must never echo the offending value.
const REDACT: ReadonlySet<FileKind> = new Set(["datasources"]);

export function checkFileSchema(kind: FileKind, data: unknown, file: string, extra: Partial<Problem> = {}): Problem[] {
  return validateFile(kind, data).map((i) => ({
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
    problems.push(...checkFileSchema("dashboard", d.json, d.definition.file ?? "", at));
    if (dir) {
      for (const i of validateAgainstReference(d.json, dir)) {
        problems.push({ ...at, panelTitle: i.panelTitle, code: "grafana-schema", message: `${i.pointer}: ${i.message}` });
      }
    }
  }
  return problems;
}
