import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../config/index.js";
import { findings, tree } from "../fixtures.js";

const RULE = "folder-access";

describe(RULE, () => {
  it("passes the repository's environments: every folder is mapped", () => {
    expect(findings(RULE, tree(), { environments: [{ name: "dev", config: loadConfig("dev") }, { name: "prod", config: loadConfig("prod") }] })).toEqual([]);
  });

  it("reports a folder without a mapping, naming the environment and the folder", () => {
    const dev = structuredClone(loadConfig("dev"));
    delete dev.access.folders.ml;
    expect(findings(RULE, tree(), { environments: [{ name: "dev", config: dev }] })).toMatchObject([
      { file: "config/environments.ts", message: 'dev: folder "ML & LLM" (folders.ml) has no role mapping in access.folders' },
    ]);
  });
});
