// The reader inverts the emitter: whatever strings a definition holds, the tree read back (as lint
// and diff read it, and as push reads it with an environment) gives those strings again.
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { grafanaRulesValue } from "../../src/alerting/grafana.js";
import { createExpander } from "../../src/emit/grafanaEnv.js";
import { toProvisioningValue } from "../../src/emit/provisioningYaml.js";
import { asGrafanaReads, literalDollars } from "../../src/emit/dollars.js";

// Strings rich in "$", braces and names, so escapes and variable syntax collide often.
const text = fc.string({ unit: fc.constantFrom("$", "$", "{", "}", "_", "a", "Z", "1", " ", "_env", "é") });

const ruleDoc = fc.record({
  apiVersion: fc.constant(1),
  groups: fc.array(
    fc.record({
      name: text,
      folder: text,
      interval: text,
      rules: fc.array(
        fc.record({
          uid: text,
          title: text,
          labels: fc.dictionary(fc.constantFrom("severity", "team"), text),
          annotations: fc.dictionary(fc.constantFrom("summary", "runbook_url"), text),
          data: fc.array(fc.record({ refId: text, model: fc.record({ expr: text }) }), { maxLength: 2 }),
        }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 2 },
  ),
});

describe("reading a tree inverts writing it", () => {
  test.prop([ruleDoc])("Grafana alert rules: every field comes back as the definition wrote it", (doc) => {
    const written = grafanaRulesValue(doc as unknown as Parameters<typeof grafanaRulesValue>[0]);
    expect(asGrafanaReads("grafana/provisioning/alerting/rules.yaml", written)).toEqual(doc);
  });

  test.prop([fc.dictionary(fc.constantFrom("name", "url", "user"), text)])("datasources: every value comes back", (ds) => {
    const doc = { datasources: [ds] };
    expect(asGrafanaReads("grafana/provisioning/datasources/datasources.yaml", toProvisioningValue(doc))).toEqual(doc);
  });

  test.prop([text, fc.dictionary(fc.constantFrom("A", "B", "_env"), text)])("push's expansion and the literal reading agree on escaped text, whatever the environment", (s, env) => {
    const escaped = toProvisioningValue(s) as string;
    expect(createExpander(env).expand(escaped, "x")).toBe(s);
    expect(literalDollars(escaped, "x")).toBe(s);
  });
});
