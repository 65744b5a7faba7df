// Loads and validates one environment's configuration. A bad value stops the build with the path
// of the offending key, never a stack trace.
import { configSchema, type Config, type ConfigInput } from "./schema.js";
import { environments } from "./environments.js";
import { BuildError, EXIT, UserError } from "../src/errors.js";
import { formatPath, valueIssues } from "../src/validate/emittedValues.js";

export type { Config, ServiceConfig, ServiceKey } from "./schema.js";

export const CONFIG_FILE = "config/environments.ts";

export function parseConfig(input: unknown, file = CONFIG_FILE): Config {
  // NaN and Infinity pass a plain z.number(); no config value may be either (it ends up in queries and files).
  const values = valueIssues(input);
  if (values.length) {
    throw new BuildError(
      values.map((i) => ({ code: "bad-config", file, message: `${formatPath(i.segments)} ${i.message}` })),
    );
  }
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new BuildError(
      result.error.issues.map((i) => ({
        code: "bad-config",
        file,
        message: `${i.path.join(".") || "(root)"}: ${i.message}`,
      })),
    );
  }
  return result.data;
}

/** Names of the environments config/environments.ts defines (own keys only). */
export function environmentNames(): string[] {
  return Object.keys(environments).sort();
}

export function loadConfig(env = "dev", overrides?: (c: ConfigInput) => ConfigInput): Config {
  // Own keys only: "__proto__", "constructor" or "toString" are names the user typed, not environments.
  const input = Object.hasOwn(environments, env) ? environments[env] : undefined;
  if (!input) {
    throw new UserError(
      `unknown environment ${JSON.stringify(env)}; known: ${environmentNames().join(", ")} (${CONFIG_FILE})`,
      EXIT.usage,
      CONFIG_FILE,
    );
  }
  return parseConfig(overrides ? overrides(structuredClone(input)) : input);
}
