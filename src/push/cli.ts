// `npm run push`: pushes the build to a running Grafana over its HTTP API.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { Env } from "../emit/grafanaEnv.js";
import { MissingEnvError } from "../emit/grafanaEnv.js";
import { push } from "./engine.js";
import { GrafanaClient, NetworkError, type Auth, type ClientOptions } from "./http.js";
import { LoadError, parseBuild, readBuildDir } from "./load.js";
import { isOk, makeRedactor, renderJson, renderText, type Report } from "./report.js";
import type { BuildFile, Kind } from "./types.js";

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
  --only <kinds>              comma-separated: folders, datasources, dashboards, alerts
                              (= rule-groups, contact-points, policies); dashboards and alerts
                              bring their folders along
  --dir <path>                build directory to push (default: build)
  --env <name>                build in memory for this environment instead of reading --dir
  --concurrency <n>           requests in flight at once (default 4)
  --timeout <seconds>         per-request timeout (default 30)
  --retries <n>               retries for 5xx, 429, resets and timeouts (default 5)
  --disable-provenance        send X-Disable-Provenance: true with alerting writes, so the
                              objects stay editable in Grafana's UI
  --rewrite-secrets           write datasources and contact points that hold secrets even when
                              nothing else changed (Grafana never reads secrets back, so a
                              rotated password is otherwise not noticed)
  --format text|json          output format (default text)
  --insecure                  do not verify Grafana's TLS certificate
  --help                      this text

Exit status: 0 all done, 1 some objects failed, 2 bad usage or build, 3 Grafana unreachable or
credentials rejected (nothing was written).
`;

export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface CliContext {
  argv: string[];
  env: Env;
  stdout: Output;
  stderr: Output;
  cwd?: string;
  /** Builds in memory for --env; scripts/push.ts wires in the pipeline's runBuild. */
  buildForEnv?: (env: string) => Promise<BuildFile[]>;
  /** For tests and the benchmark: backoff timing and the like. */
  client?: Partial<ClientOptions>;
}

interface Args {
  dryRun: boolean;
  prune: boolean;
  only?: Set<Kind>;
  dir: string;
  env?: string;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  disableProvenance: boolean;
  rewriteSecrets: boolean;
  format: "text" | "json";
  insecure: boolean;
  help: boolean;
}

class UsageError extends Error {}

const ONLY: Record<string, Kind[]> = {
  folders: ["folders"],
  datasources: ["datasources"],
  dashboards: ["folders", "dashboards"],
  alerts: ["folders", "rule-groups", "contact-points", "policies"],
  "rule-groups": ["folders", "rule-groups"],
  "contact-points": ["contact-points"],
  policies: ["policies"],
};

export function parseArgs(argv: string[]): Args {
  const a: Args = {
    dryRun: false,
    prune: false,
    dir: "build",
    concurrency: 4,
    timeoutMs: 30_000,
    retries: 5,
    disableProvenance: false,
    rewriteSecrets: false,
    format: "text",
    insecure: false,
    help: false,
  };
  const args = [...argv];
  const value = (flag: string, inline?: string): string => {
    const v = inline ?? args.shift();
    if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const positiveInt = (flag: string, v: string, min = 1): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${v}"`);
    return n;
  };
  while (args.length) {
    const raw = args.shift()!;
    if (raw === "--") continue;
    const [flag, inline] = raw.includes("=") ? [raw.slice(0, raw.indexOf("=")), raw.slice(raw.indexOf("=") + 1)] : [raw, undefined];
    switch (flag) {
      case "--dry-run":
        a.dryRun = true;
        break;
      case "--prune":
        a.prune = true;
        break;
      case "--insecure":
        a.insecure = true;
        break;
      case "--disable-provenance":
        a.disableProvenance = true;
        break;
      case "--rewrite-secrets":
        a.rewriteSecrets = true;
        break;
      case "--help":
      case "-h":
        a.help = true;
        break;
      case "--only": {
        const kinds = new Set<Kind>();
        for (const name of value(flag, inline).split(",").map((s) => s.trim()).filter(Boolean)) {
          const ks = ONLY[name];
          if (!ks) throw new UsageError(`--only: unknown kind "${name}" (one of ${Object.keys(ONLY).join(", ")})`);
          ks.forEach((k) => kinds.add(k));
        }
        if (kinds.size === 0) throw new UsageError("--only needs at least one kind");
        a.only = kinds;
        break;
      }
      case "--dir":
        a.dir = value(flag, inline);
        break;
      case "--env":
        a.env = value(flag, inline);
        break;
      case "--concurrency":
        a.concurrency = positiveInt(flag, value(flag, inline));
        break;
      case "--timeout": {
        const v = value(flag, inline);
        const n = Number(v);
        if (!(n > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got "${v}"`);
        a.timeoutMs = Math.round(n * 1000);
        break;
      }
      case "--retries":
        a.retries = positiveInt(flag, value(flag, inline), 0);
        break;
      case "--format": {
        const v = value(flag, inline);
        if (v !== "text" && v !== "json") throw new UsageError(`--format must be text or json, got "${v}"`);
        a.format = v;
        break;
      }
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  return a;
}

function gitCommit(cwd: string): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd, stdio: ["ignore", "pipe", "ignore"], timeout: 5000 })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

export async function main(ctx: CliContext): Promise<number> {
  const { env } = ctx;
  const started = Date.now();
  const secrets = [env.GRAFANA_TOKEN, env.GRAFANA_PASSWORD];
  if (env.GRAFANA_USER && env.GRAFANA_PASSWORD) {
    secrets.push(Buffer.from(`${env.GRAFANA_USER}:${env.GRAFANA_PASSWORD}`).toString("base64"));
  }
  let redact = makeRedactor(secrets);
  const out = (s: string) => ctx.stdout.write(redact(s));
  const err = (s: string) => ctx.stderr.write(redact(s));

  let args: Args;
  try {
    args = parseArgs(ctx.argv);
  } catch (e) {
    err(`push: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  const fail = (code: number, message: string): number => {
    if (args.format === "json") out(JSON.stringify({ ok: false, error: message }, null, 2) + "\n");
    else err(`push: ${message}\n`);
    return code;
  };

  const url = env.GRAFANA_URL;
  if (!url) return fail(2, "GRAFANA_URL is not set");
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    return fail(2, "GRAFANA_URL must be an http(s) URL");
  }
  let auth: Auth;
  if (env.GRAFANA_TOKEN) auth = { token: env.GRAFANA_TOKEN };
  else if (env.GRAFANA_USER && env.GRAFANA_PASSWORD !== undefined) auth = { user: env.GRAFANA_USER, password: env.GRAFANA_PASSWORD };
  else return fail(2, "set GRAFANA_TOKEN, or GRAFANA_USER and GRAFANA_PASSWORD");
  if (env.GRAFANA_ORG_ID !== undefined && !/^\d+$/.test(env.GRAFANA_ORG_ID)) return fail(2, "GRAFANA_ORG_ID must be a number");

  // The build.
  let files: BuildFile[];
  try {
    if (args.env) {
      if (!ctx.buildForEnv) return fail(2, "--env is not available here");
      files = await ctx.buildForEnv(args.env);
    } else {
      files = await readBuildDir(resolve(ctx.cwd ?? process.cwd(), args.dir));
    }
  } catch (e) {
    return fail(2, e instanceof LoadError ? e.message : `could not read the build: ${(e as Error).message}`);
  }
  let desired;
  try {
    desired = parseBuild(files, env);
  } catch (e) {
    if (e instanceof MissingEnvError || e instanceof LoadError) return fail(2, e.message);
    throw e;
  }
  redact = makeRedactor([...secrets, ...desired.secrets]);
  const warnings = [...desired.warnings];
  const targetOrg = env.GRAFANA_ORG_ID ? Number(env.GRAFANA_ORG_ID) : undefined;
  const otherOrgs = desired.orgIds.filter((id) => id !== (targetOrg ?? 1));
  if (otherOrgs.length) {
    warnings.push(
      `the build names orgId ${[...new Set(desired.orgIds)].join(", ")}; everything is pushed to ${
        targetOrg ? `organisation ${targetOrg} (GRAFANA_ORG_ID)` : "the credentials' organisation (set GRAFANA_ORG_ID to choose)"
      }`,
    );
  }

  const progress = ctx.stderr.isTTY && args.format === "text";
  let lastDraw = 0;
  const client = new GrafanaClient({
    url,
    auth,
    orgId: env.GRAFANA_ORG_ID,
    insecure: args.insecure,
    timeoutMs: args.timeoutMs,
    retries: args.retries,
    concurrency: args.concurrency,
    ...ctx.client,
  });
  try {
    // Preflight: reachable, then the credentials work — before anything is read in earnest or written.
    try {
      const health = await client.request("GET", "/api/health", { auth: false });
      if (health.status !== 200) return fail(3, `Grafana at ${client.displayUrl} is not healthy: GET /api/health answered ${health.status}`);
    } catch (e) {
      return fail(3, `Grafana at ${client.displayUrl} is not reachable: ${(e as Error).message}`);
    }
    const how = "token" in auth ? "GRAFANA_TOKEN" : "GRAFANA_USER/GRAFANA_PASSWORD";
    try {
      const probe = await client.request("GET", "/api/folders?limit=1");
      if (probe.status === 401) return fail(3, `Grafana rejected the credentials (401): check ${how}. Nothing was written.`);
      if (probe.status === 403) {
        return fail(3, `the credentials in ${how} are not allowed to read folders (403): the push needs an Editor or Admin service account. Nothing was written.`);
      }
      if (probe.status < 200 || probe.status >= 300) return fail(3, `GET /api/folders answered ${probe.status}. Nothing was written.`);
    } catch (e) {
      return fail(3, `${(e as NetworkError).message}. Nothing was written.`);
    }

    const commit = gitCommit(ctx.cwd ?? process.cwd());
    const kinds = args.only ?? new Set<Kind>(["folders", "datasources", "dashboards", "rule-groups", "contact-points", "policies"]);
    let result;
    try {
      result = await push({
        client,
        desired,
        kinds,
        prune: args.prune,
        dryRun: args.dryRun,
        disableProvenance: args.disableProvenance,
        rewriteSecrets: args.rewriteSecrets,
        message: `grafana-as-code push${commit ? ` of ${commit}` : ""}`,
        onProgress: progress
          ? (phase, done, total) => {
              const now = Date.now();
              if (done < total && now - lastDraw < 100) return;
              lastDraw = now;
              ctx.stderr.write(`\r\x1b[2K${phase} ${done}/${total}`);
            }
          : undefined,
      });
    } catch (e) {
      if (progress) ctx.stderr.write("\r\x1b[2K");
      return fail(1, `the push stopped: ${(e as Error).message}`);
    }
    if (progress) ctx.stderr.write("\r\x1b[2K");
    const report: Report = {
      url: client.displayUrl,
      dryRun: args.dryRun,
      prune: args.prune,
      items: result.items,
      warnings,
      aborted: result.aborted,
      durationMs: Date.now() - started,
    };
    out(args.format === "json" ? renderJson(report) : renderText(report));
    return isOk(report) ? 0 : 1;
  } finally {
    client.close();
  }
}
