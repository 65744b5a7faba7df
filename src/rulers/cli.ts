// `npm run push -- --rulers` (or `npm run rules:sync`): syncs the build's rule groups to the rulers
// of an environment: Prometheus-format rule files to Mimir/Cortex, log rules to Loki. The
// environment's ruler targets come from the config, passed in by the entry point.
import { resolve } from "node:path";
import { OptionError, parseOptions } from "../cli/args.js";
import { EXIT, UserError } from "../errors.js";
import { HttpClient, type Auth } from "../http/client.js";
import { makeRedactor } from "../http/redact.js";
import { renderRulerReport, type RulerReport } from "./report.js";
import { desiredGroups, type RulerKind } from "./source.js";
import { syncRuler } from "./sync.js";

export interface RulerTargetConfig {
  url: string;
  tenant?: string;
  basicAuth?: { user: string; passwordEnv: string };
  tokenEnv?: string;
  namespaces: "per-file" | "per-stack" | "single";
  namespacePrefix: string;
  stacks?: Record<string, string[]>;
}

export interface RulersCliContext {
  argv: string[];
  env: Record<string, string | undefined>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd?: string;
  /** The rulers of an environment (config `rulers`); the entry point loads the config. */
  rulersFor: (env: string) => Partial<Record<RulerKind, RulerTargetConfig>>;
  client?: Partial<ConstructorParameters<typeof HttpClient>[0]>;
}

export const API: Record<RulerKind, string> = { mimir: "/prometheus/config/v1/rules", loki: "/loki/api/v1/rules" };

export const RULERS_USAGE = `Usage: npm run push -- --rulers [options]   (or npm run rules:sync -- [options])

Syncs the build's rule groups to the rulers the environment's config names (config \`rulers\`):
prometheus/rules/*.yaml to the Mimir/Cortex ruler (${API.mimir}), loki/rules/<tenant>/*.yaml
to the Loki ruler (${API.loki}), with the tenant in X-Scope-OrgID. Groups that are already
there as built are not written, so a second sync writes nothing.

Options:
  --env <name>             whose rulers (default dev, which has none)
  --dir <path>             the build tree to read (default build)
  --only mimir|loki        one ruler
  --dry-run                read only: print the groups that would change, with a diff each
  --prune                  also delete groups the build no longer has, in namespaces this
                           project owns (<namespacePrefix> and <namespacePrefix>-*) only
  --concurrency <n>        requests in flight per ruler and tenant (default 4)
  --timeout <seconds>      longest one request may take (default 30)
  --retries <n>            retries for 5xx, 429, resets and timeouts (default 5)
  --format text|json       output format (default text)
  --insecure               do not verify the rulers' TLS certificates
  --debug                  stack traces
  --help                   this text

Credentials: the variables the config names (basicAuth.passwordEnv or tokenEnv).
Exit status: 0 done; 1 a group refused (each listed) or a bad rule file; 2 usage or settings;
3 a ruler unreachable, out of time, rejecting the credentials or not answering as a ruler.
`;

const OPTIONS = {
  env: { type: "string" },
  dir: { type: "string" },
  only: { type: "string" },
  "dry-run": { type: "boolean" },
  prune: { type: "boolean" },
  concurrency: { type: "string" },
  timeout: { type: "string" },
  retries: { type: "string" },
  insecure: { type: "boolean" },
  format: { type: "string" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function count(flag: string, v: string | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new OptionError(`${flag} must be an integer ≥ ${min}, got "${v}"`);
  return n;
}

export async function rulersMain(ctx: RulersCliContext): Promise<number> {
  const secrets: (string | undefined)[] = [];
  const redact = (s: string) => makeRedactor(secrets)(s);
  const err = (s: string) => ctx.stderr.write(redact(s));
  let v: ReturnType<typeof parseOptions<typeof OPTIONS>>;
  let kinds: RulerKind[];
  let timeoutMs: number;
  let retries: number;
  let concurrency: number;
  try {
    v = parseOptions(OPTIONS, ctx.argv.filter((a) => a !== "--" && a !== "--rulers"));
    kinds = (v.only ?? "mimir,loki").split(",").map((s) => s.trim()).filter(Boolean) as RulerKind[];
    for (const k of kinds) if (k !== "mimir" && k !== "loki") throw new OptionError(`--only: unknown ruler "${k}" (mimir or loki)`);
    const t = v.timeout === undefined ? 30 : Number(v.timeout);
    if (!(t > 0) || t > 86_400) throw new OptionError(`--timeout must be a number of seconds above 0 and at most 86400, got "${v.timeout}"`);
    timeoutMs = Math.round(t * 1000);
    retries = count("--retries", v.retries, 5, 0);
    concurrency = count("--concurrency", v.concurrency, 4, 1);
    if (v.format !== undefined && v.format !== "text" && v.format !== "json") throw new OptionError(`--format must be text or json, got "${v.format}"`);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    err(`rules: ${e.message}\n\n${RULERS_USAGE}`);
    return EXIT.usage;
  }
  if (v.help) {
    ctx.stdout.write(RULERS_USAGE);
    return 0;
  }
  const fail = (code: number, message: string) => {
    err(`rules: ${message}\n`);
    return code;
  };
  const envName = v.env ?? "dev";
  let targets: Partial<Record<RulerKind, RulerTargetConfig>>;
  try {
    targets = ctx.rulersFor(envName);
  } catch (e) {
    if (e instanceof UserError) return fail(e.exitCode, e.message);
    throw e;
  }
  const root = resolve(ctx.cwd ?? process.cwd(), v.dir ?? "build");
  const reports: RulerReport[] = [];
  const runs: Promise<void>[] = [];
  for (const kind of kinds) {
    const t = targets[kind];
    if (!t) {
      reports.push({ kind, url: "", note: `no ${kind} ruler in the ${envName} configuration (config rulers.${kind})`, groups: [] });
      continue;
    }
    let auth: Auth = { none: true };
    if (t.tokenEnv) {
      const token = ctx.env[t.tokenEnv];
      if (!token) return fail(EXIT.usage, `${t.tokenEnv} is not set (rulers.${kind}.tokenEnv)`);
      auth = { token };
      secrets.push(token);
    } else if (t.basicAuth) {
      const password = ctx.env[t.basicAuth.passwordEnv];
      if (password === undefined) return fail(EXIT.usage, `${t.basicAuth.passwordEnv} is not set (rulers.${kind}.basicAuth.passwordEnv)`);
      auth = { user: t.basicAuth.user, password };
      secrets.push(password, Buffer.from(`${t.basicAuth.user}:${password}`).toString("base64"));
    }
    let desired;
    try {
      desired = desiredGroups(root, kind, t, t.tenant);
    } catch (e) {
      if (e instanceof UserError) return fail(e.exitCode, e.message);
      throw e;
    }
    // Loki: one tenant per folder; Mimir: the configured tenant.
    const tenants = kind === "loki" ? [...new Set(desired.map((d) => d.tenant))] : [t.tenant];
    if (tenants.length === 0) reports.push({ kind, url: t.url, note: "no rule files in the build", groups: [] });
    for (const tenant of tenants) {
      const client = new HttpClient({
        url: t.url,
        auth,
        format: "yaml",
        serverName: `the ${kind} ruler`,
        headers: tenant ? { "X-Scope-OrgID": tenant } : undefined,
        insecure: v.insecure === true,
        timeoutMs,
        deadlineMs: timeoutMs * 20,
        retries,
        concurrency,
        ...ctx.client,
      });
      const report: RulerReport = { kind, url: client.displayUrl, tenant, groups: [] };
      reports.push(report);
      runs.push(
        syncRuler({
          client,
          api: API[kind],
          tenant,
          desired: desired.filter((d) => d.tenant === tenant),
          policy: t,
          prune: v.prune === true,
          dryRun: v["dry-run"] === true,
        })
          .then((r) => void Object.assign(report, r))
          .finally(() => client.close()),
      );
    }
  }
  await Promise.all(runs);
  const code = reports.some((r) => r.aborted) ? EXIT.io : reports.some((r) => r.groups.some((g) => g.status === "failed")) ? EXIT.invalid : 0;
  const text = v.format === "json" ? `${JSON.stringify({ ok: code === 0, exitCode: code, dryRun: v["dry-run"] === true, rulers: reports }, null, 2)}\n` : renderRulerReport(reports, v["dry-run"] === true);
  ctx.stdout.write(redact(text));
  return code;
}
