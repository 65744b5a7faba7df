// The comparison engine of `npm run diff` on hand-made provisioning trees: identity matching,
// what each kind of change reports, secrets never shown, and the pictures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { compareTrees } from "../../src/diff/compare.js";
import { formatQuery } from "../../src/diff/format.js";
import { loadTree } from "../../src/diff/load.js";
import type { DiffReport } from "../../src/diff/model.js";
import { layoutSvg } from "../../src/diff/picture.js";
import { escapeHtml, renderMarkdown, wordsHtml } from "../../src/diff/render/markdown.js";
import { renderText } from "../../src/diff/render/text.js";
import { onlyNumbersChanged, wordDiff } from "../../src/diff/text.js";

const root = mkdtempSync(join(tmpdir(), "diff-engine-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Obj = Record<string, unknown>;

function panel(id: number, title: string, type: string, [x, y, w, h]: number[], extra: Obj = {}): Obj {
  return {
    id,
    title,
    type,
    description: `${title} description`,
    gridPos: { x, y, w, h },
    datasource: { type: "prometheus", uid: "${datasource}" },
    fieldConfig: { defaults: { unit: "short", thresholds: { mode: "absolute", steps: [{ color: "green", value: null }] } }, overrides: [] },
    options: { legend: { displayMode: "table", placement: "bottom", showLegend: true, calcs: ["mean"] } },
    targets: [{ refId: "A", expr: `sum(rate(${title.toLowerCase().replace(/\W+/g, "_")}_total{job=~"$job"}[$__rate_interval]))`, datasource: { type: "prometheus", uid: "${datasource}" } }],
    ...extra,
  };
}

const rowPanel = (id: number, title: string, y: number): Obj => ({ id, title, type: "row", collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });

const VARIABLES = [
  { name: "datasource", type: "datasource", query: "prometheus" },
  { name: "job", type: "query", query: "label_values(up, job)", datasource: { type: "prometheus", uid: "${datasource}" } },
  { name: "instance", type: "query", query: 'label_values(up{job=~"$job"}, instance)', datasource: { type: "prometheus", uid: "${datasource}" } },
];

function dashboard(uid: string, title: string, panels: Obj[], extra: Obj = {}): Obj {
  return {
    uid,
    title,
    description: `${title} dashboard`,
    tags: ["as-code"],
    refresh: "30s",
    links: [{ title: "Dashboards", type: "dashboards", tags: ["as-code"], asDropdown: true }],
    templating: { list: VARIABLES },
    panels,
    ...extra,
  };
}

/** The standard dashboard: two rows, four panels. */
function standard(): Obj[] {
  return [
    rowPanel(1, "Traffic", 0),
    panel(2, "Requests", "stat", [0, 1, 12, 4]),
    panel(3, "Errors", "stat", [12, 1, 12, 4]),
    rowPanel(4, "Process", 5),
    panel(5, "CPU", "timeseries", [0, 6, 12, 8]),
    panel(6, "Memory", "timeseries", [12, 6, 12, 8]),
  ];
}

const DATASOURCES = [
  {
    name: "Prometheus",
    uid: "prometheus",
    type: "prometheus",
    url: "http://prometheus:9090",
    jsonData: { httpMethod: "POST", exemplarTraceIdDestinations: [{ name: "trace_id", datasourceUid: "tempo" }] },
  },
  {
    name: "Loki",
    uid: "loki",
    type: "loki",
    url: "http://loki:3100",
    basicAuth: true,
    basicAuthUser: "grafana-reader",
    jsonData: { derivedFields: [{ name: "trace_id", matcherRegex: "trace_id=(\\w+)", url: "$${__value.raw}", datasourceUid: "tempo" }], httpHeaderName1: "X-Scope-OrgID" },
    secureJsonData: { basicAuthPassword: "${LOKI_PASSWORD}", httpHeaderValue1: "${LOKI_TENANT_TOKEN}" },
  },
];

const RULES = {
  groups: [
    {
      name: "api",
      interval: "30s",
      rules: [
        {
          alert: "HighErrorRate",
          expr: 'sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
          for: "5m",
          labels: { severity: "critical", team: "api" },
          annotations: { summary: "{{ $labels.job }} errors", description: "Error ratio above 5% for 5 minutes." },
        },
        {
          alert: "HighLatency",
          expr: "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1",
          for: "10m",
          labels: { severity: "warning" },
          annotations: { summary: "slow" },
        },
        { alert: "Down", expr: "up == 0", for: "1m", labels: { severity: "warning" }, annotations: { summary: "down" } },
        { alert: "Down", expr: "up == 0", for: "5m", labels: { severity: "critical" }, annotations: { summary: "down long" } },
        { record: "job:http_requests:rate5m", expr: "sum by (job) (rate(http_requests_total[5m]))" },
      ],
    },
  ],
};

interface TreeSpec {
  alerting?: Record<string, Obj>;
  dashboards?: { folder: string; json: Obj }[];
  datasources?: Obj[];
  rules?: Record<string, Obj>;
  prometheus?: Obj;
  alertmanager?: Obj;
  files?: Record<string, string>;
}

let n = 0;
function tree(spec: TreeSpec, opts: { indent?: number } = {}): string {
  const dir = join(root, `t${n++}`);
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  const folders = [...new Set((spec.dashboards ?? []).map((d) => d.folder))];
  write(
    "grafana/provisioning/dashboards/dashboards.yaml",
    stringify({ apiVersion: 1, providers: folders.map((f) => ({ name: f, folder: f.toUpperCase(), folderUid: f, type: "file", options: { path: `/etc/grafana/provisioning/dashboards/${f}` } })) }),
  );
  for (const d of spec.dashboards ?? []) {
    write(`grafana/provisioning/dashboards/${d.folder}/${d.json.uid}.json`, JSON.stringify(d.json, null, opts.indent ?? 2));
  }
  write("grafana/provisioning/datasources/datasources.yaml", stringify({ apiVersion: 1, prune: true, datasources: spec.datasources ?? DATASOURCES }));
  for (const [file, doc] of Object.entries(spec.rules ?? { "api.yaml": RULES })) write(`prometheus/rules/${file}`, stringify(doc));
  if (spec.prometheus) write("prometheus/prometheus.yml", stringify(spec.prometheus));
  if (spec.alertmanager) write("alertmanager/alertmanager.yml", stringify(spec.alertmanager));
  for (const [file, doc] of Object.entries(spec.alerting ?? {})) write(`grafana/provisioning/alerting/${file}`, stringify(doc));
  for (const [p, c] of Object.entries(spec.files ?? {})) write(p, c);
  write(".manifest.json", JSON.stringify({ n }));
  return dir;
}

const clone = <T>(x: T): T => structuredClone(x);

function diff(a: TreeSpec, b: TreeSpec): DiffReport {
  return compareTrees(tree(a), tree(b), { base: { label: "base" }, head: { label: "head" } });
}

const one = (dashboards: Obj[]) => ({ dashboards: dashboards.map((json) => ({ folder: "services", json })) });

/** Every string the report can show a reader. */
function allOutputs(r: DiffReport): string {
  return [JSON.stringify(r), renderMarkdown(r), renderText(r)].join("\n");
}

describe("identity and no-change", () => {
  it("the same content with another key order and indentation is no change", () => {
    const a = one([dashboard("svc", "Service", standard())]);
    const reordered = Object.fromEntries(Object.entries(dashboard("svc", "Service", standard())).reverse());
    const r = compareTrees(tree(a), tree({ ...one([reordered]) }, { indent: 4 }));
    expect(r.changed).toBe(false);
    expect(r.headline).toBe("No changes");
    expect(r.counts.dashboardsChanged).toBe(0);
  });

  it("ids renumbered by an older build (document order): only the insertion, the reflow and the id changes are reported", () => {
    const before = standard();
    const after = [
      rowPanel(1, "Traffic", 0),
      panel(2, "Requests", "stat", [0, 1, 12, 4]),
      panel(3, "Errors", "stat", [12, 1, 12, 4]),
      panel(4, "Saturation", "stat", [0, 5, 24, 4]),
      rowPanel(5, "Process", 9),
      panel(6, "CPU", "timeseries", [0, 10, 12, 8]),
      panel(7, "Memory", "timeseries", [12, 10, 12, 8]),
    ];
    const r = diff(one([dashboard("svc", "Service", before)]), one([dashboard("svc", "Service", after)]));
    const d = r.dashboards[0];
    expect(d.panels.filter((p) => p.status === "added").map((p) => p.title)).toEqual(["Saturation"]);
    // CPU, Memory and the Process row only moved down by 4.
    const moved = d.panels.filter((p) => p.status === "changed");
    expect(moved.map((p) => p.title).sort()).toEqual(["CPU", "Memory", "Process"]);
    expect(moved.every((p) => p.moved && !p.resized && p.fields.length === 0 && p.queries.length === 0)).toBe(true);
    expect(d.idChanges.map((x) => [x.title, x.before, x.after])).toEqual([
      ["Process", 4, 5],
      ["CPU", 5, 6],
      ["Memory", 6, 7],
    ]);
    expect(r.counts).toMatchObject({ panelsAdded: 1, panelsChanged: 0, panelsMoved: 2, rowsChanged: 1, queriesChanged: 0 });
    expect(renderMarkdown(r)).toMatch(/3 panels and rows shifted down by 4\*\* \(layout reflow\): Process, CPU, Memory/);
  });

  it("a retitled panel keeps its identity through its id", () => {
    const after = standard();
    after[2] = { ...after[2], title: "Errors/s" };
    const r = diff(one([dashboard("svc", "Service", standard())]), one([dashboard("svc", "Service", after)]));
    const [p] = r.dashboards[0].panels;
    expect(p.status).toBe("changed");
    expect(p.before?.title).toBe("Errors");
    expect(p.fields).toEqual([expect.objectContaining({ field: "title", before: "Errors", after: "Errors/s" })]);
    expect(r.counts).toMatchObject({ panelsAdded: 0, panelsRemoved: 0, panelsChanged: 1 });
  });
});

describe("dashboards", () => {
  it("reports added, removed, renamed and moved dashboards", () => {
    const a = { dashboards: [{ folder: "services", json: dashboard("a", "A", standard()) }, { folder: "services", json: dashboard("gone", "Gone", standard()) }] };
    const b = {
      dashboards: [{ folder: "infra", json: dashboard("a", "A renamed", standard()) }, { folder: "services", json: dashboard("new", "New", standard()) }],
    };
    const r = diff(a, b);
    const byUid = Object.fromEntries(r.dashboards.map((d) => [d.uid, d]));
    expect(Object.keys(byUid).sort()).toEqual(["a", "gone", "new"]);
    expect(byUid.a).toMatchObject({ status: "changed", title: "A renamed", titleBefore: "A", folder: { before: "services", after: "infra" } });
    expect(byUid.a.panels).toEqual([]);
    expect(byUid.gone.status).toBe("removed");
    expect(byUid.new).toMatchObject({ status: "added", panelCount: { before: 0, after: 4 } });
    expect(r.headline).toBe("1 dashboard added, 1 dashboard removed, 1 dashboard changed, 1 folder added");
    const md = renderMarkdown(r);
    expect(md).toContain("**Renamed**: `A` → `A renamed`");
    expect(md).toContain("**Moved to another folder**: `services` → `infra`");
  });

  it("names each changed panel property: title, description, unit, thresholds, legend, visualisation, size", () => {
    const after = standard();
    const cpu = after[4] as { [k: string]: any };
    cpu.type = "bargauge";
    cpu.description = "CPU time per second, by instance";
    cpu.fieldConfig.defaults.unit = "percentunit";
    cpu.fieldConfig.defaults.thresholds.steps.push({ color: "red", value: 0.9 });
    cpu.options.legend.displayMode = "list";
    cpu.gridPos = { x: 0, y: 6, w: 24, h: 10 };
    after[5] = { ...after[5], gridPos: { x: 0, y: 16, w: 24, h: 8 } };
    const r = diff(one([dashboard("svc", "Service", standard())]), one([dashboard("svc", "Service", after)]));
    const p = r.dashboards[0].panels.find((x) => x.title === "CPU")!;
    expect(p).toMatchObject({ status: "changed", resized: true, moved: false });
    expect(p.fields.map((f) => f.field).sort()).toEqual(["description", "legend", "thresholds", "unit", "visualisation"]);
    const md = renderMarkdown(r);
    expect(md).toContain("visualisation: `timeseries` → `bargauge`");
    expect(md).toContain("unit: `short` → `percentunit`");
    expect(md).toContain("thresholds: `green` → `green, red ≥ 0.9`");
    expect(md).toContain("legend displayMode: `table` → `list`");
    expect(md).toContain("resized: `12×8 at x 0, y 6` → `24×10 at x 0, y 6`");
    expect(r.counts).toMatchObject({ panelsChanged: 1, panelsMoved: 2 });
  });

  it("compares queries by refId and shows the changed words", () => {
    const after = standard();
    const req = after[1] as { targets: Obj[] };
    req.targets = [
      { ...req.targets[0], expr: 'sum by (code) (rate(requests_total{job=~"$job"}[$__rate_interval]))', legendFormat: "{{code}}" },
      { refId: "B", expr: "vector(1)" },
    ];
    const errs = after[2] as { targets: Obj[] };
    errs.targets = [];
    const r = diff(one([dashboard("svc", "Service", standard())]), one([dashboard("svc", "Service", after)]));
    const [requests, errors] = r.dashboards[0].panels;
    expect(requests.queries.map((q) => [q.refId, q.status])).toEqual([
      ["A", "changed"],
      ["B", "added"],
    ]);
    const a = requests.queries[0];
    expect(a.lang).toBe("promql");
    expect(a.words).toEqual([
      { op: "equal", text: "sum" },
      { op: "added", text: " by (code) " },
      { op: "equal", text: '(rate(requests_total{job=~"$job"}[$__rate_interval]))' },
    ]);
    expect(a.fields).toEqual([expect.objectContaining({ path: "legendFormat", after: "{{code}}" })]);
    expect(errors.queries.map((q) => [q.refId, q.status])).toEqual([["A", "removed"]]);
    expect(r.counts).toMatchObject({ queriesAdded: 1, queriesRemoved: 1, queriesChanged: 1 });
    const md = renderMarkdown(r);
    expect(md).toContain("<ins><b> by (code) </b></ins>");
    expect(md).toMatch(/```diff\n- sum\(rate\(requests_total\{job=~"\$job"\}\[\$__rate_interval\]\)\)\n\+ sum by \(code\) \(rate/);
    expect(renderText(r)).toContain('sum{+ by (code) +}(rate(requests_total{job=~"$job"}[$__rate_interval]))');
  });

  it("reports variables and links added, removed and changed", () => {
    const b = dashboard("svc", "Service", standard(), {
      templating: {
        list: [VARIABLES[0], { ...VARIABLES[1], query: "label_values(up{env=\"prod\"}, job)" }, { name: "path", type: "query", query: "label_values(http_requests_total, path)" }],
      },
      links: [{ title: "Runbook", type: "link", url: "https://example.org/runbook" }],
    });
    const r = diff(one([dashboard("svc", "Service", standard())]), one([b]));
    const d = r.dashboards[0];
    expect(d.variables.map((v) => [v.name, v.status])).toEqual([
      ["job", "changed"],
      ["instance", "removed"],
      ["path", "added"],
    ]);
    expect(d.variables[0].fields).toEqual([expect.objectContaining({ path: "query", before: "label_values(up, job)", after: 'label_values(up{env="prod"}, job)' })]);
    expect(d.links.map((l) => [l.name, l.status])).toEqual([
      ["Dashboards", "removed"],
      ["Runbook", "added"],
    ]);
    expect(r.headline).toBe("1 dashboard changed, 1 variable added, 1 variable removed, 1 variable changed, 2 dashboard links changed");
    expect(renderMarkdown(r)).toContain("**Variable removed**: `$instance`");
  });

  it("escapes Markdown in titles and queries", () => {
    const after = standard();
    after[1] = { ...after[1], title: "p99 *latency* | `raw` $x_y_" };
    (after[2] as { targets: Obj[] }).targets = [{ refId: "A", expr: 'a_b{c="*_~$"} * 2' }];
    const r = diff(one([dashboard("svc", "Service", standard())]), one([dashboard("svc", "Service", after)]));
    const md = renderMarkdown(r);
    expect(md).toContain("**p99 \\*latency\\* \\| \\`raw\\` \\$x\\_y\\_**");
    expect(md).not.toMatch(/<code>[^<]*[*_~$`]/);
    expect(escapeHtml("a*b_c~d$e")).toBe("a&#42;b&#95;c&#126;d&#36;e");
  });
});

describe("datasources", () => {
  it("shows URL and correlation changes; secret-related fields only as changed, never a value", () => {
    const b = clone(DATASOURCES) as any[];
    b[0].url = "http://prometheus-2:9090";
    b[0].jsonData.exemplarTraceIdDestinations[0].datasourceUid = "jaeger";
    b[1].basicAuthUser = "grafana-writer";
    b[1].secureJsonData.basicAuthPassword = "${LOKI_PASSWORD_2}";
    b[1].secureJsonData.httpHeaderValue1 = "${OTHER_TENANT}";
    b[1].jsonData.apiKey = "plain-key-value";
    b.push({ name: "Tempo", uid: "tempo", type: "tempo", url: "https://svc:hunter2@tempo:3200", secureJsonData: { tlsClientKey: "PRIVATE KEY DATA" } });
    const r = diff({ datasources: DATASOURCES }, { datasources: b });
    const byUid = Object.fromEntries(r.datasources.map((d) => [d.uid, d]));
    expect(byUid.prometheus.fields.map((f) => [f.category, f.path])).toEqual([
      ["correlation", "jsonData.exemplarTraceIdDestinations[name=trace_id].datasourceUid"],
      ["url", "url"],
    ]);
    expect(byUid.prometheus.url).toEqual({ before: "http://prometheus:9090", after: "http://prometheus-2:9090" });
    expect(byUid.loki.fields.map((f) => [f.category, f.path]).sort()).toEqual([
      ["secret", "basicAuthUser"],
      ["secret", "jsonData.apiKey"],
      ["secret", "secureJsonData.basicAuthPassword"],
      ["secret", "secureJsonData.httpHeaderValue1"],
    ]);
    expect(byUid.loki.fields.every((f) => f.secret && !("before" in f) && !("after" in f))).toBe(true);
    expect(byUid.tempo).toMatchObject({ status: "added", url: { after: "https://***@tempo:3200" }, secretFields: ["secureJsonData"] });
    expect(r.headline).toBe("1 datasource added, 2 datasources changed");
    const out = allOutputs(r);
    for (const secret of ["grafana-reader", "grafana-writer", "LOKI_PASSWORD", "OTHER_TENANT", "LOKI_TENANT_TOKEN", "plain-key-value", "hunter2", "PRIVATE KEY"]) {
      expect(out).not.toContain(secret);
    }
    expect(renderMarkdown(r)).toContain("secret `secureJsonData.basicAuthPassword`: **changed** (secret-related; value not shown)");
    expect(renderMarkdown(r)).toContain("URL: `http://prometheus:9090` → `http://prometheus-2:9090`");
  });

  it("reads $$ as the literal $ Grafana sees", () => {
    const b = clone(DATASOURCES) as any[];
    b[1].jsonData.derivedFields[0].url = "$${__value.raw}&x=1";
    const r = diff({ datasources: DATASOURCES }, { datasources: b });
    expect(r.datasources[0].fields).toEqual([
      expect.objectContaining({ category: "correlation", before: "${__value.raw}", after: "${__value.raw}&x=1" }),
    ]);
  });
});

describe("alerts", () => {
  const change = (edit: (groups: any) => void) => {
    const b = clone(RULES) as any;
    edit(b.groups[0]);
    return diff({}, { rules: { "api.yaml": b } });
  };

  it("calls out a threshold-only change, with annotations that restate it", () => {
    const r = change((g) => {
      g.rules[0].expr = g.rules[0].expr.replace("> 0.05", "> 0.1");
      g.rules[0].annotations.description = "Error ratio above 10% for 5 minutes.";
    });
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0]).toMatchObject({ name: "HighErrorRate", group: "api", threshold: { before: ["0.05"], after: ["0.1"] } });
    expect(r.headline).toBe("1 alert threshold changed");
    expect(renderMarkdown(r)).toContain("**threshold**: `0.05` → `0.1`");
  });

  it("calls out severity changes and reports for, labels and annotations before → after", () => {
    const r = change((g) => {
      g.rules[1].labels.severity = "critical";
      g.rules[1].for = "15m";
      g.rules[1].labels.team = "sre";
      g.rules[1].annotations.summary = "p95 slow";
      g.rules[1].expr = g.rules[1].expr.replace("rate(http", "irate(http");
    });
    const [a] = r.alerts;
    expect(a).toMatchObject({ name: "HighLatency", severity: { before: "warning", after: "critical" }, for: { before: "10m", after: "15m" } });
    expect(a.threshold).toBeUndefined();
    expect(a.labels.map((l) => l.path).sort()).toEqual(["severity", "team"]);
    expect(a.annotations).toEqual([{ field: "annotation", path: "summary", before: "slow", after: "p95 slow" }]);
    expect(r.headline).toBe("1 alert changed, 1 alert severity changed");
    const md = renderMarkdown(r);
    expect(md).toContain("⚠️ **severity**: `warning` → `critical`");
    expect(md).toContain("for: `10m` → `15m`");
    expect(md).toContain("<del>rate</del><ins><b>irate</b></ins>");
  });

  it("keeps alerts with one name and two severities apart, and reports added and removed rules", () => {
    const r = change((g) => {
      g.rules[3].for = "10m";
      g.rules.splice(4, 1);
      g.rules.push({ alert: "New", expr: "vector(1)", labels: { severity: "warning" } });
    });
    expect(r.alerts.map((a) => [a.kind, a.name, a.status])).toEqual([
      ["alert", "Down", "changed"],
      ["record", "job:http_requests:rate5m", "removed"],
      ["alert", "New", "added"],
    ]);
    expect(r.alerts[0].for).toEqual({ before: "5m", after: "10m" });
    expect(r.headline).toBe("1 alert added, 1 alert changed, 1 recording rule removed");
  });
});

describe("Grafana-managed alerting", () => {
  const rule = (expr: string, severity = "warning") => ({
    uid: "host-high-cpu",
    title: "HostHighCpuUsage",
    condition: "B",
    data: [
      { refId: "A", datasourceUid: "prometheus", relativeTimeRange: { from: 600, to: 0 }, model: { refId: "A", expr, instant: true } },
      { refId: "B", datasourceUid: "__expr__", model: { refId: "B", type: "math", expression: "is_number($A)" } },
    ],
    for: "5m",
    labels: { severity },
    annotations: { summary: "CPU of {{ $labels.instance }} is busy" },
  });
  const rules = (r: Obj) => ({ apiVersion: 1, groups: [{ orgId: 1, name: "hosts", folder: "Alerts", interval: "60s", rules: [r] }] });
  const contacts = (url: string, key: string) => ({
    apiVersion: 1,
    contactPoints: [
      { orgId: 1, name: "chat", receivers: [{ uid: "chat-slack", type: "slack", settings: { url, recipient: "#alerts" } }] },
      { orgId: 1, name: "pager", receivers: [{ uid: "pager-pd", type: "pagerduty", settings: { integrationKey: key } }] },
    ],
  });

  it("compares rules by uid: the threshold inside the query, severity, and contact points without their secrets", () => {
    const cpu = '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 0.9';
    const r = diff(
      { alerting: { "rules.yaml": rules(rule(cpu)), "contact-points.yaml": contacts("$${SLACK_URL}", "$${PD_KEY}") } },
      {
        alerting: {
          "rules.yaml": rules(rule(cpu.replace("0.9", "0.8"), "critical")),
          "contact-points.yaml": contacts("https://hooks.slack.com/services/T1/B1/SECRETSECRET", "$${PD_KEY_2}"),
        },
      },
    );
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0]).toMatchObject({
      source: "grafana",
      group: "Alerts/hosts",
      name: "HostHighCpuUsage",
      threshold: { before: ["0.9"], after: ["0.8"] },
      severity: { before: "warning", after: "critical" },
      expr: { lang: "promql" },
    });
    expect(r.alerts[0].queries!.map((q) => [q.refId, q.status, q.lang])).toEqual([["A", "changed", "promql"]]);
    const grafana = r.sections.find((s) => s.section === "Grafana alerting")!;
    expect(grafana.items.map((i) => [i.list, i.name, i.fields.map((f) => [f.path, !!f.secret])])).toEqual([
      ["contactPoints", "chat", [["receivers[uid=chat-slack].settings.url", true]]],
      ["contactPoints", "pager", [["receivers[uid=pager-pd].settings.integrationKey", true]]],
    ]);
    expect(renderMarkdown(r)).toContain("- **Contact point changed**: `chat`\n  - `receivers[uid=chat-slack].settings.url`: **changed** (secret-related; value not shown)");
    expect(allOutputs(r)).not.toMatch(/SECRETSECRET|SLACK_URL|PD_KEY/);
    expect(r.headline).toBe("1 alert threshold changed, 1 alert severity changed, 2 contact points changed");
  });
});

describe("configuration and other files", () => {
  it("reports scrape jobs, Alertmanager receivers without their URLs, and unknown files", () => {
    const prom = { global: { scrape_interval: "15s" }, scrape_configs: [{ job_name: "api", static_configs: [{ targets: ["api:8000"] }] }] };
    const am = { route: { receiver: "chat" }, receivers: [{ name: "chat", slack_configs: [{ api_url: "https://hooks.slack.com/services/T000/B000/XXXX", channel: "#alerts" }] }] };
    const prom2 = clone(prom) as any;
    prom2.scrape_configs.push({ job_name: "worker", static_configs: [{ targets: ["worker:8001"] }] });
    prom2.global.scrape_interval = "30s";
    const am2 = clone(am) as any;
    am2.receivers[0].slack_configs[0].api_url = "https://hooks.slack.com/services/T000/B000/YYYY";
    am2.receivers[0].slack_configs[0].channel = "#ops";
    const r = diff({ prometheus: prom, alertmanager: am, files: { "README.txt": "a" } }, { prometheus: prom2, alertmanager: am2, files: { "README.txt": "b" } });
    const sections = Object.fromEntries(r.sections.map((s) => [s.section, s]));
    expect(sections.Prometheus.items).toEqual([expect.objectContaining({ list: "scrape_configs", name: "worker", status: "added" })]);
    expect(renderMarkdown(r)).toContain("**Scrape job added**: `worker`");
    expect(sections.Prometheus.settings).toEqual([{ path: "global.scrape_interval", before: "15s", after: "30s" }]);
    expect(sections.Alertmanager.items[0].fields.map((f) => [f.path, !!f.secret])).toEqual([
      ["slack_configs[0].api_url", true],
      ["slack_configs[0].channel", false],
    ]);
    expect(r.files).toEqual([{ path: "README.txt", status: "changed" }]);
    expect(allOutputs(r)).not.toMatch(/XXXX|YYYY/);
    expect(r.headline).toBe("1 scrape job changed, 1 Alertmanager receiver changed, 2 other changes");
  });
});

describe("query text", () => {
  it("word diff keeps whole label matchers together", () => {
    const segs = wordDiff('x{a="1", path=~"$path", b="2"}', 'x{a="1", b="2"}');
    expect(segs.filter((s) => s.op !== "equal")).toEqual([{ op: "removed", text: 'path=~"$path", ' }]);
    expect(wordsHtml(segs)).toBe("<code>x&#123;a=&#34;1&#34;, <del>path=&#126;&#34;&#36;path&#34;, </del>b=&#34;2&#34;&#125;</code>");
  });

  it("numeric-only changes are thresholds; anything else is not", () => {
    expect(onlyNumbersChanged("rate(x[5m]) > 0.05", "rate(x[5m]) > 0.1")).toBe(true);
    expect(onlyNumbersChanged("rate(x[5m]) > 0.05", "rate(x[10m]) > 0.05")).toBe(false);
    expect(onlyNumbersChanged("a > 1", "a > 1")).toBe(false);
  });

  it("formats long PromQL like promtool: operands indented, long calls broken", () => {
    const q =
      'sum by (job) (rate(http_requests_total{job="api", status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{job="api"}[5m])) > 0.05';
    expect(formatQuery(q)).toBe(
      [
        "  sum by (job) (rate(http_requests_total{job=\"api\", status=~\"5..\"}[5m]))",
        "/",
        "  sum by (job) (rate(http_requests_total{job=\"api\"}[5m]))",
        ">",
        "  0.05",
      ].join("\n"),
    );
    expect(formatQuery("up == 0")).toBe("up == 0");
    expect(formatQuery('{app="x"} | json | line_format "{{.level}} {{.msg}} {{.trace_id}} {{.span_id}} {{.caller}}" | level="error"', "logql")).toBe(
      ['{app="x"}', "  | json", '  | line_format "{{.level}} {{.msg}} {{.trace_id}} {{.span_id}} {{.caller}}"', '  | level="error"'].join("\n"),
    );
  });
});

describe("pictures", () => {
  it("draws base and head side by side with one titled box per panel and row, coloured by status", () => {
    const after = standard().filter((p) => p.title !== "Errors");
    after.push(panel(7, "Disk", "gauge", [0, 14, 8, 6]));
    (after[3] as any).fieldConfig.defaults.unit = "percent";
    const aDir = tree(one([dashboard("svc", "Service", standard())]));
    const bDir = tree(one([dashboard("svc", "Service", after)]));
    const r = compareTrees(aDir, bDir);
    const svg = layoutSvg({
      change: r.dashboards[0],
      base: loadTree(aDir).dashboards.get("svc")!.json,
      head: loadTree(bDir).dashboards.get("svc")!.json,
      baseLabel: "main",
      headLabel: "branch",
    });
    const boxes = [...svg.matchAll(/<rect [^>]*data-kind="(\w+)" data-status="(\w+)"[^>]*><title>([^<]*)<\/title><\/rect>/g)].map((m) => ({
      kind: m[1],
      status: m[2],
      title: m[3],
    }));
    expect(boxes).toHaveLength(6 + 6);
    expect(boxes.filter((b) => b.kind === "row")).toHaveLength(4);
    expect(boxes.filter((b) => b.status === "removed").map((b) => b.title)).toEqual(["Errors — stat [removed]"]);
    expect(boxes.filter((b) => b.status === "added").map((b) => b.title)).toEqual(["Disk — gauge [added]"]);
    expect(boxes.filter((b) => b.status === "changed").map((b) => b.title)).toEqual(["CPU — timeseries [changed]", "CPU — timeseries [changed]"]);
    expect(svg).toContain(">Base: main<");
    expect(svg).toContain(">Head: branch<");
    // A real SVG parser accepts it.
    expect(new Resvg(svg).render().width).toBeGreaterThan(900);
  });
});
