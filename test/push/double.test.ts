// The Grafana double answers as Grafana's HTTP API docs say; the push tests rely on it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GrafanaDouble } from "../fixtures/grafana-double.js";

let g: GrafanaDouble;
beforeEach(async () => {
  g = await GrafanaDouble.start({ token: "tok", user: "admin", password: "pw" });
});
afterEach(() => g.close());

async function call(method: string, path: string, body?: unknown, auth = "Bearer tok") {
  const res = await fetch(g.url + path, {
    method,
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

describe("Grafana double", () => {
  it("health needs no auth; everything else needs a valid token or basic auth", async () => {
    expect((await fetch(`${g.url}/api/health`)).status).toBe(200);
    expect((await call("GET", "/api/folders", undefined, "Bearer nope")).status).toBe(401);
    expect((await call("GET", "/api/folders", undefined, "")).status).toBe(401);
    const basic = `Basic ${Buffer.from("admin:pw").toString("base64")}`;
    expect((await call("GET", "/api/folders", undefined, basic)).status).toBe(200);
  });

  it("dashboards: versions grow; a stale version is 412 version-mismatch unless overwrite", async () => {
    await call("POST", "/api/folders", { uid: "f", title: "F" });
    const first = await call("POST", "/api/dashboards/db", { dashboard: { uid: "d", title: "D" }, folderUid: "f" });
    expect(first.body).toMatchObject({ status: "success", uid: "d", version: 1 });
    const second = await call("POST", "/api/dashboards/db", { dashboard: { uid: "d", title: "D", version: 1 }, folderUid: "f" });
    expect(second.body.version).toBe(2);
    const stale = await call("POST", "/api/dashboards/db", { dashboard: { uid: "d", title: "D", version: 1 }, folderUid: "f" });
    expect(stale).toMatchObject({ status: 412, body: { status: "version-mismatch", message: "The dashboard has been changed by someone else" } });
    const forced = await call("POST", "/api/dashboards/db", { dashboard: { uid: "d", title: "D", version: 1 }, folderUid: "f", overwrite: true });
    expect(forced.body.version).toBe(3);
    const got = await call("GET", "/api/dashboards/uid/d");
    expect(got.body.dashboard.version).toBe(3);
    expect(got.body.meta.folderUid).toBe("f");
  });

  it("dashboards: same title in the folder is 412 name-exists; overwrite replaces that dashboard", async () => {
    await call("POST", "/api/dashboards/db", { dashboard: { uid: "a", title: "Same" } });
    const clash = await call("POST", "/api/dashboards/db", { dashboard: { uid: "b", title: "Same" } });
    expect(clash).toMatchObject({ status: 412, body: { status: "name-exists" } });
    const over = await call("POST", "/api/dashboards/db", { dashboard: { uid: "b", title: "Same", panels: [1] }, overwrite: true });
    expect(over.body.uid).toBe("a");
    expect(g.dashboards.get("a")!.model.panels).toEqual([1]);
  });

  it("dashboards: an unknown folder, an empty title, a long uid are 400; unknown uid is 404", async () => {
    expect((await call("POST", "/api/dashboards/db", { dashboard: { uid: "d", title: "D" }, folderUid: "nope" })).status).toBe(400);
    expect((await call("POST", "/api/dashboards/db", { dashboard: { uid: "d", title: "" } })).body.status).toBe("empty-name");
    expect((await call("POST", "/api/dashboards/db", { dashboard: { uid: "x".repeat(41), title: "D" } })).body.message).toBe(
      "uid too long, max 40 characters",
    );
    expect((await call("GET", "/api/dashboards/uid/nope")).status).toBe(404);
  });

  it("folders: 404 not found, 409 on an existing uid, 412 on a stale version, nested parents", async () => {
    expect((await call("GET", "/api/folders/nope")).body).toEqual({ message: "Folder not found", status: "not-found" });
    expect((await call("POST", "/api/folders", { uid: "p", title: "P" })).body.version).toBe(1);
    expect((await call("POST", "/api/folders", { uid: "p", title: "Other" })).status).toBe(409);
    expect((await call("POST", "/api/folders", { uid: "c", title: "C", parentUid: "missing" })).status).toBe(404);
    expect((await call("POST", "/api/folders", { uid: "c", title: "C", parentUid: "p" })).body.parentUid).toBe("p");
    expect((await call("PUT", "/api/folders/p", { title: "P2", version: 1 })).body.version).toBe(2);
    expect((await call("PUT", "/api/folders/p", { title: "P3", version: 1 })).body).toMatchObject({ status: "version-mismatch" });
    expect((await call("GET", "/api/folders?parentUid=p")).body.map((f: { uid: string }) => f.uid)).toEqual(["c"]);
  });

  it("datasources: 409 on a taken name or uid, secrets read back only as secureJsonFields", async () => {
    const created = await call("POST", "/api/datasources", { uid: "p", name: "P", type: "prometheus", secureJsonData: { password: "s" } });
    expect(created.body).toMatchObject({ message: "Datasource added", datasource: { version: 1, secureJsonFields: { password: true } } });
    expect(JSON.stringify(created.body)).not.toContain('"s"');
    expect((await call("POST", "/api/datasources", { uid: "q", name: "P", type: "prometheus" })).body.message).toBe(
      "data source with the same name already exists",
    );
    expect((await call("POST", "/api/datasources", { uid: "p", name: "Q", type: "prometheus" })).body.message).toBe(
      "data source with the same uid already exists",
    );
    const updated = await call("PUT", "/api/datasources/uid/p", { name: "P", type: "prometheus", url: "http://x", version: 1 });
    expect(updated.body.datasource.version).toBe(2);
    expect(g.datasources.get("p")!.secureJsonData).toEqual({ password: "s" }); // kept when not sent
    expect((await call("PUT", "/api/datasources/uid/p", { name: "P", type: "prometheus", version: 1 })).status).toBe(409);
    expect((await call("GET", "/api/datasources/uid/nope")).status).toBe(404);
  });

  it("alerting: group PUT validates, fills query defaults, replaces the group; folder must exist", async () => {
    const rule = {
      uid: "r1",
      title: "R1",
      condition: "A",
      data: [{ refId: "A", datasourceUid: "p", relativeTimeRange: { from: 60, to: 0 }, model: { expr: "up" } }],
    };
    expect((await call("PUT", "/api/v1/provisioning/folder/nope/rule-groups/g", { interval: 60, rules: [rule] })).status).toBe(404);
    await call("POST", "/api/folders", { uid: "f", title: "F" });
    expect((await call("PUT", "/api/v1/provisioning/folder/f/rule-groups/g", { interval: 15, rules: [rule] })).status).toBe(400);
    expect((await call("PUT", "/api/v1/provisioning/folder/f/rule-groups/g", { interval: 60, rules: [{ ...rule, condition: "Z" }] })).status).toBe(400);
    const ok = await call("PUT", "/api/v1/provisioning/folder/f/rule-groups/g", { interval: 60, rules: [rule, { ...rule, uid: "r2" }] });
    expect(ok.status).toBe(200);
    expect(ok.body.rules[0].data[0].model).toEqual({ expr: "up", intervalMs: 1000, maxDataPoints: 43200 });
    expect(ok.body.rules[0].provenance).toBe("api");
    await call("PUT", "/api/v1/provisioning/folder/f/rule-groups/g", { interval: 60, rules: [rule] });
    expect([...g.rules.keys()]).toEqual(["r1"]);
    expect((await call("GET", "/api/v1/provisioning/folder/f/rule-groups/missing")).status).toBe(404);
  });

  it("contact points read back redacted; the policy must name existing receivers", async () => {
    const cp = await call("POST", "/api/v1/provisioning/contact-points", { uid: "w", name: "hook", type: "webhook", settings: { url: "u", password: "pw" } });
    expect(cp.status).toBe(202);
    const list = await call("GET", "/api/v1/provisioning/contact-points?name=hook");
    expect(list.body[0].settings).toEqual({ url: "u", password: "[REDACTED]" });
    expect((await call("PUT", "/api/v1/provisioning/policies", { receiver: "nobody" })).status).toBe(400);
    expect((await call("PUT", "/api/v1/provisioning/policies", { receiver: "hook" })).status).toBe(202);
  });

  it("injects faults per route, a given number of times, and logs every request", async () => {
    g.inject("GET", "/api/folders", { type: "status", status: 500 }, 2);
    g.inject("GET", "/api/search", { type: "rate-limit", retryAfterSeconds: 7 }, 1);
    expect((await call("GET", "/api/folders")).status).toBe(500);
    expect((await call("GET", "/api/folders")).status).toBe(500);
    expect((await call("GET", "/api/folders")).status).toBe(200);
    const limited = await call("GET", "/api/search");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    g.inject("GET", "/api/folders", { type: "reset" }, 1);
    await expect(fetch(`${g.url}/api/folders`, { headers: { Authorization: "Bearer tok" } })).rejects.toThrow();
    expect(g.requests.map((r) => r.status)).toEqual([500, 500, 200, 429, -1]);
  });
});
