// The fixture tree is what every rule accepts: each rule's failing fixture changes one thing in it.
import { describe, expect, it } from "vitest";
import { lintTree } from "../../src/lint/index.js";
import { RULES } from "../../src/lint/registry.js";
import { settingsSchema } from "../../src/lint/settings.js";
import { REPO, config, tree } from "./fixtures.js";
import { REPO_CONTENT } from "../../scripts/content.js";

describe("the lint fixture tree", () => {
  it("passes every rule", () => {
    const report = lintTree({ content: REPO_CONTENT, files: tree(), env: "dev", repoRoot: REPO, config, exclusions: { file: "x", settings: settingsSchema.parse({}), exclusions: [] } });
    // The catalog and the prod config are repository-wide; only findings about the fixture matter here.
    const aboutFixture = report.findings.filter((f) => !f.file.startsWith("catalog/") && !f.file.startsWith("config/"));
    expect(aboutFixture).toEqual([]);
    expect(report.rules).toHaveLength(RULES.length);
  });
});
