// The tree documents the push reads are checked against their schemas: every problem names the
// file and the field, all at once, before any request.
import { describe, expect, it } from "vitest";
import { LoadError, parseBuild } from "../../src/push/load.js";
import { sampleFiles } from "../fixtures/push-tree/sampleTree.js";

const env = { GRAFANA_LOKI_PASSWORD: "pw1", GRAFANA_WEBHOOK_PASSWORD: "pw2" };
const DS = "grafana/provisioning/datasources/datasources.yaml";
const ALERTS = "grafana/provisioning/alerting/alerts.yaml";

function problems(replace: Record<string, string>): string[] {
  const files = sampleFiles().map((f) => (f.path in replace ? { ...f, content: replace[f.path] } : f));
  try {
    parseBuild(files, env);
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return (e as LoadError).problems;
  }
  throw new Error("the tree was accepted");
}

describe("schema-checked tree documents", () => {
  it("datasources: each field named, with its index", () => {
    const p = problems({ [DS]: "datasources:\n  - name: a\n    uid: u1\n  - type: loki\n    uid: u2\n    jsonData: 5\n  - name: c\n    type: x\n" });
    expect(p).toEqual([
      `${DS} datasources[0].type: type is required`,
      `${DS} datasources[1].name: name is required`,
      `${DS} datasources[1].jsonData: Expected object, received number`,
      `${DS} datasources[2].uid: a uid is required to push (it is how the live datasource is found)`,
    ]);
  });

  it("a document of the wrong kind and a duplicate uid", () => {
    const p = problems({
      [DS]: "- just a list\n",
      "grafana/provisioning/dashboards/services/db.json": JSON.stringify({ uid: "api", title: "Twin" }),
    });
    expect(p).toEqual([`${DS}: not a YAML mapping`, "grafana/provisioning/dashboards/services/db.json uid: duplicate dashboard uid api"]);
  });

  it("alert rule groups: durations, required fields, condition", () => {
    const p = problems({
      [ALERTS]: [
        "groups:",
        "  - name: g",
        "    folder: F",
        "    interval: 5 minutes",
        "    rules:",
        "      - uid: r1",
        "        title: R",
        "        data: [{ refId: A, datasourceUid: p, model: {} }]",
        "        for: soon",
        "      - uid: r2",
        "        title: S",
        "        condition: A",
        "        data: []",
      ].join("\n"),
    });
    expect(p).toEqual([
      `${ALERTS} groups[0].interval: not a duration: "5 minutes"`,
      `${ALERTS} groups[0].rules[0].for: not a duration: "soon"`,
      `${ALERTS} groups[0].rules[1].data: rule has no data`,
    ]);
  });

  it("a rule without a condition or record", () => {
    const p = problems({ [ALERTS]: "groups:\n  - name: g\n    folder: F\n    rules:\n      - { uid: r, title: T, data: [{ refId: A }] }\n" });
    expect(p).toEqual([`${ALERTS} groups[0].rules[0].condition: rule has no condition`]);
  });

  it("a file that does not parse names the line", () => {
    const p = problems({ "grafana/provisioning/dashboards/services/api.json": '{\n  "uid": "api",\n  oops\n}' });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^grafana\/provisioning\/dashboards\/services\/api\.json: not valid JSON at line 3, column 3: /);
  });
});
