// Grafana expands $VAR and ${VAR} from its environment in every provisioning file, and reads $$ as a
// literal $. Definitions therefore write Grafana macros plainly ("${__value.raw}") and secrets as
// envRef("NAME"); this module is the only place that turns both into provisioning text.
import { createExpander } from "./grafanaEnv.js";
import { stableStringifyYaml } from "./stable.js";

const ENV_REF = Symbol.for("grafana-as-code.envRef");

export interface EnvRef {
  readonly [ENV_REF]: string;
}

/** A value Grafana takes from its own environment when it reads the file; never a literal. */
export function envRef(name: string): EnvRef {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`invalid environment variable name "${name}"`);
  return { [ENV_REF]: name } as EnvRef;
}

export function isEnvRef(v: unknown): v is EnvRef {
  return typeof v === "object" && v !== null && ENV_REF in v;
}

/** Escapes every "$" so Grafana keeps it, and replaces env refs by ${NAME}. */
export function toProvisioningValue(v: unknown): unknown {
  if (isEnvRef(v)) return "${" + v[ENV_REF] + "}";
  if (typeof v === "string") return v.replaceAll("$", "$$$$");
  if (Array.isArray(v)) return v.map(toProvisioningValue);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toProvisioningValue(x)]));
  }
  return v;
}

export function provisioningYaml(doc: unknown, header?: string): string {
  return stableStringifyYaml(toProvisioningValue(doc), header);
}

/**
 * The inverse, as Grafana applies it when it reads the file (see grafanaEnv.ts): ${NAME}, $NAME,
 * $__env{NAME} and $__file{path} expanded, an unset variable becomes "", $$ is a literal $.
 */
export function expandProvisioningText(text: string, env: Record<string, string | undefined>): { text: string; missing: string[] } {
  const ex = createExpander(env);
  const out = ex.expand(text, "file");
  return { text: out, missing: [...new Set(ex.missing.map((m) => m.name))] };
}
