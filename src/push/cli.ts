// `npm run push`: pushes the build to a running Grafana over its HTTP API.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import type { Env } from "../emit/grafanaEnv.js";
import { MissingEnvError } from "../emit/grafanaEnv.js";
import { BuildError, EXIT, UserError, type ExitCode } from "../errors.js";
import { isFatal, push } from "./scheduler.js";
import { GrafanaClient, type Auth, type ClientOptions } from "./http.js";
import { LoadError, parseBuild, readBuildDir } from "./load.js";
import { RESPONSES, ResponseError, snippet } from "./responses.js";
import { isOk, makeRedactor, renderJson, renderText, type Report } from "./report.js";
import type { BuildFile, DesiredState, Kind } from "./types.js";
import { pushTargets } from "./multi.js";
import { OptionError } from "../cli/args.js";
import { parsePushArgs, USAGE, type Args } from "./options.js";

export { USAGE } from "./options.js";

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
  /** The part of the build this push sends (a target's folders); default all of it. */
  select?: (d: DesiredState) => DesiredState;
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
    args = parsePushArgs(ctx.argv);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    err(`push: ${e.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    out(USAGE);
    return 0;
  }
  if (args.targets) return pushTargets(ctx, resolve(ctx.cwd ?? process.cwd(), args.targets), args.parallel, run);
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
    if (ctx.select) desired = ctx.select(desired);
  } catch (e) {
    if (e instanceof MissingEnvError) return fail(EXIT.usage, e.message, e);
    if (e instanceof LoadError) return fail(e.exitCode, e.message, e);
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
