// Teams are pruned by their name: with access.teamPrefix, `npm run push -- --prune` deletes a team
// named with the prefix that the build no longer lists, after removing its grants, and never touches
// another team (hand-made, or holding the prefix anywhere but at the start). Against the strict double.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/push/cli.js";
import { GrafanaDouble } from "../fixtures/grafana-double.js";
import { sampleFiles, writeTree } from "../fixtures/push-tree/sampleTree.js";

const TOKEN = "glsa_access_prune_token";
const ENV = { GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: "x", GRAFANA_WEBHOOK_PASSWORD: "y" };
let dir: string;
let grafana: GrafanaDouble;

/** An access file: the teams of the build, and the team each viewing the services folder. */
const access = (teams: string[], teamPrefix: string | undefined = "o11y-") =>
  JSON.stringify({
    generator: "grafana-as-code",
    ...(teamPrefix !== undefined ? { teamPrefix } : {}),
    teams: teams.map((name) => ({ name })),
    folders: [
      { uid: "ml", title: "ML & LLM", teams: [], roles: [] },
      { uid: "services", title: "Services", teams: teams.map((team) => ({ team, permission: "View" })), roles: [] },
    ],
  });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "push-access-prune-"));
  await writeTree(dir, sampleFiles());
  grafana = await GrafanaDouble.start({ token: TOKEN });
});

afterEach(async () => {
  await grafana?.close();
  await rm(dir, { recursive: true, force: true });
});

async function push(argv: string[] = [], format = ["--format", "json"]): Promise<{ code: number; json: any; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv: ["--dir", dir, ...format, ...argv],
    env: { GRAFANA_URL: grafana.url, ...ENV },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    client: { backoffBaseMs: 20, backoffCapMs: 200 },
  });
  return { code, json: stdout && format.length ? JSON.parse(stdout) : undefined, stderr };
}

const items = (json: any, kind: string) => json.items.filter((i: any) => i.kind === kind).map((i: any) => ({ id: i.id, op: i.op, status: i.status, ...(i.note ? { note: i.note } : {}), ...(i.changes ? { changes: i.changes } : {}) }));
const accessWrites = () => grafana.writes().filter((r) => r.url.startsWith("/api/teams") || r.url.includes("/permissions")).map((w) => `${w.method} ${w.url}`);
const names = () => [...grafana.access.teams.values()].map((t) => t.name).sort();

/** A first push with o11y-ops and o11y-old, then teams made by hand, then a build without o11y-old. */
async function dropOld(): Promise<void> {
  await writeFile(join(dir, "grafana/access.json"), access(["o11y-ops", "o11y-old"]));
  expect((await push()).code).toBe(0);
  const old = grafana.access.teamNamed("o11y-old")!;
  old.members.push(3, 4);
  const sre = grafana.access.addTeam("sre");
  grafana.access.addTeam("team-o11y-x"); // the prefix, but not at the start
  grafana.access.addTeam("O11Y-caps"); // the search matches any case; the prefix does not
  grafana.access.grants.set("services", [...grafana.access.grantsOf("services"), { teamId: sre.id, permission: 2 }]);
  await writeFile(join(dir, "grafana/access.json"), access(["o11y-ops"]));
  grafana.requests.length = 0;
}

describe("push --prune: teams named with teamPrefix", () => {
  it("--dry-run lists the team it would delete and the grant it would remove, and writes nothing", async () => {
    await dropOld();
    const r = await push(["--prune", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(items(r.json, "teams")).toEqual([
      { id: "o11y-ops", op: "unchanged", status: "planned" },
      { id: "o11y-old", op: "delete", status: "planned", note: 'named with teamPrefix "o11y-", no longer in the build; its 2 member(s) lose it' },
    ]);
    expect(items(r.json, "folder-permissions").find((i: any) => i.id === "services")).toEqual({ id: "services", op: "update", status: "planned", changes: ["-team o11y-old: View"] });
    expect(grafana.writes()).toEqual([]);
    expect(names()).toContain("o11y-old");
  });

  it("deletes only that team, keeps every other one and their grants; a second push writes nothing", async () => {
    await dropOld();
    const r = await push(["--prune"]);
    expect(r.code).toBe(0);
    expect(names()).toEqual(["O11Y-caps", "o11y-ops", "sre", "team-o11y-x"]);
    const ops = grafana.access.teamNamed("o11y-ops")!;
    const sre = grafana.access.teamNamed("sre")!;
    expect(grafana.access.grantsOf("services")).toEqual([
      { teamId: ops.id, permission: 1 },
      { teamId: sre.id, permission: 2 },
    ]);
    const old = r.json.items.find((i: any) => i.kind === "teams" && i.op === "delete");
    expect(old).toMatchObject({ id: "o11y-old", status: "deleted" });
    // The grant goes first (phase order), then the team.
    expect(accessWrites()).toEqual(["POST /api/folders/services/permissions", expect.stringMatching(/^DELETE \/api\/teams\/\d+$/)]);

    grafana.requests.length = 0;
    const again = await push(["--prune"]);
    expect(again.code).toBe(0);
    expect(accessWrites()).toEqual([]);
    expect([...items(again.json, "teams"), ...items(again.json, "folder-permissions")].every((i: any) => i.op === "unchanged")).toBe(true);
  });

  it("without --prune the team stays but loses the grants the build no longer gives it", async () => {
    await dropOld();
    const r = await push();
    expect(r.code).toBe(0);
    expect(names()).toContain("o11y-old");
    expect(items(r.json, "teams").map((i: any) => i.op)).toEqual(["unchanged"]);
    expect(accessWrites()).toEqual(["POST /api/folders/services/permissions"]);
    const old = grafana.access.teamNamed("o11y-old")!;
    expect(grafana.access.grantsOf("services").some((g) => g.teamId === old.id)).toBe(false);
  });

  it("finds a stale team on the second page of the team search", async () => {
    await writeFile(join(dir, "grafana/access.json"), access(["o11y-ops"]));
    for (let i = 0; i < 1005; i++) grafana.access.addTeam(`o11y-bulk-${String(i).padStart(4, "0")}`);
    const r = await push(["--prune", "--dry-run"]);
    expect(r.code).toBe(0);
    const deletes = items(r.json, "teams").filter((i: any) => i.op === "delete");
    expect(deletes).toHaveLength(1005);
    expect(deletes.at(-1).id).toBe("o11y-bulk-1004");
    expect(grafana.requests.filter((q) => q.url.startsWith("/api/teams/search?query=")).map((q) => q.url)).toEqual([
      "/api/teams/search?query=o11y-&perpage=1000&page=1",
      "/api/teams/search?query=o11y-&perpage=1000&page=2",
    ]);
  });

  it("a team of the build not named with the prefix stops the push before any write (exit 1, naming the file)", async () => {
    await writeFile(join(dir, "grafana/access.json"), access(["ops"]));
    const r = await push(["--prune"], []);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('grafana/access.json: teams[0]: "ops" does not start with teamPrefix "o11y-"');
    expect(grafana.writes()).toEqual([]);
  });
});

describe("the double's team endpoints follow Grafana's Team HTTP API", () => {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${grafana.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json() };
  };

  it("search pages, counts every match, and answers 404 for an unknown exact name", async () => {
    for (const n of ["alpha", "beta", "Alphabet"]) grafana.access.addTeam(n);
    const page = await call("GET", "/api/teams/search?query=alpha&perpage=1&page=2");
    expect(page).toMatchObject({ status: 200, body: { totalCount: 2, page: 2, perPage: 1, teams: [{ name: "Alphabet" }] } });
    expect(await call("GET", "/api/teams/search?name=gamma")).toEqual({ status: 404, body: { message: "Team not found" } });
    expect((await call("GET", "/api/teams/search?sort=colour-asc")).status).toBe(400);
    expect((await call("GET", "/api/teams/search?sort=name-desc")).body.teams.map((t: any) => t.name)).toEqual(["beta", "Alphabet", "alpha"]);
  });

  it("create, read, rename, members and delete answer with Grafana's status codes and messages", async () => {
    const created = await call("POST", "/api/teams", { name: "ops" });
    expect(created).toMatchObject({ status: 200, body: { message: "Team created", teamId: expect.any(Number), uid: expect.any(String) } });
    const id = created.body.teamId;
    expect(await call("POST", "/api/teams", { name: "ops" })).toEqual({ status: 409, body: { message: "Team name is taken" } });
    expect((await call("POST", "/api/teams", { email: "a@b.c" })).status).toBe(400);
    expect(await call("GET", `/api/teams/${id}`)).toMatchObject({ status: 200, body: { id, name: "ops", email: "" } });
    grafana.access.addTeam("sre");
    expect(await call("PUT", `/api/teams/${id}`, { name: "sre" })).toEqual({ status: 409, body: { message: "Team name is taken" } });
    expect(await call("GET", `/api/teams/${id}/members`)).toEqual({ status: 200, body: [] });
    expect(await call("DELETE", `/api/teams/${id}`)).toEqual({ status: 200, body: { message: "Team deleted" } });
    expect(await call("GET", `/api/teams/${id}`)).toEqual({ status: 404, body: { message: "Team not found" } });
    expect(await call("DELETE", `/api/teams/${id}`)).toEqual({ status: 404, body: { message: "Failed to delete Team. ID not found" } });
    expect((await call("GET", `/api/teams/${id}/members`)).status).toBe(404);
    expect((await call("PUT", `/api/teams/${id}`, { name: "x" })).status).toBe(404);
  });
});
