// The build's small YAML documents through the cache (src/pipeline/yamlTexts.ts): a text is taken
// from the entry only for the very header and value it was made from; a changed document is
// serialised afresh and the entry replaced; nothing is written before the build commits.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StageCache, StageStore } from "../../src/cache/stages.js";
import { envRef, provisioningYaml } from "../../src/emit/provisioningYaml.js";
import { stableStringifyYaml } from "../../src/emit/stable.js";
import { yamlTexts } from "../../src/pipeline/yamlTexts.js";

const tmp = mkdtempSync(join(tmpdir(), "yaml-texts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const doc = (url: string) => ({ apiVersion: 1, datasources: [{ uid: "prom", url, secureJsonData: { password: envRef("PROM_PASSWORD") }, jsonData: { expr: "${__value.raw}" } }] });

describe("yamlTexts", () => {
  it("gives the serialiser's texts, from the entry when header and value are the ones it holds", () => {
    const dir = join(tmp, "a");
    const stages = () => new StageCache(new StageStore(dir), "base");
    const first = stages();
    const y1 = yamlTexts(first);
    expect(y1.provisioning(doc("http://a:9090"), "header")).toBe(provisioningYaml(doc("http://a:9090"), "header"));
    expect(y1.plain({ global: { scrape_interval: "15s" } }, "h")).toBe(stableStringifyYaml({ global: { scrape_interval: "15s" } }, "h"));
    y1.done();
    expect(new StageCache(new StageStore(dir), "base").read("yaml-texts", first.key("yaml-texts"))).toBeUndefined(); // not before commit
    first.commit(true);

    const second = stages();
    const y2 = yamlTexts(second);
    expect(y2.provisioning(doc("http://a:9090"), "header")).toBe(provisioningYaml(doc("http://a:9090"), "header"));
    expect(y2.plain({ global: { scrape_interval: "15s" } }, "h")).toBe(stableStringifyYaml({ global: { scrape_interval: "15s" } }, "h"));
    y2.done();
    expect([...second.taken]).toEqual(["yaml-texts"]);

    // Another URL, another header, another secret's name: serialised afresh, never the held text.
    const third = stages();
    const y3 = yamlTexts(third);
    expect(y3.provisioning(doc("http://b:9090"), "header")).toBe(provisioningYaml(doc("http://b:9090"), "header"));
    expect(y3.provisioning(doc("http://a:9090"), "other header")).toBe(provisioningYaml(doc("http://a:9090"), "other header"));
    const otherSecret = { ...doc("http://a:9090"), datasources: [{ ...doc("http://a:9090").datasources[0], secureJsonData: { password: envRef("OTHER") } }] };
    expect(y3.provisioning(otherSecret, "header")).toContain("${OTHER}");
    y3.done();
    expect([...third.taken]).toEqual([]);
  });

  it("without a cache is the serialiser itself", () => {
    const y = yamlTexts(undefined);
    expect(y.provisioning(doc("http://a:9090"), "h")).toBe(provisioningYaml(doc("http://a:9090"), "h"));
    expect(y.plain({ a: "$x" }, "h")).toBe(stableStringifyYaml({ a: "$x" }, "h"));
  });
});
