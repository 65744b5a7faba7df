// The one rule for `$` in an emitted provisioning tree: which values Grafana (11.x, the version
// this toolkit provisions) puts through its environment expansion, and which it keeps as written.
//
// Source: grafana/grafana pkg/services/provisioning/values/values.go — every values.StringValue,
// StringMapValue and JSONValue is split on "$$" (a literal "$"), then $__env{}/$__file{} and Go's
// os.ExpandEnv are applied (implemented in src/emit/grafanaEnv.ts). Per file kind:
//   datasources/*.yaml           every string (configs_types.go uses the values types throughout)
//   dashboards/*.yaml (providers) every string (same)
//   dashboards/**/*.json         nothing: dashboard JSON is read as written
//   alerting/*.yaml              every string, except (alerting/rules_types.go):
//     groups[].rules[].annotations        `alertRule.Annotations = rule.Annotations.Raw`
//     groups[].rules[].data[].model       `json.Marshal(queryV1.Model.Raw)` (keeps $__timeFilter)
//   so an annotation's "$$", "$VAR", "${VAR}" and "$__env{X}" reach Grafana unchanged.
// Files outside grafana/provisioning/ (Prometheus, Alertmanager) are not Grafana's to expand.

/** Expands one string value found at `where` (e.g. "file.yaml.groups[0].name"). */
export type ExpandString = (value: string, where: string) => string;

/** What a tool without the environment reads: "$$" is a "$", variables stay references. */
export const literalDollars: ExpandString = (value) => value.split("$$").join("$");

export type ProvisioningKind = "datasources" | "providers" | "dashboard" | "alerting" | "other";

export function provisioningKind(path: string): ProvisioningKind {
  const yaml = /\.ya?ml$/i.test(path);
  if (path.startsWith("grafana/provisioning/datasources/") && yaml) return "datasources";
  if (path.startsWith("grafana/provisioning/dashboards/")) return yaml ? "providers" : path.endsWith(".json") ? "dashboard" : "other";
  if (path.startsWith("grafana/provisioning/alerting/") && (yaml || path.endsWith(".json"))) return "alerting";
  return "other";
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** Every string inside a value expanded (maps and lists walked), like Grafana's JSONValue. */
export function expandStrings(value: unknown, expand: ExpandString, where: string): unknown {
  if (typeof value === "string") return expand(value, where);
  if (Array.isArray(value)) return value.map((v, i) => expandStrings(v, expand, `${where}[${i}]`));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandStrings(v, expand, `${where}.${k}`)]));
  return value;
}

/** An object with each entry expanded by `entry` (key order kept). */
function mapEntries(o: Obj, where: string, entry: (k: string, v: unknown, at: string) => unknown): Obj {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, entry(k, v, `${where}.${k}`)]));
}

/** Each item of a list read by `item` when it is a mapping, expanded whole otherwise. */
function eachMapping(v: unknown, expand: ExpandString, where: string, item: (o: Obj, at: string) => Obj): unknown {
  if (!Array.isArray(v)) return expandStrings(v, expand, where);
  return v.map((x, i) => (isObj(x) ? item(x, `${where}[${i}]`) : expandStrings(x, expand, `${where}[${i}]`)));
}

/** One Grafana-managed alert rule as Grafana reads it: annotations and query models as written. */
export function alertRuleAsGrafanaReads(rule: Obj, expand: ExpandString, where: string): Obj {
  return mapEntries(rule, where, (k, v, at) => {
    if (k === "annotations") return v;
    if (k !== "data") return expandStrings(v, expand, at);
    return eachMapping(v, expand, at, (q, qw) => mapEntries(q, qw, (qk, qv, qat) => (qk === "model" ? qv : expandStrings(qv, expand, qat))));
  });
}

/** A parsed file of the tree as Grafana reads it, by the rule above. */
export function asGrafanaReads(path: string, doc: unknown, expand: ExpandString = literalDollars): unknown {
  const kind = provisioningKind(path);
  if (kind === "dashboard" || kind === "other") return doc;
  if (kind !== "alerting" || !isObj(doc)) return expandStrings(doc, expand, path);
  return mapEntries(doc, path, (k, v, at) =>
    k !== "groups"
      ? expandStrings(v, expand, at)
      : eachMapping(v, expand, at, (g, gw) =>
          mapEntries(g, gw, (gk, gv, gat) => (gk === "rules" ? eachMapping(gv, expand, gat, (r, rw) => alertRuleAsGrafanaReads(r, expand, rw)) : expandStrings(gv, expand, gat))),
        ),
  );
}
