// The Alertmanager configuration: amtool accepts it, routes by severity, keeps secrets in files,
// and a real Alertmanager on 127.0.0.1 inhibits warnings while a critical alert fires for the same job.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadConfig } from "../config/index.js";
import { ALERTMANAGER_FILE, alertmanagerDocument } from "../src/alerting/alertmanager.js";
import { runBuild } from "../src/pipeline/index.js";

const tmp = mkdtempSync(join(tmpdir(), "alertmanager-"));
let file: string;
let text: string;

beforeAll(async () => {
  await runBuild({ out: join(tmp, "tree") });
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
    expect(r.stdout).toMatch(/1 inhibit rules/);
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

  it("routes critical to the pager and warning to chat; anything else falls back to chat", () => {
    expect(receiverFor(["severity=critical", "alertname=TargetDown", "job=fastapi"])).toBe("pager");
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

describe("a real Alertmanager", () => {
  let child: ChildProcess | undefined;
  let url = "";

  beforeAll(async () => {
    const dir = join(tmp, "am");
    const secrets = join(dir, "secrets");
    spawnSync("mkdir", ["-p", secrets]);
    // Fake secrets in files, pointing nowhere reachable: notifications fail, routing and inhibition do not.
    writeFileSync(join(secrets, "pd"), "0123456789abcdef0123456789abcdef\n");
    writeFileSync(join(secrets, "slack"), "http://127.0.0.1:9/slack\n");
    const doc = parse(text);
    doc.receivers[0].pagerduty_configs[0].routing_key_file = join(secrets, "pd");
    doc.receivers[0].pagerduty_configs[0].url = "http://127.0.0.1:9/pagerduty";
    doc.receivers[1].slack_configs[0].api_url_file = join(secrets, "slack");
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
  });

  it("inhibits a warning while a critical alert fires for the same job, not for another job", async () => {
    const now = new Date().toISOString();
    const alert = (labels: Record<string, string>) => ({ labels, annotations: { summary: labels.alertname }, startsAt: now });
    const post = await fetch(`${url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        alert({ alertname: "FastAPIHighErrorRate", severity: "critical", job: "fastapi" }),
        alert({ alertname: "FastAPIHighLatency", severity: "warning", job: "fastapi" }),
        alert({ alertname: "EvaluationSuccessRateLow", severity: "warning", job: "worker" }),
      ]),
    });
    expect(post.status).toBe(200);
    let alerts: AmAlert[] = [];
    const deadline = Date.now() + 15_000;
    // Inhibition is computed when alerts are listed; wait until all three are in.
    while (Date.now() < deadline) {
      alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as AmAlert[];
      if (alerts.length === 3 && alerts.some((a) => a.status.state === "suppressed")) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const state = Object.fromEntries(alerts.map((a) => [a.labels.alertname, a.status.state]));
    expect(state).toEqual({ FastAPIHighErrorRate: "active", FastAPIHighLatency: "suppressed", EvaluationSuccessRateLow: "active" });
    expect(alerts.find((a) => a.labels.alertname === "FastAPIHighLatency")!.status.inhibitedBy.length).toBe(1);
  });
});
