// npm run lint on inputs it cannot use: files of a --dir tree that cannot be read or parsed are
// errors naming the file (never "lint: clean"), and a hostile exclusions file is one located message.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_EXCLUSIONS_BYTES, MAX_YAML_ALIASES } from "../../src/lint/exclusions.js";
import { expectNoStack, runCli } from "../fixtures/command.js";
import { REPO } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "cli-lint-"));
chmodSync(tmp, 0o755); // the unprivileged run below must reach it
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const label = (p: string) => relative(REPO, p);

/** A copy of the committed build/ tree. */
function tree(name: string): string {
  const dir = join(tmp, name);
  cpSync(join(REPO, "build"), dir, { recursive: true });
  return dir;
}

const DASHBOARD = "grafana/provisioning/dashboards/overview/home.json";

describe("lint --dir", () => {
  it("a file that is not valid JSON, one that is not UTF-8 and a dangling link: each an error naming it, exit 1", async () => {
    const dir = tree("broken");
    writeFileSync(join(dir, DASHBOARD), '{\n  "uid": "home",\n  "title": }\n');
    writeFileSync(join(dir, "prometheus/rules/extra.yaml"), Buffer.from([0x67, 0x3a, 0x20, 0xff, 0x0a]));
    symlinkSync(join(dir, "nowhere.json"), join(dir, "grafana/provisioning/dashboards/overview/gone.json"));
    const r = await runCli("lint", ["--dir", dir, "--format", "json"]);
    expect(r.status, r.stderr).toBe(1);
    expectNoStack(r);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; file: string; line?: number; message: string }[] };
    const unreadable = report.findings.filter((f) => f.rule === "tree/unreadable-file").map(({ file, line, message }) => ({ file, line, message }));
    expect(unreadable).toEqual([
      { file: `${label(dir)}/grafana/provisioning/dashboards/overview/gone.json`, message: expect.stringMatching(/^cannot be read: ENOENT/) },
      { file: `${label(dir)}/prometheus/rules/extra.yaml`, message: "byte offset 3 is not valid UTF-8" },
      { file: `${label(dir)}/${DASHBOARD}`, line: 3, message: 'not valid JSON at line 3, column 12: unexpected "}"' },
    ]);
  });

  it("human output never says clean when a file could not be read", async () => {
    const dir = tree("bad-yaml");
    writeFileSync(join(dir, "prometheus/rules/extra.yaml"), "groups:\n  - name: x\n    rules: [\n");
    const r = await runCli("lint", ["--dir", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain("lint: clean");
    expect(r.stdout).toContain(`${label(dir)}/prometheus/rules/extra.yaml`);
    expect(r.stdout).toMatch(/tree\/unreadable-file\s+line \d+\n\s+not valid YAML/);
  });

  const unprivileged = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
  const canDropPrivileges = spawnSync(unprivileged[0], [...unprivileged.slice(1), process.execPath, "-e", "process.exit(process.getuid() === 65534 ? 0 : 1)"]).status === 0;
  if (!canDropPrivileges) console.warn("skipped: a file without read permission (setpriv cannot run a command as uid 65534 here)");
  it.skipIf(!canDropPrivileges)("a file without read permission (run as an unprivileged user): an error naming it", async () => {
    const dir = tree("no-permission");
    spawnSync("chmod", ["-R", "a+rX", dir]);
    chmodSync(join(dir, "prometheus/prometheus.yml"), 0o000);
    const r = await runCli("lint", ["--dir", dir, "--format", "json"], {}, unprivileged);
    expect(r.status, r.stderr).toBe(1);
    expectNoStack(r);
    const report = JSON.parse(r.stdout) as { findings: { rule: string; file: string; message: string }[] };
    expect(report.findings.filter((f) => f.rule === "tree/unreadable-file")).toEqual([
      expect.objectContaining({ file: `${label(dir)}/prometheus/prometheus.yml`, message: "cannot be read: permission denied" }),
    ]);
  });

  it("a --dir that is a file: usage error, exit 2", async () => {
    const file = join(tmp, "plain.txt");
    writeFileSync(file, "x");
    const r = await runCli("lint", ["--dir", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^--dir ${file} is not a directory`));
  });
});

describe("the exclusions file", () => {
  async function rejected(content: string | Buffer): Promise<string> {
    const file = join(mkdtempSync(join(tmp, "excl-")), "lint-exclusions.yaml");
    writeFileSync(file, content);
    const r = await runCli("lint", ["--exclusions", file]);
    expect(r.status, r.stdout).toBe(1);
    expectNoStack(r);
    expect(r.stderr).toContain(`lint: ${label(file)} is not valid; nothing was linted`);
    return r.stderr.replaceAll(label(file), "FILE").split("\n")[0];
  }

  it("an alias bomb: a clear message with the line, not the YAML library's exception", async () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) lines.push(`${"abcdefghi"[i]}: &${"abcdefghi"[i]} [${Array(9).fill(`*${"abcdefghi"[i - 1]}`).join(", ")}]`);
    expect(await rejected(lines.join("\n") + "\n")).toBe(`FILE:2: its aliases expand to more than ${MAX_YAML_ALIASES} copies (an alias bomb?); write the values out`);
  });

  it("larger than the limit", async () => {
    const big = `# ${"x".repeat(MAX_EXCLUSIONS_BYTES)}\nexclusions: []\n`;
    expect(await rejected(big)).toBe(`FILE: ${Buffer.byteLength(big)} bytes is more than the limit of ${MAX_EXCLUSIONS_BYTES}`);
  });

  it("not UTF-8: the byte offset", async () => {
    expect(await rejected(Buffer.concat([Buffer.from("exclusions: []\n# "), Buffer.from([0xfe])]))).toBe("FILE: byte offset 17 is not valid UTF-8");
  });

  it("a schema error: the line of the entry", async () => {
    expect(await rejected("exclusions:\n  - rule: no-such-rule\n    dashboard: home\n    reason: because it is accepted for now\n")).toBe(
      'FILE:2: exclusions.0.rule: unknown rule "no-such-rule" (npm run lint -- --rules lists them)',
    );
  });
});
