// The push's command line: node:util parseArgs (through src/cli/args.ts), then each value's own check.
import { OptionError, parseOptions } from "../cli/args.js";
import type { Kind } from "./types.js";

export const USAGE = `Usage: npm run push -- [options]

Pushes the built Grafana provisioning tree to a running Grafana over its HTTP API:
folders, datasources, dashboards, alert rule groups, contact points and the notification
policy. Unchanged objects are not written, so pushing the same build twice writes nothing.

Environment:
  GRAFANA_URL                 Grafana's address, e.g. https://grafana.example (required)
  GRAFANA_TOKEN               service account token (sent as a Bearer token), or
  GRAFANA_USER, GRAFANA_PASSWORD   basic auth
  GRAFANA_ORG_ID              organisation to push to (X-Grafana-Org-Id); default: the token's
  and every variable the build references as \${VAR} (datasource secrets, ...)

Options:
  --dry-run                   read only: print what would change, deletions first
  --prune                     also delete objects this toolkit stamped that the build no longer has
  --only <kinds>              comma-separated: folders, datasources, dashboards, alerts, access
                              (= rule-groups, contact-points, policies); dashboards and alerts
                              bring their folders along; access = teams and folder permissions
  --dir <path>                build directory to push (default: build)
  --env <name>                build in memory for this environment instead of reading --dir
  --concurrency <n>           requests in flight at once (default 4)
  --timeout <seconds>         longest one request may take, connecting to the last byte of
                              the answer (default 30)
  --deadline <seconds>        longest the whole push may take, retries included
                              (default 20 × --timeout: 10 minutes)
  --retries <n>               retries for 5xx, 429, resets and timeouts (default 5)
  --disable-provenance        send X-Disable-Provenance: true with alerting writes, so the
                              objects stay editable in Grafana's UI
  --rewrite-secrets           write datasources and contact points that hold secrets even when
                              nothing else changed (Grafana never reads secrets back, so a
                              rotated password is otherwise not noticed)
  --format text|json          output format (default text)
  --targets <file>            push to every Grafana a targets file lists (YAML: name, url,
                              tokenEnv or basicAuth, orgId, env, folders), all at once
  --parallel <n>              targets pushed at once with --targets (default 4)
  --rulers                    sync the rule groups to Mimir's and Loki's rulers instead
                              (npm run push -- --rulers --help)
  --insecure                  do not verify Grafana's TLS certificate
  --debug                     print the stack trace of an unexpected failure
  --help                      this text

Every answer is checked before it is believed: its status, that it is JSON, and that it has the
endpoint's shape. A login page, a redirect or JSON of another shape stops the push.

Exit status: 0 all done; 1 invalid local input (a broken build tree) or objects Grafana refused
(each listed); 2 bad usage or settings (options, GRAFANA_URL, credentials, variables, --dir);
3 Grafana unreachable, out of time, not answering as Grafana, or credentials rejected (nothing
is written after that point).
`;

export interface Args {
  dryRun: boolean;
  prune: boolean;
  only?: Set<Kind>;
  dir: string;
  env?: string;
  concurrency: number;
  timeoutMs: number;
  deadlineMs?: number;
  retries: number;
  debug: boolean;
  disableProvenance: boolean;
  rewriteSecrets: boolean;
  format: "text" | "json";
  insecure: boolean;
  help: boolean;
  /** A targets file: push to every Grafana it lists. */
  targets?: string;
  /** Targets pushed at once. */
  parallel: number;
}

const ONLY: Record<string, Kind[]> = {
  folders: ["folders"],
  datasources: ["datasources"],
  dashboards: ["folders", "dashboards"],
  alerts: ["folders", "rule-groups", "contact-points", "policies"],
  "rule-groups": ["folders", "rule-groups"],
  "contact-points": ["contact-points"],
  policies: ["policies"],
  access: ["folders", "teams", "folder-permissions"],
};

const OPTIONS = {
  "dry-run": { type: "boolean" },
  prune: { type: "boolean" },
  insecure: { type: "boolean" },
  debug: { type: "boolean" },
  "disable-provenance": { type: "boolean" },
  "rewrite-secrets": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  only: { type: "string" },
  dir: { type: "string" },
  env: { type: "string" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  deadline: { type: "string" },
  retries: { type: "string" },
  format: { type: "string" },
  targets: { type: "string" },
  parallel: { type: "string" },
} as const;

function integer(flag: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new OptionError(`${flag} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

/** Throws OptionError with the message the user sees (before the usage text). */
export function parsePushArgs(argv: string[]): Args {
  // A "--" separator (as npm passes it along) is not an argument.
  const v = parseOptions(OPTIONS, argv.filter((a) => a !== "--"));
  const a: Args = {
    dryRun: v["dry-run"] === true,
    prune: v.prune === true,
    dir: v.dir ?? "build",
    env: v.env,
    concurrency: v.concurrency === undefined ? 4 : integer("--concurrency", v.concurrency, 1),
    timeoutMs: 30_000,
    retries: v.retries === undefined ? 5 : integer("--retries", v.retries, 0),
    disableProvenance: v["disable-provenance"] === true,
    rewriteSecrets: v["rewrite-secrets"] === true,
    format: "text",
    insecure: v.insecure === true,
    debug: v.debug === true,
    help: v.help === true,
    targets: v.targets,
    parallel: v.parallel === undefined ? 4 : integer("--parallel", v.parallel, 1),
  };
  if (v.only !== undefined) {
    const kinds = new Set<Kind>();
    for (const name of v.only.split(",").map((s) => s.trim()).filter(Boolean)) {
      const ks = ONLY[name];
      if (!ks) throw new OptionError(`--only: unknown kind "${name}" (one of ${Object.keys(ONLY).join(", ")})`);
      ks.forEach((k) => kinds.add(k));
    }
    if (kinds.size === 0) throw new OptionError("--only needs at least one kind");
    a.only = kinds;
  }
  if (v.timeout !== undefined) {
    const n = Number(v.timeout);
    // setTimeout cannot wait longer than about 24 days; a day is more than any answer needs.
    if (!(n > 0) || n > 86_400) throw new OptionError(`--timeout must be a number of seconds above 0 and at most 86400, got "${v.timeout}"`);
    a.timeoutMs = Math.round(n * 1000);
  }
  if (v.deadline !== undefined) {
    const n = Number(v.deadline);
    if (!(n > 0) || !Number.isFinite(n)) throw new OptionError(`--deadline must be a positive number of seconds, got "${v.deadline}"`);
    a.deadlineMs = Math.round(n * 1000);
  }
  if (v.format !== undefined) {
    if (v.format !== "text" && v.format !== "json") throw new OptionError(`--format must be text or json, got "${v.format}"`);
    a.format = v.format;
  }
  return a;
}
