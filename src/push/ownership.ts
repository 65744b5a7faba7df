// Ownership: which live Grafana objects this toolkit manages, and so may update or delete.
//
// Rule 1 — a uid in the build is ours to write. The push creates or overwrites the object with
// that uid whatever its history (that is what declaring the uid in code means), and stamps it.
//
// Rule 2 — only a stamped object is ever deleted. `--prune` deletes an object only when it
// carries the marker below AND its uid is no longer in the build. Anything without the marker
// (made by hand, by another tool, by file provisioning) is never deleted, whatever its uid.
//
// The marker lives in the object itself, so it survives restarts, exports and other machines,
// and needs no state file. Where it goes depends on what each API can store without changing
// behaviour:
//
//   dashboards    tag `managed-by:grafana-as-code` (visible, searchable: GET /api/search?tag=…)
//   datasources   jsonData.managedBy = "grafana-as-code" (jsonData is free-form and kept as is;
//                 datasource plugins ignore keys they do not know)
//   alert rules   annotation `managed-by: grafana-as-code` (annotations do not take part in an
//                 alert's identity, grouping, routing or silencing, unlike labels)
//   folders       the legacy folder API has no free-form field, so a folder carries no marker. A
//                 folder that is not in the build is deleted by --prune only when, after this
//                 run's own deletions, it holds nothing at all (no dashboard, alert rule or
//                 subfolder) and this run emptied it by deleting stamped objects from it. Deleting
//                 a folder deletes its contents, so a folder is never deleted while anything is in
//                 it, stamped or not.
//   teams         no free-form field either: the name carries the marker, a prefix declared in
//                 config (access.teamPrefix; see ./access.ts). Without one, teams are never deleted.
//   contact points, notification policy
//                 no field can hold a marker: the push creates and updates them (by receiver uid,
//                 and the policy tree as a whole) but --prune never deletes them.
//
// Stamps are added to what is pushed, not to the build: the build's files stay exactly what file
// provisioning would load. A stamped object edited by hand in the UI is overwritten by the next
// push (the build is the truth); removing the stamp by hand is how to take an object out of the
// toolkit's hands.

export const MARKER = "grafana-as-code";
export const DASHBOARD_TAG = `managed-by:${MARKER}`;
export const DATASOURCE_JSONDATA_KEY = "managedBy";
export const RULE_ANNOTATION = "managed-by";

export function isOwnedDashboardTags(tags: unknown): boolean {
  return Array.isArray(tags) && tags.includes(DASHBOARD_TAG);
}

export function isOwnedDatasource(ds: { jsonData?: unknown }): boolean {
  const j = ds.jsonData as Record<string, unknown> | null | undefined;
  return !!j && j[DATASOURCE_JSONDATA_KEY] === MARKER;
}

export function isOwnedRule(rule: { annotations?: Record<string, string> | null }): boolean {
  return rule.annotations?.[RULE_ANNOTATION] === MARKER;
}

export function stampDashboard(model: Record<string, unknown>): Record<string, unknown> {
  const tags = Array.isArray(model.tags) ? (model.tags as unknown[]).filter((t) => typeof t === "string") : [];
  return { ...model, tags: tags.includes(DASHBOARD_TAG) ? tags : [...tags, DASHBOARD_TAG] };
}

export function stampJsonData(jsonData: Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...(jsonData ?? {}), [DATASOURCE_JSONDATA_KEY]: MARKER };
}

export function stampAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  return { ...(annotations ?? {}), [RULE_ANNOTATION]: MARKER };
}
