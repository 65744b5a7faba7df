// What datasource-literal-secret reports: a string under a member named like a secret that is not a
// reference, or any string shaped like a real secret. Kept apart from the rule so that the one walk
// of a dashboard's document (documentWalk.ts) judges its strings as the rule does.
import { SECRET_KEY } from "../validate/datasourceSecrets.js";

/** Keys that hold a secret besides SECRET_KEY's (Alertmanager and contact point fields). */
const MORE_SECRET_KEYS = /^(routing_key|service_key|integration_?key|webhook_?url|api_url|auth_password|bearer_token|client_secret|access_key|sas|hmac)$/i;
/** A reference, not a value: ${ENV}, $ENV, or a file the secret is read from. */
const REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$/;
export const VALUE_PATTERNS: [RegExp, string][] = [
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

/** Whether a member written under `key` holds a secret by its name. */
export const keyedMember = (key: string): boolean => judgedKey(byKey, secretKey, key);
/** Whether the items of a list written under `key` hold secrets by its name. */
export const keyedItem = (key: string): boolean => judgedKey(itemsByKey, secretItemKey, key);
/** Members whose every string is a secret. */
export const isSecureField = (key: string): boolean => key === "secureJsonData" || key === "secureSettings";

/** Whether `judge` has anything to say about a string (most strings are leaves with nothing to say). */
export const flagged = (v: string, keyed: boolean): boolean => (keyed && v !== "" && !REFERENCE.test(v.trim())) || MAYBE_SECRET.test(v);

export interface Literal {
  message: string;
  fix: string;
}

/** What is wrong with a string at `path`; `keyed`: its name (or an enclosing secure field) says it holds a secret. */
export function judge(v: string, keyed: boolean, secure: boolean, path: string): Literal[] {
  if (keyed && v !== "" && !REFERENCE.test(v.trim())) {
    return [{ message: `${path} holds a literal value${secure ? " in secureJsonData" : ""}; anyone reading the repository has it`, fix: 'reference an environment variable instead: envRef("NAME") in the definition (written as ${NAME})' }];
  }
  if (!MAYBE_SECRET.test(v)) return [];
  const out: Literal[] = [];
  for (const [pattern, what] of VALUE_PATTERNS) {
    if (pattern.test(v)) out.push({ message: `${path} contains what looks like ${what}`, fix: "move it to an environment variable or a mounted file and reference that" });
  }
  return out;
}

/** A path as findings show it: `a.b[0].c`; members named "" at the start are left out of it, as before. */
export function pathOf(parts: readonly (string | number)[]): string {
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
