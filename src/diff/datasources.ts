// Datasources by uid. URLs and trace/log/metric correlation settings are shown before → after;
// anything secret-related (secureJsonData, basic-auth user and password, HTTP header values, any
// field named like a password, token, secret or key) is reported as changed without a value.
import { fieldChange } from "./dashboards.js";
import type { Tree } from "./load.js";
import type { DatasourceChange } from "./model.js";
import { deepDiff, isObject, isSecretPath, joinPath, redactUrl, type Json, type JsonObject } from "./values.js";

/** jsonData keys that link one signal to another (exemplars, derived fields, traces to logs/metrics...). */
export const CORRELATION_KEYS = new Set([
  "exemplarTraceIdDestinations",
  "derivedFields",
  "tracesToLogs",
  "tracesToLogsV2",
  "tracesToMetrics",
  "tracesToProfiles",
  "serviceMap",
  "nodeGraph",
  "lokiSearch",
  "search",
  "traceQuery",
  "spanBar",
  "correlations",
]);

function category(path: string): "url" | "correlation" | "secret" | "setting" {
  if (isSecretPath(path)) return "secret";
  if (path === "url") return "url";
  const m = /^jsonData\.([^.[]+)/.exec(path);
  if (m && CORRELATION_KEYS.has(m[1])) return "correlation";
  return "setting";
}

/** Paths of secret-related fields a datasource sets (names only). */
function secretFields(v: Json, path = ""): string[] {
  if (path && isSecretPath(path)) return [path];
  if (isObject(v)) return Object.entries(v).flatMap(([k, x]) => secretFields(x, joinPath(path, k)));
  if (Array.isArray(v)) return v.flatMap((x, i) => secretFields(x, `${path}[${i}]`));
  return [];
}

const withRedactedUrl = (ds: JsonObject): JsonObject => (typeof ds.url === "string" ? { ...ds, url: redactUrl(ds.url) } : ds);

export function compareDatasources(base: Tree, head: Tree): DatasourceChange[] {
  const out: DatasourceChange[] = [];
  for (const uid of [...new Set([...base.datasources.keys(), ...head.datasources.keys()])].sort()) {
    const a = base.datasources.get(uid)?.ds;
    const b = head.datasources.get(uid)?.ds;
    const either = (b ?? a)!;
    const url = (d?: JsonObject) => (typeof d?.url === "string" ? redactUrl(d.url) : undefined);
    const c: DatasourceChange = {
      uid,
      name: String(either.name ?? uid),
      type: String(either.type ?? ""),
      status: a && b ? "changed" : a ? "removed" : "added",
      url: { before: url(a), after: url(b) },
      fields: [],
    };
    if (!a || !b) {
      const secrets = secretFields(either);
      if (secrets.length) c.secretFields = secrets;
      out.push(c);
      continue;
    }
    c.fields = deepDiff(withRedactedUrl(a), withRedactedUrl(b)).map((v) => ({
      ...fieldChange(v, v.path === "url" ? "URL" : v.path.split(/[.[]/)[0]),
      category: category(v.path),
    }));
    // A password embedded in the URL changed while the visible URL stayed the same.
    if (a.url !== b.url && url(a) === url(b)) c.fields.push({ field: "URL credentials", path: "url", secret: true, category: "secret" });
    if (c.fields.length) out.push(c);
  }
  return out;
}
