// Comparison of what the build wants with what Grafana holds. Both sides are put in one canonical
// form first, so that a second push of the same build finds nothing to do. What is ignored, and why:
//
//   every kind      id, version, created/updated, createdBy/updatedBy, url, provenance, meta: set
//                   by the server on every save. Keys whose value is null or undefined are dropped.
//   folders         title and parentUid only.
//   dashboards      id, version (server-set); tags are compared as a set; the folder from meta.
//   datasources     server-filled fields (typeLogoUrl, readOnly, secureJsonFields' values,
//                   password/basicAuthPassword placeholders); "" equals absent for url, user,
//                   database, basicAuthUser; false equals absent for booleans; access defaults to
//                   "proxy". Secret values (secureJsonData) cannot be read back, so only which
//                   secret keys are set is compared: a changed password alone is not detected.
//   alert rules     id, orgID, folderUID/ruleGroup (the group carries them), updated, provenance.
//                   `for` and `keep_firing_for` are compared as durations ("5m" = "300s"). Grafana
//                   fills intervalMs = 1000 and maxDataPoints = 43200 into every query model when
//                   it saves a rule (AlertQuery.PreSave), so both sides get those defaults.
//                   Missing annotations/labels equal {}; noDataState "NoData", execErrState
//                   "Alerting" and isPaused false are the defaults.
//   contact points  a setting Grafana returns as "[REDACTED]" (a secure setting) is taken as
//                   equal: it cannot be read back.
//   policy tree     provenance; empty lists and objects equal absent.
import { parseDurationSeconds } from "./duration.js";
import type {
  ApiAlertRule,
  DesiredContactPoint,
  DesiredDatasource,
  DesiredRuleGroup,
} from "./types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** Drops null/undefined keys, recursively; sorts object keys so comparison is order-free. */
export function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) {
      const c = canonical(v[k]);
      if (c !== undefined && c !== null) out[k] = c;
    }
    return out;
  }
  return v;
}

/** Paths where a and b differ ("panels[2].targets[0].expr"); [] when equal. */
export function diffPaths(a: unknown, b: unknown, path = "", out: string[] = [], limit = 20): string[] {
  if (out.length >= limit) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(path ? `${path} (length)` : "(length)");
      return out;
    }
    a.forEach((x, i) => diffPaths(x, b[i], `${path}[${i}]`, out, limit));
    return out;
  }
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) diffPaths(a[k], b[k], path ? `${path}.${k}` : k, out, limit);
    return out;
  }
  if (a !== b) out.push(path || "(value)");
  return out;
}

export function compare(desired: unknown, live: unknown): string[] {
  return diffPaths(canonical(desired), canonical(live));
}

const SERVER_FIELDS = ["id", "version", "created", "updated", "createdBy", "updatedBy", "url", "provenance", "meta"];
function strip(o: Obj, extra: string[] = []): Obj {
  const out = { ...o };
  for (const k of [...SERVER_FIELDS, ...extra]) delete out[k];
  return out;
}

// Folders.
export function normFolder(f: { title?: unknown; parentUid?: unknown }): Obj {
  return { title: f.title, parentUid: f.parentUid || undefined };
}

// Dashboards.
export function normDashboard(model: Obj, folderUid: string | undefined): Obj {
  const m = strip(model);
  if (Array.isArray(m.tags)) m.tags = [...new Set(m.tags as string[])].sort();
  return { model: m, folderUid: folderUid || "" };
}

// Datasources.
export function normDatasource(d: Partial<DesiredDatasource> & Obj, live: boolean): Obj {
  const secretKeys = live
    ? Object.entries((d.secureJsonFields as Obj | undefined) ?? {})
        .filter(([, v]) => v === true)
        .map(([k]) => k)
    : Object.keys(d.secureJsonData ?? {});
  const empty = (v: unknown) => (v === "" || v === null ? undefined : v);
  return {
    uid: d.uid,
    name: d.name,
    type: d.type,
    access: d.access || "proxy",
    url: empty(d.url),
    user: empty(d.user),
    database: empty(d.database),
    isDefault: d.isDefault === true,
    basicAuth: d.basicAuth === true,
    basicAuthUser: empty(d.basicAuthUser),
    withCredentials: d.withCredentials === true,
    jsonData: isObj(d.jsonData) ? d.jsonData : {},
    secretKeys: secretKeys.sort(),
  };
}

// Alert rules.
const dur = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === "") return undefined;
  try {
    return parseDurationSeconds(String(v));
  } catch {
    return Number.NaN;
  }
};

export function normQueryModel(model: unknown): Obj {
  const m = isObj(model) ? { ...model } : {};
  m.intervalMs ??= 1000;
  m.maxDataPoints ??= 43200;
  return m;
}

export function normRule(r: Partial<ApiAlertRule> & Obj): Obj {
  return {
    uid: r.uid,
    title: r.title,
    condition: r.condition || undefined,
    data: (r.data ?? []).map((q) => ({
      refId: q.refId,
      queryType: q.queryType || undefined,
      relativeTimeRange: { from: Number(q.relativeTimeRange?.from ?? 0), to: Number(q.relativeTimeRange?.to ?? 0) },
      datasourceUid: q.datasourceUid,
      model: normQueryModel(q.model),
    })),
    noDataState: r.noDataState || "NoData",
    execErrState: r.execErrState || "Alerting",
    for: dur(r.for) ?? 0,
    keepFiringFor: dur(r.keep_firing_for ?? r.keepFiringFor) || undefined,
    annotations: r.annotations ?? {},
    labels: r.labels ?? {},
    isPaused: r.isPaused === true,
    notification_settings: isObj(r.notification_settings) ? r.notification_settings : undefined,
    record: isObj(r.record) ? r.record : undefined,
  };
}

export function normRuleGroup(g: Pick<DesiredRuleGroup, "title" | "folderUid" | "interval" | "rules"> | Obj): Obj {
  const rules = ((g.rules as Obj[]) ?? []).map((r) => normRule(r as Obj));
  rules.sort((a, b) => String(a.uid).localeCompare(String(b.uid)));
  return { title: g.title, folderUid: g.folderUid, interval: Number(g.interval), rules };
}

// Contact points.
export const REDACTED = "[REDACTED]";
export function normContactPoint(c: Partial<DesiredContactPoint> & Obj, liveSettings?: Obj): Obj {
  const settings = { ...((c.settings as Obj) ?? {}) };
  if (liveSettings) {
    // Where the live side is redacted, take the desired value: the secret cannot be compared.
    for (const [k, v] of Object.entries(liveSettings)) if (v === REDACTED && k in settings) settings[k] = REDACTED;
  }
  return { uid: c.uid, name: c.name, type: c.type, settings, disableResolveMessage: c.disableResolveMessage === true };
}

// Notification policy tree.
export function normPolicy(p: unknown): unknown {
  if (Array.isArray(p)) {
    const items = p.map(normPolicy).filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  if (isObj(p)) {
    const out: Obj = {};
    for (const [k, v] of Object.entries(p)) {
      if (k === "provenance") continue;
      const n = normPolicy(v);
      if (n === undefined || n === null) continue;
      if (isObj(n) && Object.keys(n).length === 0) continue;
      out[k] = n;
    }
    return out;
  }
  return p;
}
