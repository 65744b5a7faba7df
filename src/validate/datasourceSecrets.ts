// No literal secret may reach a provisioning file: secure fields hold only ${ENV} references, and no
// password/token/key sits in plain jsonData. The build output is committed and read by reviewers.
import type { DatasourceDefinition } from "../model/datasource.js";
import { isEnvRef } from "../emit/provisioningYaml.js";
import type { Problem } from "../errors.js";

export const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|private[-_]?key|credential/i;

export function checkDatasourceSecrets(defs: DatasourceDefinition[], file: string): Problem[] {
  const problems: Problem[] = [];
  for (const d of defs) {
    const at = { file, panelTitle: undefined, rule: undefined, dashboardUid: undefined };
    for (const [key, value] of Object.entries(d.secureJsonData ?? {})) {
      if (!isEnvRef(value)) {
        problems.push({ ...at, code: "literal-secret", message: `datasource "${d.uid}": secureJsonData.${key} must be envRef("NAME"), not a literal value` });
      }
    }
    const walk = (v: unknown, path: string) => {
      if (v && typeof v === "object" && !isEnvRef(v)) {
        for (const [k, x] of Object.entries(v)) {
          const p = path ? `${path}.${k}` : k;
          if (SECRET_KEY.test(k) && typeof x === "string" && x !== "" && !/^\$\{[A-Z_][A-Z0-9_]*\}$/.test(x)) {
            problems.push({ ...at, code: "literal-secret", message: `datasource "${d.uid}": ${p} looks like a secret; move it to secureJsonData as envRef("NAME")` });
          }
          walk(x, p);
        }
      }
    };
    const { secureJsonData: _secure, ...rest } = d;
    walk(rest, "");
    if (d.basicAuth && !d.secureJsonData?.basicAuthPassword) {
      problems.push({ ...at, code: "missing-secret", message: `datasource "${d.uid}": basicAuth is on but secureJsonData.basicAuthPassword is not set` });
    }
  }
  return problems;
}
