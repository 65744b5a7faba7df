import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../config/index.js";
import { findings, tree } from "../fixtures.js";

const RULE = "prod-https";
const prod = loadConfig("prod");

describe(RULE, () => {
  it("passes the repository's prod config, and http in dev", () => {
    expect(findings(RULE, tree(), { environments: [{ name: "prod", config: prod }, { name: "dev", config: loadConfig("dev") }] })).toEqual([]);
  });

  it("reports an http URL in prod's config, a prod tree with http URLs, and a prod config that does not load", () => {
    const insecure = structuredClone(prod);
    insecure.datasources.loki.url = "http://loki.observability.internal:3100";
    expect(findings(RULE, tree(), { environments: [{ name: "prod", config: insecure }] })).toMatchObject([
      { file: "config/environments.ts", message: "prod: datasources.loki.url is http://loki.observability.internal:3100, not https" },
    ]);
    const prodTree = findings(RULE, tree(), { env: "prod", environments: [] });
    expect(prodTree.map((f) => f.message)).toContain("datasources[0].url is http://prometheus:9090, not https, in the prod tree");
    expect(findings(RULE, tree(), { environments: [{ name: "prod", error: "datasources.loki.url: Invalid url" }] })[0].message).toContain("does not load");
  });
});
