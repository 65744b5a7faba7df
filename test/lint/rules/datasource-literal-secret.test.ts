import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { findings, tree } from "../fixtures.js";

const RULE = "datasource-literal-secret";
const file = (path: string, doc: unknown) => ({ path, content: path.endsWith(".json") ? JSON.stringify(doc) : stringify(doc) });

describe(RULE, () => {
  it("passes ${ENV} references and *_file paths", () => {
    const ok = [
      file("grafana/provisioning/datasources/prod.yaml", { datasources: [{ uid: "loki", basicAuth: true, secureJsonData: { basicAuthPassword: "$${GRAFANA_LOKI_PASSWORD}" } }] }),
      file("alertmanager/alertmanager.yml", { receivers: [{ name: "pager", pagerduty_configs: [{ routing_key_file: "/etc/alertmanager/secrets/key" }] }] }),
    ];
    expect(findings(RULE, tree({ files: ok }))).toEqual([]);
  });

  it("reports literal secure fields, secret-named keys and secret-shaped values in any emitted file", () => {
    const bad = [
      file("grafana/provisioning/datasources/leak.yaml", { datasources: [{ uid: "loki", secureJsonData: { httpHeaderValue1: "Bearer abc" }, jsonData: { password: "hunter2" } }] }),
      file("alertmanager/alertmanager.yml", { receivers: [{ name: "chat", slack_configs: [{ api_url: "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX" }] }] }),
      file("grafana/provisioning/dashboards/x/y.json", { uid: "y", links: [{ url: "https://admin:s3cret@grafana.example.com/d/y" }] }),
    ];
    const f = findings(RULE, tree({ files: bad }));
    expect(f.map((x) => `${x.output}: ${x.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("datasources[0].secureJsonData.httpHeaderValue1 holds a literal value in secureJsonData"),
        expect.stringContaining("datasources[0].jsonData.password holds a literal value"),
        expect.stringContaining("api_url holds a literal value"),
        expect.stringContaining("y.json: links[0].url contains what looks like a URL with a password"),
      ]),
    );
  });

  it("judges list items by the list's name: a secret-named list of literals is reported item by item", () => {
    const doc = { uid: "z", tokens: ["abc", "${TOKEN}"], password: [["nested"]], routing_key: ["not judged by name"], password_file: ["x"], tags: ["password"] };
    const f = findings(RULE, tree({ files: [file("grafana/provisioning/dashboards/x/z.json", doc)] }));
    expect(f.map((x) => x.message.split(";")[0])).toEqual([
      "tokens[0] holds a literal value",
      "password[0][0] holds a literal value",
      "password_file[0] holds a literal value",
    ]);
  });

  it("judges a member by the name after its key's last dot, the same key alike in every file", () => {
    const doc = { uid: "k", "auth.password": "hunter2", "password.note": "a note", "cfg.tokens": ["abc"], "cfg.tags": ["password"] };
    const f = findings(RULE, tree({ files: [file("grafana/provisioning/dashboards/x/k.json", doc), file("grafana/provisioning/dashboards/x/l.json", { ...doc, uid: "l" })] }));
    expect(f.map((x) => `${x.output}: ${x.message.split(";")[0]}`).sort()).toEqual([
      "grafana/provisioning/dashboards/x/k.json: auth.password holds a literal value",
      "grafana/provisioning/dashboards/x/k.json: cfg.tokens[0] holds a literal value",
      "grafana/provisioning/dashboards/x/l.json: auth.password holds a literal value",
      "grafana/provisioning/dashboards/x/l.json: cfg.tokens[0] holds a literal value",
    ]);
  });
});
