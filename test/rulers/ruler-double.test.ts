// The ruler double answers as Mimir's ruler API does (pkg/ruler/api.go, the HTTP API reference):
// YAML listings, 202 on writes, 404 and 400 as plain text, tenants required and isolated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { RulerDouble } from "../fixtures/ruler-double.js";

let mimir: RulerDouble;
const API = "/prometheus/config/v1/rules";
beforeAll(async () => {
  mimir = await RulerDouble.start({ root: API });
});
afterAll(() => mimir.close());

const call = async (method: string, path: string, tenant: string | null = "t1", body?: string) => {
  const res = await fetch(`${mimir.url}${path}`, { method, body, headers: { ...(tenant ? { "X-Scope-OrgID": tenant } : {}), "Content-Type": "application/yaml" } });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
};
const group = { name: "g/1", interval: "1m", rules: [{ record: "job:up:sum", expr: "sum by (job) (up)" }] };

describe("ruler double", () => {
  it("no tenant: 401 no org id", async () => {
    expect(await call("GET", API, null)).toMatchObject({ status: 401, text: "no org id\n" });
  });

  it("nothing yet: 404 no rule groups found, as plain text", async () => {
    expect(await call("GET", API)).toEqual({ status: 404, type: "text/plain; charset=utf-8", text: "no rule groups found\n" });
    expect((await call("GET", `${API}/ns`)).status).toBe(404);
    expect(await call("GET", `${API}/ns/g`)).toMatchObject({ status: 404, text: "group does not exist\n" });
    expect(await call("DELETE", `${API}/ns/g`)).toMatchObject({ status: 404, text: "group does not exist\n" });
    expect(await call("DELETE", `${API}/ns`)).toMatchObject({ status: 404, text: "group namespace does not exist\n" });
  });

  it("POST a group (escaped namespace and name) → 202; listed as YAML; other tenants see nothing", async () => {
    const posted = await call("POST", `${API}/${encodeURIComponent("team/a")}`, "t1", stringify(group));
    expect(posted.status).toBe(202);
    expect(JSON.parse(posted.text)).toEqual({ status: "success", data: null, errorType: "", error: "" });
    const list = await call("GET", API);
    expect(list.type).toBe("application/yaml");
    expect(parse(list.text)).toEqual({ "team/a": [group] });
    expect(parse((await call("GET", `${API}/${encodeURIComponent("team/a")}/${encodeURIComponent("g/1")}`)).text)).toEqual(group);
    expect((await call("GET", API, "t2")).status).toBe(404);
    expect((await call("DELETE", `${API}/${encodeURIComponent("team/a")}/${encodeURIComponent("g/1")}`, "t2")).status).toBe(404);
    expect((await call("DELETE", `${API}/${encodeURIComponent("team/a")}/${encodeURIComponent("g/1")}`)).status).toBe(202);
    expect((await call("GET", API)).status).toBe(404);
  });

  it("a body it cannot use: 400 with the reason", async () => {
    expect(await call("POST", `${API}/ns`, "t1", "name: [")).toMatchObject({ status: 400, text: "unable to decoded rule group\n" });
    const bad = { name: "b", rules: [{ record: "x", alert: "Y", expr: "" }] };
    expect(await call("POST", `${API}/ns`, "t1", stringify(bad))).toMatchObject({
      status: 400,
      text: `group "b", rule 1, "x": one of 'record' or 'alert' must be set, group "b", rule 1, "x": field 'expr' must be set in rule\n`,
    });
    expect(mimir.groupsOf("t1")).toEqual({});
  });
});
