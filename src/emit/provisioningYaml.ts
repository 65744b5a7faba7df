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

// The same documents (datasources, dashboard providers) are written on every --watch rebuild, and
// YAML serialisation is slow: the last few are kept by their content. The key tells apart every
// value JSON would confuse (undefined, functions, symbols, big integers, non-finite numbers).
const written = new Map<string, string>();
const TAG = "\u0000grafana-as-code:";

/**
 * What tells a YAML text apart: the header and the value, with every value JSON would confuse named;
 * undefined for a value JSON cannot hold (a cycle). The build's cache keeps texts by it across runs.
 */
export function yamlTextKey(value: unknown, header?: string): string | undefined {
  try {
    return `${header ?? ""}${TAG}${JSON.stringify(value, (_k, v: unknown) =>
      v === undefined || typeof v === "function" || typeof v === "symbol" || typeof v === "bigint" || (typeof v === "number" && !Number.isFinite(v))
        ? `${TAG}${typeof v}:${String(v)}`
        : v,
    )}`;
  } catch {
    return undefined;
  }
}

export function provisioningYaml(doc: unknown, header?: string): string {
  const value = toProvisioningValue(doc);
  const key = yamlTextKey(value, header);
  if (key === undefined) return stableStringifyYaml(value, header); // a cycle: let the serialiser say so
  let text = written.get(key);
  if (text === undefined) {
    text = stableStringifyYaml(value, header);
    if (written.size >= 16) written.clear();
    written.set(key, text);
  }
  return text;
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
