// No literal secret in any emitted file: the tree is committed and read by everyone with repository
// access. Secure fields hold ${ENV} references that Grafana expands; Alertmanager reads *_file paths.
// Keys are judged with the build's datasource secret pattern; values by the shapes of real secrets
// (literalSecrets.ts). A dashboard's document is walked once for this rule and dashboard-shape
// (documentWalk.ts), when the context reads it.
import { walkDocument, type WalkedDocument } from "../documentWalk.js";
import { judge, keyedMember, VALUE_PATTERNS } from "../literalSecrets.js";
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "datasource-literal-secret",
  scope: "dashboard",
  severity: "error",
  purpose: "No literal password, token or key anywhere in the emitted YAML/JSON (secrets are ${ENV} references or *_file paths)",
  check(ctx) {
    const out: RuleFinding[] = [];
    // The walks the context made of its dashboards' documents, by emitted path.
    const walked = new Map<string, WalkedDocument>();
    for (const d of ctx.dashboards) if (d.walked) walked.set(d.output, d.walked);
    for (const f of ctx.files) {
      const at = { file: ctx.fileOf(f.path), output: f.path };
      const doc = ctx.data.get(f.path);
      if (typeof doc === "string") {
        for (const l of judge(doc, keyedMember(""), false, "")) out.push({ ...at, ...l });
      } else if (doc !== null && typeof doc === "object") {
        const w = walked.get(f.path);
        for (const l of (w?.doc === doc ? w : walkDocument(doc)).literals) out.push({ ...at, ...l });
      } else if (doc !== undefined) continue; // a number or boolean: nothing to judge
      else {
        for (const [pattern, what] of VALUE_PATTERNS) {
          const line = f.content.split("\n").findIndex((l) => pattern.test(l));
          if (line >= 0) out.push({ ...at, line: line + 1, message: `contains what looks like ${what}`, fix: "move it to an environment variable or a mounted file and reference that" });
        }
      }
    }
    return out;
  },
});
