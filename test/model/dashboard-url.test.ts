// The URL helper a backend uses with build/ops/dashboards.json (and the alert links use).
import { describe, expect, it } from "vitest";
import { dashboardSlug, dashboardUrl } from "../../src/model/dashboardUrl.js";
import type { OpsDashboard } from "../../src/model/opsIndex.js";

const entry: OpsDashboard = {
  uid: "fastapi-overview",
  title: "FastAPI overview",
  folder: { uid: "services", title: "Services" },
  tags: [],
  path: "/d/fastapi-overview/fastapi-overview",
  variables: [
    { name: "datasource", label: "Data source", default: "prometheus", param: "var-datasource" },
    { name: "job", label: "Job", default: "fastapi", param: "var-job" },
    { name: "path", label: "Path", default: "$__all", param: "var-path" },
  ],
  panels: [{ id: 4, title: "Error ratio (5xx)", kind: "timeseries", description: "", path: "", soloPath: "" }],
};

describe("dashboardUrl", () => {
  it("links a panel on a Grafana under a sub-path, variables in the dashboard's order, values encoded", () => {
    const url = dashboardUrl(entry, entry.panels[0], {
      base: "https://grafana.example/grafana/",
      vars: { path: ["/v1/items", "/health check"], job: "pix_erase_api" },
      from: "now-6h",
      to: "now",
    });
    expect(url).toBe(
      "https://grafana.example/grafana/d/fastapi-overview/fastapi-overview?viewPanel=4&var-job=pix_erase_api&var-path=%2Fv1%2Fitems&var-path=%2Fhealth%20check&from=now-6h&to=now",
    );
    expect(new URL(url).searchParams.getAll("var-path")).toEqual(["/v1/items", "/health check"]);
  });

  it("takes Dates and epoch milliseconds for the time range", () => {
    expect(dashboardUrl(entry, undefined, { from: new Date(Date.UTC(2026, 0, 1)), to: 1767229200000 })).toBe(
      "/d/fastapi-overview/fastapi-overview?from=1767225600000&to=1767229200000",
    );
  });

  it("a solo link embeds the panel alone", () => {
    expect(dashboardUrl(entry, 4, { solo: true, vars: { job: "fastapi" } })).toBe("/d-solo/fastapi-overview/fastapi-overview?panelId=4&var-job=fastapi");
    expect(() => dashboardUrl(entry, undefined, { solo: true })).toThrow(/a solo link needs a panel/);
  });

  it("refuses a variable or a panel the dashboard does not have", () => {
    expect(() => dashboardUrl(entry, 4, { vars: { instance: "a:1" } })).toThrow('dashboard "fastapi-overview" has no variable "instance" (variables: datasource, job, path)');
    expect(() => dashboardUrl(entry, 99)).toThrow('dashboard "fastapi-overview" has no panel with id 99');
  });

  it("writes verbatim values (alert templates) without encoding them", () => {
    expect(dashboardUrl(entry, 4, { verbatim: { job: "{{ $labels.job }}" } })).toBe("/d/fastapi-overview/fastapi-overview?viewPanel=4&var-job={{ $labels.job }}");
  });

  it.each([
    ["FastAPI overview", "fastapi-overview"],
    ["Containers & hosts", "containers-hosts"],
    ["  LLM  ", "llm"],
    ["Ünïcode ✓", "n-code"],
    ["&&&", "dashboard"],
  ])("slug of %j is %j", (title, slug) => {
    expect(dashboardSlug(title)).toBe(slug);
  });
});

describe("the package export", () => {
  it("grafana-as-code/ops is the same function", async () => {
    const pkg = await import("grafana-as-code/ops");
    expect(pkg.dashboardUrl).toBe(dashboardUrl);
  });
});
