import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../config/index.js";
import { findings, tree } from "../fixtures.js";

const RULE = "prod-folder-access";

describe(RULE, () => {
  it("passes the repository's prod config (teams only) and a dev config granting Viewer", () => {
    const dev = structuredClone(loadConfig("dev"));
    dev.access.folders.services.roles = { Viewer: "View" };
    expect(findings(RULE, tree(), { environments: [{ name: "prod", config: loadConfig("prod") }, { name: "dev", config: dev }] })).toEqual([]);
  });

  it("reports a prod folder granted to every Viewer or Editor", () => {
    const prod = structuredClone(loadConfig("prod"));
    prod.access.folders.overview.roles = { Viewer: "View", Editor: "Edit" };
    expect(findings(RULE, tree(), { environments: [{ name: "prod", config: prod }] })).toMatchObject([
      { file: "config/environments.ts", message: "prod: access.folders.overview grants View to every Viewer of the org" },
      { file: "config/environments.ts", message: "prod: access.folders.overview grants Edit to every Editor of the org" },
    ]);
  });
});
