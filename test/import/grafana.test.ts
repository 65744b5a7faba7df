// --from-grafana against a small Grafana stand-in on 127.0.0.1 serving GET /api/dashboards/uid/:uid.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_CONTENT } from "../../scripts/content.js";
import { runImportCli, type CliIo } from "../../src/import/cli.js";
import { fetchDashboard, REPO_ROOT } from "../../src/import/index.js";

const TOKEN = "glsa_test_token";
const envelope = readFileSync(join(REPO_ROOT, "test/fixtures/import/api-envelope.json"), "utf8");

let server: Server;
let base: string;
const requests: { method?: string; url?: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const m = /^(?:\/grafana)?\/api\/dashboards\/uid\/([^/?]+)$/.exec(req.url ?? "");
    if (req.method !== "GET" || !m) return send(404, { message: "Not found" });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: "Unauthorized" });
    const uid = decodeURIComponent(m[1]);
    if (uid === "from-api") return send(200, envelope);
    if (uid === "broken") return send(200, '{"dashboard": {"uid": "broken", ');
    if (uid === "boom") return send(500, { message: "database is locked" });
    if (uid === "silent") return; // accepts the request and never answers
    if (uid === "stalled") {
      // headers and half a body, then nothing
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"dashboard": {"uid": "stalled", ');
      return;
    }
    return send(404, { message: "Dashboard not found" });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

async function cli(args: string[], env: Record<string, string | undefined>) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env, cwd: REPO_ROOT };
  return { code: await runImportCli(args, io, REPO_CONTENT), stdout: () => stdout, stderr: () => stderr };
}

describe("import --from-grafana", () => {
  it("fetches /api/dashboards/uid/<uid> with the bearer token and imports the envelope", async () => {
    requests.length = 0;
    const r = await cli(["--from-grafana", "from-api"], { GRAFANA_URL: base, GRAFANA_TOKEN: TOKEN });
    expect(r.code).toBe(0);
    expect(requests).toEqual([
      { method: "GET", url: "/api/dashboards/uid/from-api", authorization: `Bearer ${TOKEN}` },
    ]);
    expect(r.stdout()).toContain('new dashboard.DashboardBuilder("From the HTTP API")');
    expect(r.stdout()).toContain('.uid("from-api")');
    expect(r.stderr()).toContain(`import: ${base}/api/dashboards/uid/from-api`);
    expect(r.stderr()).toContain("(api-envelope)");
  });

  it("works with a Grafana served under a path and with --verify", async () => {
    requests.length = 0;
    const r = await cli(["--from-grafana", "from-api", "--verify"], {
      GRAFANA_URL: `${base}/grafana/`,
      GRAFANA_TOKEN: TOKEN,
    });
    expect(r.code).toBe(0);
    expect(requests.map((q) => q.url)).toEqual(["/grafana/api/dashboards/uid/from-api"]);
    expect(r.stderr()).toContain("verify: the generated code rebuilds the dashboard");
  });

  it("401: says the token was refused", async () => {
    const r = await cli(["--from-grafana", "from-api"], { GRAFANA_URL: base, GRAFANA_TOKEN: "wrong" });
    expect(r.code).toBe(3);
    expect(r.stdout()).toBe("");
    expect(r.stderr()).toContain("Grafana refused the request (401 Unauthorized)");
    expect(r.stderr()).toContain("check that GRAFANA_TOKEN is valid");
    const none = await cli(["--from-grafana", "from-api"], { GRAFANA_URL: base });
    expect(none.code).toBe(3);
    expect(none.stderr()).toContain("set GRAFANA_TOKEN");
  });

  it("404: names the uid and the Grafana", async () => {
    const r = await cli(["--from-grafana", "nope"], { GRAFANA_URL: base, GRAFANA_TOKEN: TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr()).toContain(`no dashboard with uid "nope" on ${base} (404)`);
  });

  it("other failures: server errors, bad JSON, unreachable, no GRAFANA_URL", async () => {
    await expect(fetchDashboard(base, "boom", TOKEN)).rejects.toThrow(/Grafana answered 500 .*database is locked/);
    await expect(fetchDashboard(base, "broken", TOKEN)).rejects.toThrow(
      `${base}/api/dashboards/uid/broken: invalid JSON at line 1, column 33: expected a property name in double quotes, found end of input`,
    );
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    await expect(fetchDashboard(`http://127.0.0.1:${port}`, "x", TOKEN)).rejects.toThrow(/cannot reach Grafana/);
    const r = await cli(["--from-grafana", "from-api"], {});
    expect(r.code).toBe(2);
    expect(r.stderr()).toContain("--from-grafana needs GRAFANA_URL");
    // On the command line: a remote failure is exit 3, one line, no stack.
    for (const [uid, url, text] of [
      ["boom", base, "Grafana answered 500"],
      ["broken", base, "invalid JSON at line 1, column 33"],
      ["x", `http://127.0.0.1:${port}`, "cannot reach Grafana"],
    ]) {
      const c = await cli(["--from-grafana", uid], { GRAFANA_URL: url, GRAFANA_TOKEN: TOKEN });
      expect(c.code, uid).toBe(3);
      expect(c.stderr()).toContain(text);
      expect(c.stderr().trim().split("\n")).toHaveLength(1);
      expect(c.stderr()).not.toMatch(/\n\s+at /);
    }
  });

  it("--uid overrides the uid of the fetched dashboard", async () => {
    const r = await cli(["--from-grafana", "from-api", "--uid", "copy-of-api"], {
      GRAFANA_URL: base,
      GRAFANA_TOKEN: TOKEN,
    });
    expect(r.code).toBe(0);
    expect(r.stdout()).toContain('.uid("copy-of-api")');
  });
});

describe("a Grafana that never answers in full", () => {
  it("fails within --timeout, for a silent server and for a body that stops half-way: exit 3, one line", async () => {
    for (const uid of ["silent", "stalled"]) {
      const started = Date.now();
      await expect(fetchDashboard(base, uid, TOKEN, { timeoutMs: 300 })).rejects.toThrow(/did not answer in full within 0\.3 s \(--timeout\)/);
      expect(Date.now() - started).toBeLessThan(5_000);
      const r = await cli(["--from-grafana", uid, "--timeout", "0.3"], { GRAFANA_URL: base, GRAFANA_TOKEN: TOKEN });
      expect(r.code).toBe(3);
      expect(r.stderr().trim().split("\n")).toHaveLength(1);
      expect(r.stderr()).not.toContain(TOKEN);
    }
  });

  it("a --timeout that is not a positive number of seconds is a usage error", async () => {
    for (const t of ["0", "-1", "abc", "Infinity"]) {
      const r = await cli(["--from-grafana", "from-api", "--timeout", t], { GRAFANA_URL: base, GRAFANA_TOKEN: TOKEN });
      expect(r.code, t).toBe(2);
      expect(r.stderr()).toContain("--timeout");
    }
  });
});
