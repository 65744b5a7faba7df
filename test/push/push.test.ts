// `npm run push` against the in-process Grafana double: idempotence, dry run, prune, auth,
// faults, partial failure, secrets.
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/push/cli.js";
import { DASHBOARD_TAG, MARKER, RULE_ANNOTATION } from "../../src/push/ownership.js";
import { GrafanaDouble, type DoubleOptions } from "../fixtures/grafana-double.js";
import { dashboard, sampleFiles, writeTree, type SampleTreeOptions } from "../fixtures/push-tree/sampleTree.js";

const TOKEN = "glsa_T0kenThatMustNeverBePrinted_4f2a9c";
const LOKI_PASSWORD = "loki-Pa55word-never-printed";
const WEBHOOK_PASSWORD = "webhook-Pa55-never-printed";

let dir: string;
let grafana: GrafanaDouble;

async function startDouble(o: DoubleOptions = {}): Promise<GrafanaDouble> {
  grafana = await GrafanaDouble.start({ token: TOKEN, ...o });
  return grafana;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "push-test-"));
  await writeTree(dir, sampleFiles());
});

afterEach(async () => {
  await grafana?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

async function push(argv: string[] = [], env: Record<string, string | undefined> = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv: ["--dir", dir, ...argv],
    env: {
      GRAFANA_URL: grafana.url,
      GRAFANA_TOKEN: TOKEN,
      GRAFANA_LOKI_PASSWORD: LOKI_PASSWORD,
      GRAFANA_WEBHOOK_PASSWORD: WEBHOOK_PASSWORD,
      ...env,
    },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    // Fast retries; the logic is the same.
    client: { backoffBaseMs: 20, backoffCapMs: 200 },
  });
  let json: any;
  if (argv.includes("--format") || argv.some((a) => a === "--format=json")) {
    try {
      json = JSON.parse(stdout);
    } catch {
      /* not JSON */
    }
  }
  return { code, stdout, stderr, json };
}

const tree = (o: SampleTreeOptions) => writeTree(dir, sampleFiles(o));
const writesTo = (path: string | RegExp) =>
  grafana.writes().filter((w) => (typeof path === "string" ? w.path === path : path.test(w.path)));

describe("first push", () => {
  it("creates every folder, datasource, dashboard, rule group, contact point and the policy", async () => {
    await startDouble();
    const r = await push();
    expect(r.code, r.stdout + r.stderr).toBe(0);

    expect([...grafana.folders.keys()].sort()).toEqual(["llm", "ml", "services"]);
    expect(grafana.folders.get("llm")!.parentUid).toBe("ml");
    expect(grafana.folders.get("ml")!.title).toBe("ML & LLM");

    expect([...grafana.dashboards.keys()].sort()).toEqual(["api", "db", "model", "tokens"]);
    const api = grafana.dashboards.get("api")!;
    expect(api.folderUid).toBe("services");
    expect(api.version).toBe(1);
    expect(api.model.tags).toEqual(["as-code", DASHBOARD_TAG]);
    expect(api.model.panels).toHaveLength(2);
    expect(grafana.dashboards.get("tokens")!.folderUid).toBe("llm");

    const loki = grafana.datasources.get("loki")!;
    expect(loki.secureJsonData).toEqual({ basicAuthPassword: LOKI_PASSWORD });
    expect(loki.basicAuthUser).toBe("grafana");
    expect(loki.jsonData.managedBy).toBe(MARKER);
    // "$$" in the provisioning file is a literal "$".
    expect(loki.jsonData.derivedFields[0].url).toBe("${__value.raw}");
    expect(grafana.datasources.get("prometheus")!.isDefault).toBe(true);

    const rule = grafana.rules.get("api-errors")!;
    expect(rule.folderUID).toBe("services");
    expect(rule.ruleGroup).toBe("api");
    expect(rule.for).toBe("5m");
    expect(rule.noDataState).toBe("OK");
    expect(rule.annotations[RULE_ANNOTATION]).toBe(MARKER);
    // Annotations are templates: kept raw, as Grafana's file provisioning keeps them.
    expect(rule.annotations.summary).toBe("Error ratio on {{ $labels.instance }} is {{ $values.A }}");
    expect(rule.provenance).toBe("api");
    expect(grafana.rules.get("api-latency")!.for).toBe("1m30s");
    expect(grafana.groupIntervals.get("services/api")).toBe(60);

    expect(grafana.contactPoints.get("ops-webhook")!.settings.password).toBe(WEBHOOK_PASSWORD);
    expect(grafana.policy.receiver).toBe("ops");
    expect(grafana.policy.routes[0].object_matchers).toEqual([["severity", "=", "critical"]]);
  });

  it("folders come before what lives in them, and parents before children", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    const order = grafana.writes().map((w) => `${w.method} ${w.path} ${JSON.stringify(w.body).slice(0, 40)}`);
    const index = (re: RegExp) => order.findIndex((l) => re.test(l));
    expect(index(/POST \/api\/folders .*"uid":"ml"/)).toBeLessThan(index(/POST \/api\/folders .*"uid":"llm"/));
    const lastFolder = Math.max(...order.map((l, i) => (l.startsWith("POST /api/folders") ? i : -1)));
    expect(lastFolder).toBeLessThan(index(/POST \/api\/dashboards\/db/));
    expect(index(/provisioning\/contact-points/)).toBeLessThan(index(/provisioning\/policies/));
  });

  it("puts the git commit in the dashboards' version message", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"]).toString().trim();
    expect(grafana.dashboards.get("api")!.messages[0]).toContain(commit);
  });
});

describe("idempotence", () => {
  it("a second push of the same build makes zero write calls", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    const versions = [...grafana.dashboards.values()].map((d) => d.version);
    grafana.clearLog();

    const second = await push(["--format", "json"]);
    expect(second.code).toBe(0);
    expect(grafana.writes()).toEqual([]);
    expect(grafana.requests.length).toBeGreaterThan(0);
    expect(second.json.summary.dashboards).toEqual({ created: 0, updated: 0, unchanged: 4, deleted: 0, failed: 0 });
    expect(second.json.summary["rule-groups"].unchanged).toBe(1);
    expect(second.json.summary.policies.unchanged).toBe(1);
    expect([...grafana.dashboards.values()].map((d) => d.version)).toEqual(versions);
  });

  it("rewrites only what changed, and says which fields", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    // Someone edits a dashboard in the UI; the build renames another.
    grafana.dashboards.get("db")!.model.panels[0].title = "edited by hand";
    await tree({ apiTitle: "API overview v2" });
    grafana.clearLog();

    const r = await push();
    expect(r.code).toBe(0);
    const writes = grafana.writes();
    expect(writes.map((w) => `${w.method} ${w.path} ${(w.body as any).dashboard.uid}`).sort()).toEqual([
      "POST /api/dashboards/db api",
      "POST /api/dashboards/db db",
    ]);
    expect(writes.every((w) => (w.body as any).overwrite === true && (w.body as any).folderUid === "services")).toBe(true);
    expect(grafana.dashboards.get("api")!.version).toBe(2);
    expect(grafana.dashboards.get("api")!.model.title).toBe("API overview v2");
    expect(grafana.dashboards.get("db")!.model.panels[0].title).toBe("Panel 0");
    expect(r.stdout).toMatch(/~ dashboards\s+db\s+"Database": panels\[0\]\.title/);
    expect(r.stdout).toMatch(/~ dashboards\s+api\s+"API overview v2": title/);
  });

  it("--rewrite-secrets writes what holds a secret, since secrets cannot be read back", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    grafana.clearLog();
    const rotated = { GRAFANA_LOKI_PASSWORD: "rotated-loki", GRAFANA_WEBHOOK_PASSWORD: "rotated-hook" };
    expect((await push([], rotated)).code).toBe(0);
    expect(grafana.writes()).toEqual([]); // not noticed without the flag
    const r = await push(["--rewrite-secrets"], rotated);
    expect(r.code).toBe(0);
    expect(grafana.writes().map((w) => `${w.method} ${w.path}`).sort()).toEqual([
      "PUT /api/datasources/uid/loki",
      "PUT /api/v1/provisioning/contact-points/ops-webhook",
    ]);
    expect(grafana.datasources.get("loki")!.secureJsonData.basicAuthPassword).toBe("rotated-loki");
    expect(grafana.contactPoints.get("ops-webhook")!.settings.password).toBe("rotated-hook");
    expect(r.stdout).not.toContain("rotated-");
  });

  it("a datasource change is a PUT by uid carrying the live version", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    // Edited in the UI: a save bumps the version.
    Object.assign(grafana.datasources.get("prometheus")!, { url: "http://elsewhere:9090", version: 2 });
    grafana.clearLog();
    expect((await push()).code).toBe(0);
    const writes = grafana.writes();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(["PUT /api/datasources/uid/prometheus"]);
    expect((writes[0].body as any).version).toBe(2);
    expect(grafana.datasources.get("prometheus")!.url).toBe("http://prometheus:9090");
    expect(grafana.datasources.get("prometheus")!.version).toBe(3);
  });
});

describe("--dry-run", () => {
  it("writes nothing and shows the plan", async () => {
    await startDouble();
    const r = await push(["--dry-run", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(grafana.writes()).toEqual([]);
    expect(grafana.dashboards.size).toBe(0);
    expect(r.json.dryRun).toBe(true);
    expect(r.json.summary.dashboards.created).toBe(4);
    expect(r.json.summary.folders.created).toBe(3);
    expect(r.json.items.every((i: any) => i.status === "planned")).toBe(true);
  });

  it("lists deletions before changes, and deletes nothing", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    await tree({ withoutLlm: true, apiTitle: "Renamed" });
    grafana.clearLog();
    const r = await push(["--dry-run", "--prune"]);
    expect(r.code).toBe(0);
    expect(grafana.writes()).toEqual([]);
    expect(grafana.dashboards.has("tokens")).toBe(true);
    const del = r.stdout.indexOf("Would delete:");
    const change = r.stdout.indexOf("Would change:");
    expect(del).toBeGreaterThan(-1);
    expect(change).toBeGreaterThan(del);
    expect(r.stdout.slice(del, change)).toMatch(/dashboards\s+tokens/);
    expect(r.stdout.slice(del, change)).toMatch(/folders\s+llm/);
    expect(r.stdout.slice(change)).toMatch(/~ dashboards\s+api\s+"Renamed": title/);
  });
});

describe("--prune", () => {
  it("deletes only stamped objects the build no longer has; hand-made ones survive", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    // Made by hand in the UI: no marker.
    grafana.seedDashboard(dashboard("handmade", "Hand made"), "services");
    grafana.seedDashboard(dashboard("handmade-llm", "Hand made in llm"), "ml");
    grafana.seedFolder({ uid: "scratch", title: "Scratch" });
    grafana.seedDatasource({ uid: "hand-ds", name: "Hand DS", type: "prometheus", url: "http://x" });
    grafana.seedRule({
      uid: "hand-rule",
      title: "Hand rule",
      folderUID: "services",
      ruleGroup: "hand",
      condition: "A",
      data: [{ refId: "A", datasourceUid: "prometheus", relativeTimeRange: { from: 60, to: 0 }, model: { expr: "up" } }],
    });
    // The build drops the llm folder and its dashboard, and the alerting file.
    await tree({ withoutLlm: true, withoutAlerting: true });

    grafana.clearLog();
    const without = await push();
    expect(without.code).toBe(0);
    expect(grafana.writes().filter((w) => w.method === "DELETE")).toEqual([]);
    expect(grafana.dashboards.has("tokens")).toBe(true);

    const r = await push(["--prune"]);
    expect(r.code, r.stdout).toBe(0);
    expect(grafana.dashboards.has("tokens")).toBe(false);
    expect(grafana.folders.has("llm")).toBe(false);
    expect(grafana.rules.has("api-errors")).toBe(false);
    expect(grafana.rules.has("api-latency")).toBe(false);
    // Untouched: everything without the marker, and folders that still hold something.
    expect(grafana.dashboards.has("handmade")).toBe(true);
    expect(grafana.dashboards.has("handmade-llm")).toBe(true);
    expect(grafana.folders.has("scratch")).toBe(true);
    expect(grafana.folders.has("services")).toBe(true);
    expect(grafana.datasources.has("hand-ds")).toBe(true);
    expect(grafana.rules.has("hand-rule")).toBe(true);
    // Contact points and the policy are never pruned.
    expect(grafana.contactPoints.has("ops-webhook")).toBe(true);
    const deletes = grafana
      .writes()
      .filter((w) => w.method === "DELETE")
      .map((w) => w.path)
      .sort();
    expect(deletes).toEqual([
      "/api/dashboards/uid/tokens",
      "/api/folders/llm",
      "/api/v1/provisioning/alert-rules/api-errors",
      "/api/v1/provisioning/alert-rules/api-latency",
    ]);
  });

  it("keeps a folder the build dropped while something unstamped is in it", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    grafana.seedDashboard(dashboard("mine", "Mine, by hand"), "llm");
    await tree({ withoutLlm: true });
    const r = await push(["--prune"]);
    expect(r.code).toBe(0);
    expect(grafana.dashboards.has("tokens")).toBe(false);
    expect(grafana.dashboards.has("mine")).toBe(true);
    expect(grafana.folders.has("llm")).toBe(true);
  });

  it("re-checks a folder right before deleting it, and keeps it if something arrived meanwhile", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    await tree({ withoutLlm: true });
    // Hold the dashboard deletion long enough for someone to add a dashboard to the folder.
    grafana.inject("DELETE", "/api/dashboards/uid/tokens", { type: "slow", delayMs: 300 }, 1);
    const running = push(["--prune"]);
    while (!grafana.requests.some((q) => q.method === "DELETE")) await new Promise((r) => setTimeout(r, 10));
    grafana.seedDashboard(dashboard("arrived", "Arrived meanwhile"), "llm");
    const r = await running;
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/folders\s+llm\s+"LLM": not deleted: the folder is not empty/);
    expect(grafana.folders.has("llm")).toBe(true);
    expect(grafana.dashboards.has("arrived")).toBe(true);
    expect(grafana.dashboards.has("tokens")).toBe(false);
  });

  it("deletes a stamped datasource the build dropped, never an unstamped one", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    grafana.seedDatasource({ uid: "hand-ds", name: "Hand DS", type: "prometheus", url: "http://x" });
    const files = sampleFiles().map((f) =>
      f.path.endsWith("datasources.yaml") ? { ...f, content: f.content.replace(/\n  - name: Loki[\s\S]*$/, "\n") } : f,
    );
    await writeTree(dir, files);
    const r = await push(["--prune", "--only", "datasources"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(grafana.datasources.has("loki")).toBe(false);
    expect(grafana.datasources.has("prometheus")).toBe(true);
    expect(grafana.datasources.has("hand-ds")).toBe(true);
  });
});

describe("credentials", () => {
  it("401 stops everything before any write, with a clear message", async () => {
    await startDouble();
    const r = await push([], { GRAFANA_TOKEN: "wrong-token" });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/rejected the credentials \(401\).*GRAFANA_TOKEN.*Nothing was written/);
    expect(grafana.writes()).toEqual([]);
    expect(grafana.requests.map((q) => q.path)).toEqual(["/api/health", "/api/folders"]);
    expect(r.stdout + r.stderr).not.toContain("wrong-token");
  });

  it("403 stops everything before any write", async () => {
    await startDouble({ role: "None" });
    const r = await push();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not allowed to read folders \(403\)/);
    expect(grafana.writes()).toEqual([]);
  });

  it("basic auth works, and GRAFANA_ORG_ID is sent on every authenticated call", async () => {
    await startDouble({ user: "admin", password: "basic-Pa55" });
    const r = await push([], { GRAFANA_TOKEN: undefined, GRAFANA_USER: "admin", GRAFANA_PASSWORD: "basic-Pa55", GRAFANA_ORG_ID: "1" });
    expect(r.code, r.stderr).toBe(0);
    expect(grafana.dashboards.size).toBe(4);
    expect(grafana.requests.filter((q) => q.path !== "/api/health").every((q) => q.orgId === "1")).toBe(true);
    expect(r.stdout + r.stderr).not.toContain("basic-Pa55");
  });

  it("credentials rejected mid-run stop the remaining writes (exit 3, as at the start)", async () => {
    await startDouble();
    grafana.inject("POST", "/api/dashboards/db", { type: "status", status: 401, body: { message: "Invalid API key" } }, 1);
    const r = await push(["--concurrency", "1"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Stopped: Grafana rejected the credentials \(401\)/);
    expect(r.stdout).toMatch(/not attempted: credentials rejected \(401\)/);
    const first401 = grafana.requests.findIndex((q) => q.status === 401);
    expect(grafana.requests.slice(first401 + 1).filter((q) => q.method !== "GET")).toEqual([]);
  });

  it("a viewer's writes fail one by one; the push reports them and exits non-zero", async () => {
    await startDouble({ role: "Viewer" });
    const r = await push(["--only", "dashboards"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/403 You'll need additional permissions/);
    expect(grafana.dashboards.size).toBe(0);
  });
});

describe("faults", () => {
  it("survives 500s, 429 with Retry-After, connection resets and slow responses", async () => {
    await startDouble();
    grafana
      .inject("POST", "/api/dashboards/db", { type: "status", status: 500 }, 3)
      .inject("GET", "/api/datasources/uid/loki", { type: "rate-limit", retryAfterSeconds: 1 }, 1)
      .inject("POST", "/api/folders", { type: "reset" }, 2)
      .inject("GET", "/api/folders/services", { type: "slow", delayMs: 1500 }, 1)
      .inject("PUT", /rule-groups/, { type: "status", status: 503, body: { message: "unavailable" } }, 2)
      .inject("GET", "/api/search", { type: "status", status: 502 }, 1);
    const r = await push(["--timeout", "0.5"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(grafana.folders.size).toBe(3);
    expect(grafana.dashboards.size).toBe(4);
    expect(grafana.datasources.size).toBe(2);
    expect(grafana.rules.size).toBe(2);

    // Retry-After: 1 was honoured.
    const lokiReads = grafana.requests.filter((q) => q.method === "GET" && q.path === "/api/datasources/uid/loki");
    expect(lokiReads.map((q) => q.status)).toEqual([429, 404]);
    expect(lokiReads[1].at - lokiReads[0].at).toBeGreaterThanOrEqual(950);
    // The slow read timed out and was asked again.
    expect(grafana.requests.filter((q) => q.path === "/api/folders/services" && q.method === "GET").length).toBe(2);

    // And the next push finds nothing to do: retries did not leave duplicates or drift.
    grafana.clearLog();
    expect((await push()).code).toBe(0);
    expect(grafana.writes()).toEqual([]);
  });

  it("a create whose answer was lost is not duplicated when retried", async () => {
    await startDouble();
    // The server applies the POST, but the client gives up waiting and retries.
    grafana.inject("POST", "/api/datasources", { type: "slow", delayMs: 800 }, 1);
    grafana.inject("POST", "/api/folders", { type: "slow", delayMs: 800 }, 1);
    const r = await push(["--timeout", "0.4"]);
    expect(r.code, r.stdout).toBe(0);
    expect(grafana.datasources.size).toBe(2);
    expect(grafana.folders.size).toBe(3);
  });

  it("retries a folder update once after a 412 version-mismatch, with the new version", async () => {
    await startDouble();
    expect((await push()).code).toBe(0);
    await tree({ servicesTitle: "Services (prod)" });
    grafana.folders.get("services")!.version = 7; // someone else saved it meanwhile
    grafana.inject(
      "PUT",
      "/api/folders/services",
      { type: "status", status: 412, body: { message: "The folder has been changed by someone else", status: "version-mismatch" } },
      1,
    );
    const r = await push();
    expect(r.code, r.stdout).toBe(0);
    expect(grafana.folders.get("services")!.title).toBe("Services (prod)");
    const puts = writesTo("/api/folders/services");
    expect(puts.map((p) => p.status)).toEqual([412, 200]);
    expect((puts[1].body as any).version).toBe(7);
  });

  it("keeps at most --concurrency requests in flight", async () => {
    await startDouble();
    await tree({ extraDashboards: 30 });
    grafana.inject(undefined, /^\/api\/(dashboards|search)/, { type: "slow", delayMs: 20 }, 1000);
    expect((await push(["--concurrency", "2"])).code).toBe(0);
    expect(grafana.maxInFlight).toBeLessThanOrEqual(2);
    grafana.maxInFlight = 0;
    await tree({ extraDashboards: 30, apiTitle: "x" });
    grafana.dashboards.clear();
    expect((await push(["--concurrency", "8"])).code).toBe(0);
    expect(grafana.maxInFlight).toBeGreaterThan(2);
    expect(grafana.maxInFlight).toBeLessThanOrEqual(8);
  });

  it("never retries a 4xx other than 429", async () => {
    await startDouble();
    grafana.inject("POST", "/api/dashboards/db", { type: "status", status: 400, body: { message: "bad request data" } }, 1);
    const r = await push();
    expect(r.code).toBe(1);
    expect(writesTo("/api/dashboards/db")).toHaveLength(4);
    expect(grafana.dashboards.size).toBe(3);
  });

  it("gives up after --retries and reports the failure", async () => {
    await startDouble();
    grafana.inject("POST", "/api/v1/provisioning/contact-points", { type: "status", status: 500 }, 100);
    const r = await push(["--retries", "2", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(writesTo("/api/v1/provisioning/contact-points")).toHaveLength(3);
    const failed = r.json.items.filter((i: any) => i.status === "failed");
    expect(failed.map((i: any) => `${i.kind} ${i.id}`).sort()).toEqual(["contact-points ops-webhook", "policies root"]);
    expect(failed.find((i: any) => i.kind === "policies").error).toMatch(/not attempted: contact-points ops-webhook failed/);
    // Everything else went through.
    expect(grafana.dashboards.size).toBe(4);
    expect(grafana.rules.size).toBe(2);
  });
});

describe("partial failure", () => {
  it("a dashboard Grafana rejects (400) leaves the rest pushed and exits non-zero", async () => {
    await startDouble();
    const badUid = "x".repeat(41); // Grafana: uid too long, max 40 characters
    await tree({ dashboards: [{ folderUid: "services", model: dashboard(badUid, "Too long a uid") }] });
    const r = await push(["--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.json.ok).toBe(false);
    const bad = r.json.items.find((i: any) => i.id === badUid);
    expect(bad.status).toBe("failed");
    expect(bad.error).toMatch(/400 uid too long, max 40 characters/);
    expect([...grafana.dashboards.keys()].sort()).toEqual(["api", "db", "model", "tokens"]);
    expect(grafana.rules.size).toBe(2);
    // Not retried.
    expect(grafana.writes().filter((w) => (w.body as any)?.dashboard?.uid === badUid)).toHaveLength(1);
  });

  it("a folder that cannot be created fails the dashboards in it, and only those", async () => {
    await startDouble();
    grafana.inject("POST", "/api/folders", { type: "status", status: 400, body: { message: "folder title cannot be empty" } }, 1);
    const r = await push(["--format", "json"]);
    expect(r.code).toBe(1);
    const failed = r.json.items.filter((i: any) => i.status === "failed").map((i: any) => `${i.kind} ${i.id}`);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(r.json.items.filter((i: any) => i.error?.startsWith("not attempted")).length).toBeGreaterThan(0);
    expect(grafana.dashboards.size).toBeGreaterThan(0);
  });

  it("a datasource name held by another datasource is a reported 409, not an overwrite", async () => {
    await startDouble();
    grafana.seedDatasource({ uid: "other", name: "Prometheus", type: "prometheus", url: "http://other" });
    const r = await push();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/datasources\s+prometheus\s+"Prometheus": POST \/api\/datasources: 409 data source with the same name already exists/);
    expect(grafana.datasources.get("other")!.url).toBe("http://other");
    expect(grafana.datasources.has("loki")).toBe(true);
  });

  it("refuses to overwrite a hand-made dashboard that holds the same title in the folder", async () => {
    await startDouble();
    await push();
    grafana.dashboards.delete("db");
    grafana.seedDashboard(dashboard("handmade-db", "Database"), "services");
    grafana.clearLog();
    const r = await push();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/dashboards\s+db\s+"Database": the title "Database" is already used by dashboard handmade-db/);
    expect(grafana.dashboards.get("handmade-db")!.model.panels).toHaveLength(2);
    expect(writesTo("/api/dashboards/db")).toEqual([]);
  });
});

describe("secrets and configuration", () => {
  it("the token and expanded secrets never appear in any output, whatever happens", async () => {
    await startDouble();
    grafana
      .inject("POST", "/api/dashboards/db", { type: "status", status: 500, body: { message: `echo ${TOKEN} ${LOKI_PASSWORD}` } }, 100)
      .inject("POST", "/api/datasources", { type: "status", status: 400, body: { message: `bad ${LOKI_PASSWORD}` } }, 100);
    const outputs: string[] = [];
    for (const args of [[], ["--format", "json"], ["--dry-run"], ["--prune", "--retries", "1"]]) {
      const r = await push(args);
      outputs.push(r.stdout, r.stderr);
    }
    outputs.push(JSON.stringify((await push([], { GRAFANA_TOKEN: `${TOKEN}x` })).stderr));
    const all = outputs.join("\n");
    expect(all).toContain("500"); // the failures were reported...
    for (const secret of [TOKEN, LOKI_PASSWORD, WEBHOOK_PASSWORD, Buffer.from(TOKEN).toString("base64")]) {
      expect(all).not.toContain(secret); // ...without the secrets
    }
  });

  it("a missing variable is an error naming it, before any request", async () => {
    await startDouble();
    const r = await push([], { GRAFANA_LOKI_PASSWORD: undefined });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing environment variable: GRAFANA_LOKI_PASSWORD \(used by .*datasources\.yaml datasources\[1\]\.secureJsonData\.basicAuthPassword\)/);
    expect(grafana.requests).toEqual([]);
  });

  it("--only limits what is written (dashboards bring their folders)", async () => {
    await startDouble();
    const r = await push(["--only", "dashboards"]);
    expect(r.code).toBe(0);
    expect(grafana.dashboards.size).toBe(4);
    expect(grafana.folders.size).toBe(3);
    expect(grafana.datasources.size).toBe(0);
    expect(grafana.rules.size).toBe(0);
    expect(grafana.contactPoints.has("ops-webhook")).toBe(false);
  });

  it("--disable-provenance sends X-Disable-Provenance on alerting writes", async () => {
    await startDouble();
    expect((await push(["--disable-provenance"])).code).toBe(0);
    const alerting = grafana.writes().filter((w) => w.path.startsWith("/api/v1/provisioning"));
    expect(alerting.length).toBe(3);
    expect(alerting.every((w) => w.disableProvenance)).toBe(true);
    expect(grafana.rules.get("api-errors")!.provenance).toBe("");
    expect(grafana.writes().filter((w) => !w.path.startsWith("/api/v1/")).every((w) => !w.disableProvenance)).toBe(true);
  });

  it("bad usage and missing settings exit 2 without touching Grafana", async () => {
    await startDouble();
    expect((await push(["--only", "widgets"])).code).toBe(2);
    expect((await push(["--concurrency", "0"])).code).toBe(2);
    expect((await push([], { GRAFANA_URL: undefined })).code).toBe(2);
    expect((await push([], { GRAFANA_TOKEN: undefined })).code).toBe(2);
    expect(grafana.requests).toEqual([]);
  });

  it("draws a progress line on a terminal, and none otherwise", async () => {
    await startDouble();
    await tree({ extraDashboards: 20 });
    let tty = "";
    const code = await main({
      argv: ["--dir", dir],
      env: { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: "x", GRAFANA_WEBHOOK_PASSWORD: "y" },
      stdout: { write: () => true },
      stderr: { write: (s: string) => (tty += s), isTTY: true },
    });
    expect(code).toBe(0);
    expect(tty).toMatch(/\r\x1b\[2Kreading \d+\/\d+/);
    const last = [...tty.matchAll(/applying (\d+)\/(\d+)/g)].pop()!;
    expect(last[1]).toBe(last[2]);
    expect(Number(last[2])).toBe(3 + 2 + 24 + 1 + 1 + 1);
    expect(tty.endsWith("\r\x1b[2K")).toBe(true);
    const plain = await push();
    expect(plain.stderr).toBe("");
  });

  it("verifies TLS unless --insecure", async () => {
    const certDir = join(dir, "tls");
    execFileSync("mkdir", ["-p", certDir]);
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
        "-keyout", join(certDir, "key.pem"), "-out", join(certDir, "cert.pem")],
      { stdio: "ignore" },
    );
    const { readFileSync } = await import("node:fs");
    await startDouble({ tls: { key: readFileSync(join(certDir, "key.pem"), "utf8"), cert: readFileSync(join(certDir, "cert.pem"), "utf8") } });
    expect(grafana.url).toMatch(/^https:/);
    const verified = await push(["--retries", "0"]);
    expect(verified.code).toBe(3);
    expect(verified.stderr).toMatch(/not reachable: .*(self.signed|SELF_SIGNED)/i);
    expect(grafana.writes()).toEqual([]);
    const insecure = await push(["--insecure"]);
    expect(insecure.code, insecure.stdout + insecure.stderr).toBe(0);
    expect(grafana.dashboards.size).toBe(4);
  });

  it("--env builds in memory through the pipeline and pushes the result", async () => {
    await startDouble();
    let stdout = "";
    const asked: string[] = [];
    const code = await main({
      argv: ["--env", "prod"],
      env: { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: "x", GRAFANA_WEBHOOK_PASSWORD: "y" },
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      buildForEnv: async (env) => {
        asked.push(env);
        return sampleFiles();
      },
    });
    expect(code, stdout).toBe(0);
    expect(asked).toEqual(["prod"]);
    expect(grafana.dashboards.size).toBe(4);
  });
});

describe("the script", () => {
  function runScript(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "scripts/push.ts", ...args], {
        cwd: join(__dirname, "../.."),
        env: { PATH: process.env.PATH ?? "", ...env },
      });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("close", (code) => resolve({ code: code ?? -1, out }));
    });
  }

  it("--help prints usage; a real run prints no secret", async () => {
    await startDouble();
    const help = await runScript(["--help"], {});
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Usage: npm run push/);
    expect(help.out).toMatch(/--dry-run/);

    grafana.inject("POST", "/api/dashboards/db", { type: "status", status: 500, body: { message: `leak ${TOKEN}` } }, 100);
    const env = { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: LOKI_PASSWORD, GRAFANA_WEBHOOK_PASSWORD: WEBHOOK_PASSWORD };
    const run = await runScript(["--dir", dir, "--retries", "1"], env);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/Finished with failures/);
    expect(run.out).not.toContain(TOKEN);
    expect(run.out).not.toContain(LOKI_PASSWORD);
    const bad = await runScript(["--dir", dir], { ...env, GRAFANA_TOKEN: "nope" });
    expect(bad.code).toBe(3);
  });
});
