// The Alertmanager configuration: amtool accepts it, routes by severity, keeps secrets in files,
// and a real Alertmanager on 127.0.0.1 pages once: a critical alert supersedes the warning of the same
// alert, a down target mutes its own alerts, and a page reaches both the pager and the chat.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadConfig } from "../../config/index.js";
import { ALERTMANAGER_FILE, alertmanagerDocument } from "../../src/alerting/alertmanager.js";
import { runBuild } from "../../src/commands/build.js";
import { REPO_CONTENT } from "../../scripts/content.js";

const tmp = mkdtempSync(join(tmpdir(), "alertmanager-"));
let file: string;
let text: string;

beforeAll(async () => {
  await runBuild({ content: REPO_CONTENT, out: join(tmp, "tree") });
  file = join(tmp, "tree", ALERTMANAGER_FILE);
  text = readFileSync(file, "utf8");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function amtool(args: string[]) {
  return spawnSync("amtool", args, { encoding: "utf8" });
}

/** The receiver amtool's route tester picks for a label set. */
function receiverFor(labels: string[]): string {
  const r = amtool(["config", "routes", "test", `--config.file=${file}`, ...labels]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe("alertmanager.yml", () => {
  it("amtool check-config accepts it", () => {
    const r = amtool(["check-config", file]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS/);
    expect(r.stdout).toMatch(/2 receivers/);
    expect(r.stdout).toMatch(/3 inhibit rules/);
  });

  it("amtool is a real check: an unknown receiver and a misspelt key are refused", () => {
    const doc = parse(text);
    const bad1 = join(tmp, "bad-receiver.yml");
    writeFileSync(bad1, stringify({ ...doc, route: { ...doc.route, receiver: "nobody" } }));
    expect(amtool(["check-config", bad1]).status).not.toBe(0);
    const bad2 = join(tmp, "bad-key.yml");
    writeFileSync(bad2, text.replace("routing_key_file", "routing_keyfile"));
    expect(amtool(["check-config", bad2]).status).not.toBe(0);
  });

  it("routes critical to the pager and the chat, warning to chat; anything else falls back to chat", () => {
    expect(receiverFor(["severity=critical", "alertname=TargetDown", "job=fastapi"])).toBe("pager,chat");
    expect(receiverFor(["severity=warning", "alertname=HostHighCpuUsage", "job=node-exporter"])).toBe("chat");
    expect(receiverFor(["alertname=Unlabelled"])).toBe("chat");
  });

  it("reads secrets from files, never from the file itself", () => {
    const doc = parse(text);
    const pager = doc.receivers.find((r: { name: string }) => r.name === "pager").pagerduty_configs[0];
    const chat = doc.receivers.find((r: { name: string }) => r.name === "chat").slack_configs[0];
    const config = loadConfig("dev");
    expect(pager.routing_key_file).toBe(config.alerting.receivers.pager.routingKeyFile);
    expect(chat.api_url_file).toBe(config.alerting.receivers.chat.apiUrlFile);
    expect(text).not.toMatch(/^\s*(routing_key|service_key|api_url|slack_api_url|pagerduty_url):/m);
    expect(text).not.toMatch(/hooks\.slack\.com/);
  });

  it("the notification links to the runbook and the dashboard", () => {
    expect(text).toContain("{{ .Annotations.runbook_url }}");
    expect(text).toContain("{{ .CommonAnnotations.runbook_url }}");
    expect(text).toContain("dashboard_url");
  });

  it("a changed config path changes the file (it comes from config/environments.ts)", () => {
    const config = loadConfig("dev", (c) => ({ ...c, alerting: { ...c.alerting, receivers: { pager: { routingKeyFile: "/run/secrets/pd" } } } }));
    expect(JSON.stringify(alertmanagerDocument(config))).toContain("/run/secrets/pd");
  });
});

// ---------------------------------------------------------------------------------------------
// A real Alertmanager: inhibition is behaviour, not syntax.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited: ${log()}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alertmanager did not become ready: ${log()}`);
}

interface AmAlert {
  labels: Record<string, string>;
  status: { state: string; inhibitedBy: string[] };
}

/** An HTTP endpoint on 127.0.0.1 standing in for PagerDuty's and Slack's: records what Alertmanager sends. */
function captureServer(): Promise<{ url: string; received: { path: string; body: string }[]; close(): Promise<void> }> {
  const received: { path: string; body: string }[] = [];
  const server = createHttpServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      res.writeHead(202, { "content-type": "application/json" }).end('{"status":"success"}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        received,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

const key = (l: Record<string, string>) => [l.alertname, l.job, l.instance ?? "", l.long_window ?? ""].join("|");

describe("a real Alertmanager", () => {
  let child: ChildProcess | undefined;
  let url = "";
  let capture: Awaited<ReturnType<typeof captureServer>>;

  beforeAll(async () => {
    capture = await captureServer();
    const dir = join(tmp, "am");
    const secrets = join(dir, "secrets");
    spawnSync("mkdir", ["-p", secrets]);
    // Fake secrets in files; notifications go to the local capture server.
    writeFileSync(join(secrets, "pd"), "0123456789abcdef0123456789abcdef\n");
    writeFileSync(join(secrets, "slack"), `${capture.url}/slack\n`);
    const doc = parse(text);
    doc.receivers[0].pagerduty_configs[0].routing_key_file = join(secrets, "pd");
    doc.receivers[0].pagerduty_configs[0].url = `${capture.url}/pagerduty`;
    doc.receivers[1].slack_configs[0].api_url_file = join(secrets, "slack");
    // Notify within a second instead of 30 s; routing and inhibition are as built.
    Object.assign(doc.route, { group_wait: "1s", group_interval: "1s" });
    const configFile = join(dir, "alertmanager.yml");
    writeFileSync(configFile, stringify(doc));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    let log = "";
    child = spawn(
      "prometheus-alertmanager",
      [`--config.file=${configFile}`, `--storage.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address=", "--log.level=warn"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    child.stderr!.on("data", (d) => (log = (log + d).slice(-4000)));
    await waitReady(url, child, () => log);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    await capture?.close();
  });

  async function post(labelSets: Record<string, string>[]): Promise<void> {
    const now = new Date().toISOString();
    const res = await fetch(`${url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(labelSets.map((labels) => ({ labels, annotations: { summary: labels.alertname }, startsAt: now }))),
    });
    expect(res.status).toBe(200);
  }

  /** The state (active | suppressed) of each posted alert once Alertmanager agrees with `expected`, or after 15 s. */
  async function states(expected: Record<string, string>): Promise<Record<string, string>> {
    let got: Record<string, string> = {};
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as AmAlert[];
      got = Object.fromEntries(alerts.map((a) => [key(a.labels), a.status.state]).filter(([k]) => k in expected));
      if (JSON.stringify(Object.entries(got).sort()) === JSON.stringify(Object.entries(expected).sort())) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return got;
  }

  it("a critical alert supersedes the warning of the same alert; a warning of another alert on the same job is not inhibited", async () => {
    const burn = (severity: string, long: string) => ({ alertname: "FastAPIAvailabilityBudgetBurn", severity, job: "fastapi", slo: "fastapi-availability", long_window: long });
    const latency = { alertname: "FastAPIHighLatency", severity: "warning", job: "fastapi" };
    const otherJob = { alertname: "FastAPIAvailabilityBudgetBurn", severity: "warning", job: "pix_erase_api", long_window: "1d" };
    await post([burn("critical", "1h"), burn("warning", "1d"), latency, otherJob]);
    const expected = {
      [key(burn("critical", "1h"))]: "active",
      [key(burn("warning", "1d"))]: "suppressed",
      [key(latency)]: "active",
      [key(otherJob)]: "active",
    };
    expect(await states(expected)).toEqual(expected);
  });

  it("a down target mutes its own alerts (per instance, and per job) and nothing else", async () => {
    const down = (job: string, instance: string) => ({ alertname: "TargetDown", severity: "critical", job, instance });
    const jobLevel = { alertname: "TaskiqTaskFailureRateHigh", severity: "warning", job: "pix_erase_worker", task_name: "erase_image" };
    const sameInstance = { alertname: "HostHighCpuUsage", severity: "warning", job: "node-exporter", instance: "node-exporter:9100" };
    const otherInstance = { alertname: "HostHighMemoryUsage", severity: "warning", job: "node-exporter", instance: "node-2:9100" };
    const otherJob = { alertname: "ContainerHighMemoryUsage", severity: "warning", job: "cadvisor", instance: "host.docker.internal:8080", name: "worker" };
    await post([down("pix_erase_worker", "pix_erase.worker:8081"), down("node-exporter", "node-exporter:9100"), jobLevel, sameInstance, otherInstance, otherJob]);
    const expected = {
      [key(down("pix_erase_worker", "pix_erase.worker:8081"))]: "active",
      [key(down("node-exporter", "node-exporter:9100"))]: "active",
      [key(jobLevel)]: "suppressed",
      [key(sameInstance)]: "suppressed",
      [key(otherInstance)]: "active",
      [key(otherJob)]: "active",
    };
    expect(await states(expected)).toEqual(expected);
  });

  it("a critical alert reaches both the pager and the chat channel; a warning only the chat", async () => {
    await post([
      { alertname: "EvaluationFailureRateHigh", severity: "critical", job: "worker" },
      { alertname: "OtelCollectorExportFailing", severity: "warning", job: "otel-collector" },
    ]);
    const sent = (path: string, alert: string) => capture.received.some((r) => r.path === path && r.body.includes(alert));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !(sent("/pagerduty", "EvaluationFailureRateHigh") && sent("/slack", "EvaluationFailureRateHigh") && sent("/slack", "OtelCollectorExportFailing"))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(sent("/pagerduty", "EvaluationFailureRateHigh")).toBe(true);
    expect(sent("/slack", "EvaluationFailureRateHigh")).toBe(true);
    expect(sent("/slack", "OtelCollectorExportFailing")).toBe(true);
    expect(sent("/pagerduty", "OtelCollectorExportFailing")).toBe(false);
  });
});
