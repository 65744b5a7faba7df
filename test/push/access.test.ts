// Folder permissions and teams: `npm run push` applies build/grafana/access.json through the API
// (against the strict double), a second push writes nothing, --dry-run lists the changes, grants it
// does not manage are kept, and grants of its own teams that left the config are removed.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/push/cli.js";
import { GrafanaDouble } from "../fixtures/grafana-double.js";
import { DEFAULT_GRANTS } from "../fixtures/grafana-double-access.js";
import { sampleFiles, writeTree } from "../fixtures/push-tree/sampleTree.js";

const TOKEN = "glsa_access_test_token";
let dir: string;
let grafana: GrafanaDouble;

const access = (services: object[] = [{ permission: "View", team: "ops" }], extraTeams: object[] = []) =>
  JSON.stringify({
    generator: "grafana-as-code",
    teams: [{ name: "ops" }, ...extraTeams],
    folders: [
      { uid: "ml", title: "ML & LLM", teams: [], roles: [] },
      { uid: "services", title: "Services", teams: services, roles: [] },
    ],
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "push-access-"));
  await writeTree(dir, sampleFiles());
  await writeFile(join(dir, "grafana/access.json"), access());
  grafana = await GrafanaDouble.start({ token: TOKEN });
});

afterEach(async () => {
  await grafana?.close();
  await rm(dir, { recursive: true, force: true });
});

async function push(argv: string[] = []): Promise<{ code: number; json: any; stdout: string }> {
  let stdout = "";
  const code = await main({
    argv: ["--dir", dir, "--format", "json", ...argv],
    env: { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: "x", GRAFANA_WEBHOOK_PASSWORD: "y" },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => {} },
    client: { backoffBaseMs: 20, backoffCapMs: 200 },
  });
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stdout };
}

const accessItems = (json: any) => json.items.filter((i: any) => i.kind === "teams" || i.kind === "folder-permissions").map((i: any) => ({ kind: i.kind, id: i.id, op: i.op, status: i.status, changes: i.changes }));
const accessWrites = () => grafana.writes().filter((r) => r.url.startsWith("/api/teams") || r.url.includes("/permissions"));

describe("push: folder permissions and teams", () => {
  it("--dry-run lists the team and the grants it would set, and writes nothing", async () => {
    const r = await push(["--dry-run"]);
    expect(r.code).toBe(0);
    // The folders do not exist yet: they will get Grafana's defaults, which the push then removes.
    expect(accessItems(r.json)).toEqual([
      { kind: "teams", id: "ops", op: "create", status: "planned", changes: undefined },
      { kind: "folder-permissions", id: "ml", op: "update", status: "planned", changes: ["-role Editor: Edit", "-role Viewer: View"] },
      { kind: "folder-permissions", id: "services", op: "update", status: "planned", changes: ["+team ops: View", "-role Editor: Edit", "-role Viewer: View"] },
    ]);
    expect(r.stdout).not.toContain("glsa_");
    expect(grafana.writes()).toEqual([]);
  });

  it("applies: creates the team, leaves admins only or the ops team, removes Grafana's default grants; a second push writes nothing", async () => {
    const first = await push();
    expect(first.code).toBe(0);
    const ops = [...grafana.access.teams.values()].find((t) => t.name === "ops")!;
    expect(ops).toBeDefined();
    expect(grafana.access.grantsOf("ml")).toEqual([]);
    expect(grafana.access.grantsOf("services")).toEqual([{ teamId: ops.id, permission: 1 }]);
    expect(accessItems(first.json)).toEqual([
      { kind: "teams", id: "ops", op: "create", status: "created", changes: undefined },
      { kind: "folder-permissions", id: "ml", op: "update", status: "updated", changes: ["-role Editor: Edit", "-role Viewer: View"] },
      { kind: "folder-permissions", id: "services", op: "update", status: "updated", changes: ["+team ops: View", "-role Editor: Edit", "-role Viewer: View"] },
    ]);

    grafana.requests.length = 0;
    const second = await push();
    expect(second.code).toBe(0);
    expect(accessWrites()).toEqual([]);
    expect(accessItems(second.json).every((i: any) => i.status === "unchanged")).toBe(true);
  });

  it("keeps grants it does not manage (users, other teams) and prunes its own team's grant when the config drops it", async () => {
    await push();
    const sre = grafana.access.addTeam("sre");
    const ops = [...grafana.access.teams.values()].find((t) => t.name === "ops")!;
    grafana.access.grants.set("services", [...grafana.access.grantsOf("services"), { teamId: sre.id, permission: 2 }, { userId: 7, permission: 4 }]);
    await writeFile(join(dir, "grafana/access.json"), access([]));
    grafana.requests.length = 0;
    const r = await push();
    expect(r.code).toBe(0);
    expect(accessItems(r.json).find((i: any) => i.id === "services")).toMatchObject({ op: "update", status: "updated", changes: ["-team ops: View"] });
    expect(grafana.access.grantsOf("services")).toEqual([
      { teamId: sre.id, permission: 2 },
      { userId: 7, permission: 4 },
    ]);
    // The team itself stays: Grafana's team has no field to mark it as this project's.
    expect(grafana.access.teams.has(ops.id)).toBe(true);
    expect(accessWrites().map((w) => `${w.method} ${w.url}`)).toEqual(["POST /api/folders/services/permissions"]);
  });

  it("without a teamPrefix, --prune deletes no team, even one the build dropped", async () => {
    await writeFile(join(dir, "grafana/access.json"), access(undefined, [{ name: "old" }]));
    await push();
    await writeFile(join(dir, "grafana/access.json"), access());
    grafana.requests.length = 0;
    const r = await push(["--prune"]);
    expect(r.code).toBe(0);
    expect(grafana.access.teamNamed("old")).toBeDefined();
    expect(accessItems(r.json).filter((i: any) => i.op === "delete")).toEqual([]);
    expect(accessWrites()).toEqual([]);
  });

  it("a malformed access file stops the push before any write (exit 1, naming the file)", async () => {
    await writeFile(join(dir, "grafana/access.json"), JSON.stringify({ teams: [], folders: [{ uid: "ml", teams: [{ team: "ops", permission: "View" }], roles: [] }] }));
    let stderr = "";
    const code = await main({
      argv: ["--dir", dir],
      env: { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: "x", GRAFANA_WEBHOOK_PASSWORD: "y" },
      stdout: { write: () => {} },
      stderr: { write: (s: string) => (stderr += s) },
    });
    expect(code).toBe(1);
    expect(stderr).toContain("grafana/access.json: folders[0].teams[0]: names no team of teams");
    expect(grafana.writes()).toEqual([]);
  });

  it("the double is strict: unknown team, Admin role, duplicates and unknown folders are refused", async () => {
    const post = (uid: string, items: unknown) =>
      fetch(`${grafana.url}/api/folders/${uid}/permissions`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify({ items }) });
    await push();
    expect((await post("services", [{ teamId: 999, permission: 1 }])).status).toBe(400);
    expect((await post("services", [{ role: "Admin", permission: 4 }])).status).toBe(400);
    expect((await post("services", [{ role: "Viewer", permission: 1 }, { role: "Viewer", permission: 2 }])).status).toBe(400);
    expect((await post("services", [{ role: "Viewer", permission: 3 }])).status).toBe(400);
    expect((await post("nope", [])).status).toBe(404);
    expect(DEFAULT_GRANTS).toHaveLength(2);
  });
});
