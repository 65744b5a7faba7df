import { describe, expect, it } from "vitest";
import { checkFileSizes, MAX_FILE_BYTES } from "../../src/validate/emittedFiles.js";

const big = "x".repeat(MAX_FILE_BYTES + 1);

describe("checkFileSizes", () => {
  it("refuses a dashboard over the limit and names its source", () => {
    const problems = checkFileSizes([{ path: "grafana/provisioning/dashboards/services/a.json", content: big }], () => "dashboards/a.ts");
    expect(problems).toEqual([
      { code: "output-too-large", file: "dashboards/a.ts", message: `build/grafana/provisioning/dashboards/services/a.json would be ${MAX_FILE_BYTES + 1} bytes; the limit is ${MAX_FILE_BYTES}` },
    ]);
  });

  it("lets the Ops index, which lists every dashboard of the estate, grow past it", () => {
    expect(checkFileSizes([{ path: "ops/dashboards.json", content: big }])).toEqual([]);
  });

  it("still refuses any other file over the limit", () => {
    expect(checkFileSizes([{ path: "grafana/access.json", content: big }]).map((p) => p.code)).toEqual(["output-too-large"]);
  });

  it("counts UTF-8 bytes: a text of fewer characters than the limit, three bytes each, is over it; one just at the limit is not", () => {
    const wide = "€".repeat(Math.floor(MAX_FILE_BYTES / 3) + 1); // 3 bytes each
    expect(wide.length).toBeLessThan(MAX_FILE_BYTES);
    expect(checkFileSizes([{ path: "grafana/access.json", content: wide }]).map((p) => p.message)).toEqual([
      `build/grafana/access.json would be ${Buffer.byteLength(wide)} bytes; the limit is ${MAX_FILE_BYTES}`,
    ]);
    expect(checkFileSizes([{ path: "grafana/access.json", content: "x".repeat(MAX_FILE_BYTES) }])).toEqual([]);
  });
});
