// Environment expansion exactly as Grafana applies it to provisioning files
// (pkg/services/provisioning/values): the value is split on "$$" (a literal "$"), each part gets
// the $__env{NAME} / $__file{path} expanders, then Go's os.ExpandEnv ($NAME and ${NAME}).
// One deliberate difference: Grafana turns an unset variable into "", the push refuses it and
// names the variable, since a datasource pushed with an empty password is a silent outage.
import { readFileSync } from "node:fs";
import { expandStrings } from "./dollars.js";

export type Env = Record<string, string | undefined>;

export class MissingEnvError extends Error {
  constructor(readonly missing: { name: string; where: string }[]) {
    super(
      `missing environment variable${missing.length > 1 ? "s" : ""}: ` +
        missing.map((m) => `${m.name} (used by ${m.where})`).join(", "),
    );
    this.name = "MissingEnvError";
  }
}

export interface Expander {
  /** Expands one string; records missing variables against `where`. */
  expand(value: string, where: string): string;
  /** Values that came from the environment while `secret` was on. */
  readonly secretValues: Set<string>;
  secret: boolean;
  missing: { name: string; where: string }[];
  /** Throws MissingEnvError if anything was missing. */
  check(): void;
}

const SPECIAL = new Set(["*", "#", "$", "@", "!", "?", "-", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
const isNameChar = (c: string) => /[A-Za-z0-9_]/.test(c);

/** Go's os.getShellName: [name, width consumed after "$"]. */
function shellName(s: string): [string, number] {
  if (s[0] === "{") {
    if (s.length > 2 && SPECIAL.has(s[1]) && s[2] === "}") return [s[1], 3];
    for (let i = 1; i < s.length; i++) {
      if (s[i] === "}") return i === 1 ? ["", 2] : [s.slice(1, i), i + 1];
    }
    return ["", 1];
  }
  if (s.length > 0 && SPECIAL.has(s[0])) return [s[0], 1];
  let i = 0;
  while (i < s.length && isNameChar(s[i])) i++;
  return [s.slice(0, i), i];
}

export function createExpander(env: Env, readFile: (p: string) => string = (p) => readFileSync(p, "utf8")): Expander {
  const missing: { name: string; where: string }[] = [];
  const secretValues = new Set<string>();
  const ex: Expander = {
    secret: false,
    secretValues,
    missing,
    expand(value: string, where: string): string {
      const lookup = (name: string): string => {
        const v = env[name];
        if (v === undefined) {
          if (!missing.some((m) => m.name === name && m.where === where)) missing.push({ name, where });
          return "";
        }
        if (ex.secret && v.length > 0) secretValues.add(v);
        return v;
      };
      return value
        .split("$$")
        .map((part) => {
          // Grafana's setting.ExpandVar: $__env{NAME}, $__file{path} (vault is Enterprise-only).
          const viaProviders = part.replace(/\$__(\w+)\{([^}]*)\}/g, (whole, provider: string, arg: string) => {
            if (provider === "env") return lookup(arg);
            if (provider === "file") {
              try {
                const v = readFile(arg).trim();
                if (ex.secret && v) secretValues.add(v);
                return v;
              } catch {
                missing.push({ name: `$__file{${arg}}`, where });
                return "";
              }
            }
            return whole;
          });
          let out = "";
          for (let i = 0; i < viaProviders.length; i++) {
            const c = viaProviders[i];
            if (c !== "$" || i + 1 >= viaProviders.length) {
              out += c;
              continue;
            }
            const [name, w] = shellName(viaProviders.slice(i + 1));
            if (name === "" && w > 0) {
              // Invalid syntax such as "${}": Go eats the characters.
            } else if (name === "") {
              out += "$";
            } else {
              out += lookup(name);
            }
            i += w;
          }
          return out;
        })
        .join("$");
    },
    check() {
      if (missing.length) throw new MissingEnvError(missing);
    },
  };
  return ex;
}

/** Expands every string inside a parsed YAML value (maps, lists), like Grafana's JSONValue. */
export function expandDeep(value: unknown, ex: Expander, where: string): unknown {
  return expandStrings(value, (v, w) => ex.expand(v, w), where);
}
