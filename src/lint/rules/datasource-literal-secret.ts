// No literal secret in any emitted file: the tree is committed and read by everyone with repository
// access. Secure fields hold ${ENV} references that Grafana expands; Alertmanager reads *_file paths.
// Keys are judged with the build's datasource secret pattern; values by the shapes of real secrets.
import { SECRET_KEY } from "../../validate/datasourceSecrets.js";
import { defineRule, type RuleFinding } from "../types.js";

/** Keys that hold a secret besides SECRET_KEY's (Alertmanager and contact point fields). */
const MORE_SECRET_KEYS = /^(routing_key|service_key|integration_?key|webhook_?url|api_url|auth_password|bearer_token|client_secret|access_key|sas|hmac)$/i;
/** A reference, not a value: ${ENV}, $ENV, or a file the secret is read from. */
const REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$/;
const VALUE_PATTERNS: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/, "a JSON web token"],
  [/\b(glsa|glc|glpat|ghp|gho|ghs|github_pat|xox[abpr])_?[A-Za-z0-9_-]{16,}/, "an API token"],
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/hooks\.slack\.com\/services\/[A-Z0-9]+\/[A-Z0-9]+\/[A-Za-z0-9]+/, "a Slack webhook URL"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@$]+@/i, "a URL with a password"],
];

/** Cheap test first: most strings hold none of the patterns' anchors. */
const MAYBE_SECRET = /BEGIN|eyJ|gl(?:sa|c|pat)_|gh[pos]_|github_pat|xox|AKIA|hooks\.slack|:\/\/[^\s/]*@/;

/** Whether a member of this name holds a secret; names repeat across a tree, so each is judged once. */
const judged = new Map<string, boolean>();
function secretKey(key: string): boolean {
  let keyed = judged.get(key);
  if (keyed === undefined) {
    keyed = (SECRET_KEY.test(key) || MORE_SECRET_KEYS.test(key)) && !/_?file$/i.test(key);
    if (judged.size < 10_000) judged.set(key, keyed);
  }
  return keyed;
}

const memberName = (k: string) => k.slice(k.lastIndexOf(".") + 1);

/**
 * secretKey and secretItemKey of a member's name, by the key it is written under (what follows its
 * last "." is the name): the walk looks each key up as it is, without cutting a name out of it.
 */
const byKey = new Map<string, boolean>();
const itemsByKey = new Map<string, boolean>();
function judgedKey(cache: Map<string, boolean>, judge: (name: string) => boolean, key: string): boolean {
  let keyed = cache.get(key);
  if (keyed === undefined) {
    keyed = judge(memberName(key));
    if (cache.size < 10_000) cache.set(key, keyed);
  }
  return keyed;
}

/**
 * secretKey of a list item's name, `key[i]` (or `key[i][j]`): no other name pattern can match a
 * name ending in "]", and SECRET_KEY matches one exactly when it matches `key`, so the name need
 * not be written out for every item.
 */
const judgedItems = new Map<string, boolean>();
function secretItemKey(key: string): boolean {
  let keyed = judgedItems.get(key);
  if (keyed === undefined) {
    keyed = SECRET_KEY.test(key);
    if (judgedItems.size < 10_000) judgedItems.set(key, keyed);
  }
  return keyed;
}

/** A path as findings show it: `a.b[0].c`; members named "" at the start are left out of it, as before. */
function pathOf(parts: readonly (string | number)[]): string {
  let path = "";
  let leading = true; // still among the members named "" that start the path
  for (const p of parts) {
    if (typeof p === "number") {
      path += `[${p}]`;
      leading = false;
    } else {
      path += leading ? p : `.${p}`;
      leading = leading && p === "";
    }
  }
  return path;
}

export default defineRule({
  id: "datasource-literal-secret",
  scope: "dashboard",
  severity: "error",
  purpose: "No literal password, token or key anywhere in the emitted YAML/JSON (secrets are ${ENV} references or *_file paths)",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const f of ctx.files) {
      const at = { file: ctx.fileOf(f.path), output: f.path };
      const doc = ctx.data.get(f.path);
      // The path is kept as a stack of its pieces (keys, and indexes of list items) and written out
      // only for a finding: building it at every node cost more than the rest of the rule on a large
      // tree. `key` is the member's key (its name is what follows the key's last "."; [i] for list items).
      const parts: (string | number)[] = [];
      // A string whose path is on `parts`; `keyed`: its name (or an enclosing secure field) says it holds a secret.
      const judge = (v: string, keyed: boolean, secure: boolean) => {
        if (keyed && v !== "" && !REFERENCE.test(v.trim())) {
          out.push({ ...at, message: `${pathOf(parts)} holds a literal value${secure ? " in secureJsonData" : ""}; anyone reading the repository has it`, fix: 'reference an environment variable instead: envRef("NAME") in the definition (written as ${NAME})' });
          return;
        }
        if (!MAYBE_SECRET.test(v)) return;
        const path = pathOf(parts);
        for (const [pattern, what] of VALUE_PATTERNS) {
          if (pattern.test(v)) out.push({ ...at, message: `${path} contains what looks like ${what}`, fix: "move it to an environment variable or a mounted file and reference that" });
        }
      };
      // Whether judge has anything to say: a string is put on the path only then (most strings are
      // leaves with nothing to say, and pushing each one's name cost more than judging it).
      const flagged = (v: string, keyed: boolean) => (keyed && v !== "" && !REFERENCE.test(v.trim())) || MAYBE_SECRET.test(v);
      // `key`: the member's key (a list's items are judged by the list's name, secretItemKey).
      const walk = (v: object, key: string, secure: boolean) => {
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            const x = v[i];
            if (typeof x === "string") {
              const keyed = secure || judgedKey(itemsByKey, secretItemKey, key);
              if (!flagged(x, keyed)) continue;
              parts.push(i);
              judge(x, keyed, secure);
              parts.pop();
            } else if (x !== null && typeof x === "object") {
              parts.push(i);
              walk(x, Array.isArray(x) ? key : "", secure);
              parts.pop();
            }
          }
        } else {
          for (const k in v) {
            if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
            const x = (v as Record<string, unknown>)[k];
            if (typeof x === "string") {
              const inner = secure || k === "secureJsonData" || k === "secureSettings";
              const keyed = inner || judgedKey(byKey, secretKey, k);
              if (!flagged(x, keyed)) continue;
              parts.push(k);
              judge(x, keyed, inner);
              parts.pop();
            } else if (x !== null && typeof x === "object") {
              parts.push(k);
              walk(x, k, secure || k === "secureJsonData" || k === "secureSettings");
              parts.pop();
            }
          }
        }
      };
      if (typeof doc === "string") judge(doc, judgedKey(byKey, secretKey, ""), false);
      else if (doc !== null && typeof doc === "object") walk(doc, "", false);
      else if (doc !== undefined) continue; // a number or boolean: nothing to judge
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
