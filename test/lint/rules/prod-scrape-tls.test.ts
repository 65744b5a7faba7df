import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../config/index.js";
import { findings, tree } from "../fixtures.js";

const RULE = "prod-scrape-tls";

describe(RULE, () => {
  it("passes a prod config scraping over https", () => {
    const prod = structuredClone(loadConfig("prod"));
    for (const j of Object.values(prod.prometheus.scrapeJobs)) j.scheme = "https";
    expect(findings(RULE, tree(), { environments: [{ name: "prod", config: prod }] })).toEqual([]);
  });

  it("reports prod scrape jobs over plain http (the repository's prod config today)", () => {
    const f = findings(RULE, tree(), { environments: [{ name: "prod", config: loadConfig("prod") }] });
    expect(f).toMatchObject([{ file: "config/environments.ts", message: expect.stringMatching(/^prod: \d+ scrape job\(s\) use plain http: .*fastapi/) }]);
  });
});
