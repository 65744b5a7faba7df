// src/model/access.ts: folder grants name real folders and teams; the repository's environments map
// every folder, the ops team viewing services and infrastructure and editing none.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";

describe("access config", () => {
  it.each(["dev", "prod"])("%s: admin only except ops viewing services and infrastructure", (env) => {
    const { access, folders } = loadConfig(env);
    expect(Object.keys(access.folders).sort()).toEqual(Object.keys(folders).sort());
    expect(access.teams).toEqual({ ops: { name: "o11y-ops" } });
    // Every team is named with the prefix a push recognises as this project's.
    expect(access.teamPrefix).toBe("o11y-");
    const grants = Object.entries(access.folders).flatMap(([folder, g]) => [
      ...Object.entries(g.teams).map(([team, p]) => `${folder}:${team}:${p}`),
      ...Object.entries(g.roles).map(([role, p]) => `${folder}:${role}:${p}`),
    ]);
    expect(grants.sort()).toEqual(["infrastructure:ops:View", "services:ops:View"]);
  });

  it("refuses a grant on an unknown folder or for an unknown team, naming the path", () => {
    const bad = (access: object) => () => loadConfig("dev", (c) => ({ ...c, access }));
    expect(bad({ folders: { nope: {} } })).toThrow(/access\.folders\.nope: "nope" is not a folder/);
    expect(bad({ folders: { services: { teams: { sre: "View" } } } })).toThrow(/access\.folders\.services\.teams\.sre: "sre" is not a team of access\.teams/);
    expect(bad({ folders: { services: { teams: {} , roles: { Viewer: "Read" } } } })).toThrow(/access\.folders\.services\.roles\.Viewer/);
  });

  it("refuses a team not named with teamPrefix, and a prefix that is not one, naming the path", () => {
    const bad = (access: object) => () => loadConfig("dev", (c) => ({ ...c, access }));
    expect(bad({ teamPrefix: "o11y-", teams: { ops: { name: "ops" } } })).toThrow(/access\.teams\.ops\.name: "ops" must start with access\.teamPrefix "o11y-"/);
    expect(bad({ teamPrefix: "", teams: {} })).toThrow(/access\.teamPrefix/);
    expect(bad({ teamPrefix: "o11y", teams: {} })).toThrow(/access\.teamPrefix: a lower-case prefix ending in a separator/);
    expect(() => loadConfig("dev", (c) => ({ ...c, access: { teams: { ops: { name: "ops" } } } }))).not.toThrow();
  });
});
