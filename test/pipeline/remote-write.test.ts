// Prod's prometheus.yml writes every sample to Mimir (tenant header, basic auth password from a
// file), and promtool accepts it; dev has no remote_write.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadConfig } from "../../config/index.js";
import { prometheusDocument } from "../../src/pipeline/provisioning.js";

const tmp = mkdtempSync(join(tmpdir(), "remote-write-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;

describe("remote_write to Mimir", () => {
  const prod = prometheusDocument(loadConfig("prod")) as Record<string, unknown>;

  it("prod writes to Mimir with its tenant and a password file; dev writes nowhere", () => {
    expect(prod.remote_write).toEqual([
      {
        url: "https://mimir.observability.internal/api/v1/push",
        headers: { "X-Scope-OrgID": "stacks" },
        basic_auth: { username: "prometheus", password_file: "/etc/prometheus/secrets/mimir-password" },
      },
    ]);
    expect(prometheusDocument(loadConfig("dev"))).not.toHaveProperty("remote_write");
  });

  it.skipIf(!hasPromtool)("promtool check config accepts prod's prometheus.yml", () => {
    const file = join(tmp, "prometheus.yml");
    writeFileSync(file, stringify(prod));
    const out = execFileSync("promtool", ["check", "config", file], { encoding: "utf8" });
    expect(out).toMatch(/SUCCESS/);
  });

  it.skipIf(!hasPromtool)("promtool rejects a remote_write it could not use (the check is real)", () => {
    const file = join(tmp, "bad.yml");
    const bad = parse(stringify(prod)) as { remote_write: Record<string, unknown>[] };
    bad.remote_write[0].basic_auth = { username: "prometheus", password: "x", password_file: "/etc/prometheus/secrets/mimir-password" };
    writeFileSync(file, stringify(bad));
    const r = spawnSync("promtool", ["check", "config", file], { encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/at most one of basic_auth password & password_file/);
  });
});
