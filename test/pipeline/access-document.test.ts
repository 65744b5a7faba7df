// build/grafana/access.json carries the team prefix the push recognises its teams by, and every team
// of the build is named with it; without a prefix in config, the file has none.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { accessDocument } from "../../src/pipeline/access.js";

describe("accessDocument", () => {
  it.each(["dev", "prod"])("%s: the prefix and teams named with it", (env) => {
    const doc = accessDocument(loadConfig(env));
    expect(doc.teamPrefix).toBe("o11y-");
    expect(doc.teams.map((t) => t.name)).toEqual(["o11y-ops"]);
    for (const f of doc.folders) for (const g of f.teams) expect(g.team.startsWith(doc.teamPrefix!)).toBe(true);
  });

  it("leaves teamPrefix out when the config has none", () => {
    const doc = accessDocument(loadConfig("dev", (c) => ({ ...c, access: { ...c.access, teamPrefix: undefined, teams: { ops: { name: "ops" } } } })));
    expect(doc).not.toHaveProperty("teamPrefix");
    expect(doc.teams).toEqual([{ name: "ops" }]);
  });
});
