// build/ops/dashboards.json against its schema (schemas/ops-dashboards.schema.json), each
// dashboard's entry checked once: the schema constrains entries one by one, so the index passes when
// the rest of it and every entry do. An entry kept from an earlier build is the same object
// (src/pipeline/opsIndex.ts), so --watch checks only the entries of dashboards that changed.
import type { Problem } from "../errors.js";
import type { OpsDashboard, OpsIndex } from "../model/opsIndex.js";
import { checkFileSchema } from "./emittedFiles.js";
import { validateFile } from "./schemas.js";

const valid = new WeakSet<OpsDashboard>();

/** The schema's problems with the index; when anything fails, the whole index is checked, for the messages. */
export function checkOpsIndex(ops: OpsIndex, file: string): Problem[] {
  const ok = (v: unknown) => validateFile("ops-dashboards", v).length === 0;
  const rest = { ...ops, dashboards: [] };
  if (ok(rest) && ops.dashboards.every((d) => valid.has(d) || (ok({ ...rest, dashboards: [d] }) && valid.add(d)))) return [];
  return checkFileSchema("ops-dashboards", ops, file);
}
