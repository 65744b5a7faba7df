// `npm run push`: pushes the build to a running Grafana over its HTTP API.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { Env } from "../emit/grafanaEnv.js";
import { MissingEnvError } from "../emit/grafanaEnv.js";
import { BuildError, EXIT, UserError, type ExitCode } from "../errors.js";
import { parseAccess, pushAccess } from "./access.js";
import { isFatal, push } from "./engine.js";
import { GrafanaClient, type Auth, type ClientOptions } from "./http.js";
import { LoadError, parseBuild, readBuildDir } from "./load.js";
import { RESPONSES, ResponseError, snippet } from "./responses.js";
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
  deadlineMs?: number;
  retries: number;
  debug: boolean;
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
  access: ["folders", "teams", "folder-permissions"],
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
    debug: false,
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
      case "--debug":
        a.debug = true;
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
        // setTimeout cannot wait longer than about 24 days; a day is more than any answer needs.
        if (!(n > 0) || n > 86_400) throw new UsageError(`--timeout must be a number of seconds above 0 and at most 86400, got "${v}"`);
        a.timeoutMs = Math.round(n * 1000);
        break;
      }
      case "--deadline": {
        const v = value(flag, inline);
        const n = Number(v);
        if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--deadline must be a positive number of seconds, got "${v}"`);
        a.deadlineMs = Math.round(n * 1000);
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
  try {
    return await run(ctx);
  } catch (e) {
    // Not a failure the user caused or can fix from here: one line, the stack only with --debug.
    const debug = ctx.argv.includes("--debug");
    const redact = makeRedactor([ctx.env.GRAFANA_TOKEN, ctx.env.GRAFANA_PASSWORD]);
    ctx.stderr.write(redact(`push: unexpected failure: ${(e as Error)?.message ?? String(e)}${debug ? `\n${(e as Error)?.stack ?? ""}` : " (--debug shows the stack)"}\n`));
    return EXIT.invalid;
  }
}

async function run(ctx: CliContext): Promise<number> {
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
    if (!(e instanceof UsageError)) throw e;
    err(`push: ${e.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  const fail = (code: ExitCode, message: string, e?: unknown): number => {
    const stack = args.debug && e instanceof Error && e.stack ? `\n${e.stack}` : "";
    if (args.format === "json") out(JSON.stringify({ ok: false, exitCode: code, error: message }, null, 2) + "\n");
    else err(`push: ${message}${stack}\n`);
    if (args.format === "json" && stack) err(`${stack.slice(1)}\n`);
    return code;
  };

  const url = env.GRAFANA_URL;
  if (!url) return fail(EXIT.usage, "GRAFANA_URL is not set");
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
  } catch {
    return fail(EXIT.usage, "GRAFANA_URL must be an http(s) URL");
  }
  let auth: Auth;
  if (env.GRAFANA_TOKEN) auth = { token: env.GRAFANA_TOKEN };
  else if (env.GRAFANA_USER && env.GRAFANA_PASSWORD !== undefined) auth = { user: env.GRAFANA_USER, password: env.GRAFANA_PASSWORD };
  else return fail(EXIT.usage, "set GRAFANA_TOKEN, or GRAFANA_USER and GRAFANA_PASSWORD");
  if (env.GRAFANA_ORG_ID !== undefined && !/^\d+$/.test(env.GRAFANA_ORG_ID)) return fail(EXIT.usage, "GRAFANA_ORG_ID must be a number");

  // The build.
  let files: BuildFile[];
  const dir = resolve(ctx.cwd ?? process.cwd(), args.dir);
  try {
    if (args.env) {
      if (!ctx.buildForEnv) return fail(EXIT.usage, "--env is not available here");
      files = await ctx.buildForEnv(args.env);
    } else {
      files = await readBuildDir(dir);
    }
  } catch (e) {
    if (e instanceof LoadError) return fail(e.exitCode, e.message, e);
    if (e instanceof UserError) return fail(e.exitCode, e.message, e);
    if (e instanceof BuildError) return fail(EXIT.invalid, `the build for --env ${args.env} failed:\n${e.message}`, e);
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) {
      // A file system refusal (permissions, I/O): the message names the path.
      return fail(EXIT.io, `could not read the build: ${(e as Error).message}`, e);
    }
    throw e;
  }
  let desired;
  try {
    desired = parseBuild(files, env);
  } catch (e) {
    if (e instanceof MissingEnvError) return fail(EXIT.usage, e.message, e);
    if (e instanceof LoadError) return fail(e.exitCode, e.message, e);
    throw e;
  }
  let access;
  try {
    access = parseAccess(files);
  } catch (e) {
    if (e instanceof UserError) return fail(e.exitCode, e.message, e);
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
    deadlineMs: args.deadlineMs ?? args.timeoutMs * DEADLINE_PER_TIMEOUT,
    retries: args.retries,
    concurrency: args.concurrency,
    ...ctx.client,
  });
  const nothingWritten = () => (client.stats.writes ? "" : " Nothing was written.");
  try {
    // Preflight: reachable and Grafana, then the credentials work — before anything is written.
    try {
      const health = await client.request<{ database: string }>("GET", "/api/health", { auth: false, schema: RESPONSES.health });
      if (health.status !== 200) {
        return fail(EXIT.io, `Grafana at ${client.displayUrl} is not healthy: GET /api/health answered ${health.status}.${nothingWritten()}`);
      }
      const body = health.body;
      if (body.database !== "ok") {
        return fail(EXIT.io, `Grafana at ${client.displayUrl} is not healthy: GET /api/health says database ${snippet(body.database, 50)}.${nothingWritten()}`);
      }
    } catch (e) {
      if (!isFatal(e)) throw e;
      const how = e instanceof ResponseError ? "does not answer as Grafana" : "is not reachable";
      return fail(EXIT.io, `Grafana at ${client.displayUrl} ${how}: ${e.message}.${nothingWritten()}`, e);
    }
    const how = "token" in auth ? "GRAFANA_TOKEN" : "GRAFANA_USER/GRAFANA_PASSWORD";
    const probePath = "/api/folders?limit=1";
    try {
      const probe = await client.request("GET", probePath, { schema: RESPONSES.folderList });
      if (probe.status === 401) return fail(EXIT.io, `Grafana rejected the credentials (401): check ${how}.${nothingWritten()}`);
      if (probe.status === 403) {
        return fail(EXIT.io, `the credentials in ${how} are not allowed to read folders (403): the push needs an Editor or Admin service account.${nothingWritten()}`);
      }
      if (probe.status < 200 || probe.status >= 300) return fail(EXIT.io, `GET ${probePath} answered ${probe.status}.${nothingWritten()}`);
    } catch (e) {
      if (!isFatal(e)) throw e;
      return fail(EXIT.io, `${e.message}.${nothingWritten()}`, e);
    }

    const commit = gitCommit(ctx.cwd ?? process.cwd());
    const kinds = args.only ?? new Set<Kind>(["folders", "datasources", "dashboards", "rule-groups", "contact-points", "policies", "teams", "folder-permissions"]);
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
      if (isFatal(e)) return fail(EXIT.io, `${e.message}.${nothingWritten()}`, e);
      throw e;
    }
    if (progress) ctx.stderr.write("\r\x1b[2K");
    // Folder permissions and teams after the folders they apply to (src/push/access.ts).
    if (access && kinds.has("folder-permissions") && !result.aborted) {
      try {
        result.items.push(...(await pushAccess({ client, access, dryRun: args.dryRun })));
      } catch (e) {
        if (isFatal(e)) result.aborted = e.message;
        else throw e;
      }
    }
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
    if (report.aborted) return EXIT.io;
    return isOk(report) ? 0 : EXIT.invalid;
  } finally {
    client.close();
  }
}

/** The default --deadline, in multiples of --timeout. */
const DEADLINE_PER_TIMEOUT = 20;
