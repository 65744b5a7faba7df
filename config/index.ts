// Loads and validates one environment's configuration. A bad value stops the build with the path
// of the offending key, never a stack trace.
import { configSchema, type Config, type ConfigInput } from "./schema.js";
import { environments } from "./environments.js";
import { BuildError } from "../src/errors.js";

export type { Config, ServiceConfig, ServiceKey } from "./schema.js";

export const CONFIG_FILE = "config/environments.ts";

export function parseConfig(input: unknown, file = CONFIG_FILE): Config {
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

export function loadConfig(env = "dev", overrides?: (c: ConfigInput) => ConfigInput): Config {
  const input = environments[env];
  if (!input) {
    throw new BuildError([
      {
        code: "bad-config",
        file: CONFIG_FILE,
        message: `unknown environment "${env}"; known: ${Object.keys(environments).join(", ")}`,
      },
    ]);
  }
  return parseConfig(overrides ? overrides(structuredClone(input)) : input);
}
