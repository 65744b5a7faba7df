// `npm run push -- --targets targets.yaml`: the same push to several Grafanas at once (at most
// --parallel at a time), each with its own credentials, folders and environment, each reported on
// its own. One target failing (down, refusing the credentials, refusing an object) does not stop
// the others; the run then exits 1 and names every failed target.
import type { Env } from "../emit/grafanaEnv.js";
import { EXIT, UserError } from "../errors.js";
import { makeRedactor } from "../http/redact.js";
import type { BuildFile } from "./types.js";
import { loadTargets, selectFolders, type Target } from "./targets.js";
import type { CliContext } from "./cli.js";

type RunOne = (ctx: CliContext) => Promise<number>;

/** argv without the options that belong to the whole run. */
function perTargetArgv(argv: string[], t: Target): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--targets" || a === "--parallel") {
      i++;
      continue;
    }
    if (a.startsWith("--targets=") || a.startsWith("--parallel=")) continue;
    // A target's environment replaces --env / --dir.
    if (t.env && (a === "--env" || a === "--dir")) {
      i++;
      continue;
    }
    if (t.env && (a.startsWith("--env=") || a.startsWith("--dir="))) continue;
    out.push(a);
  }
  return t.env ? [...out, "--env", t.env] : out;
}

/** The target's environment: its credentials under the names the push reads, no one else's. */
function targetEnv(env: Env, t: Target): Env | string {
  const out: Env = { ...env, GRAFANA_URL: t.url, GRAFANA_TOKEN: undefined, GRAFANA_USER: undefined, GRAFANA_PASSWORD: undefined, GRAFANA_ORG_ID: undefined };
  if (t.orgId) out.GRAFANA_ORG_ID = String(t.orgId);
  if (t.tokenEnv) {
    if (!env[t.tokenEnv]) return `${t.tokenEnv} is not set`;
    out.GRAFANA_TOKEN = env[t.tokenEnv];
  } else if (t.basicAuth) {
    if (env[t.basicAuth.passwordEnv] === undefined) return `${t.basicAuth.passwordEnv} is not set`;
    out.GRAFANA_USER = t.basicAuth.user;
    out.GRAFANA_PASSWORD = env[t.basicAuth.passwordEnv];
  }
  return out;
}

export async function pushTargets(ctx: CliContext, path: string, parallel: number, runOne: RunOne): Promise<number> {
  let targets: Target[];
  try {
    targets = loadTargets(path);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    ctx.stderr.write(`push: ${e.message}\n`);
    return e.exitCode;
  }
  // Every credential of every target is masked in every target's output.
  const redact = makeRedactor(targets.flatMap((t) => [t.tokenEnv && ctx.env[t.tokenEnv], t.basicAuth && ctx.env[t.basicAuth.passwordEnv]]));
  // One in-memory build per environment, shared by the targets that ask for it.
  const builds = new Map<string, Promise<BuildFile[]>>();
  const buildForEnv = ctx.buildForEnv && ((env: string) => {
    if (!builds.has(env)) builds.set(env, ctx.buildForEnv!(env));
    return builds.get(env)!;
  });
  const results: { t: Target; code: number; out: string; err: string }[] = targets.map((t) => ({ t, code: 0, out: "", err: "" }));
  let next = 0;
  const worker = async () => {
    while (next < results.length) {
      const r = results[next++];
      const env = targetEnv(ctx.env, r.t);
      if (typeof env === "string") {
        r.code = EXIT.usage;
        r.err = `push: ${env} (targets[${targets.indexOf(r.t)}].${r.t.tokenEnv ? "tokenEnv" : "basicAuth.passwordEnv"})\n`;
        continue;
      }
      r.code = await runOne({
        ...ctx,
        argv: perTargetArgv(ctx.argv, r.t),
        env,
        stdout: { write: (s: string) => (r.out += s) },
        stderr: { write: (s: string) => (r.err += s) },
        buildForEnv,
        select: (d) => selectFolders(d, r.t.folders),
      }).catch((e: unknown) => {
        r.err += `push: unexpected failure: ${(e as Error)?.message ?? String(e)}\n`;
        return EXIT.invalid;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, results.length) }, worker));

  for (const r of results) {
    ctx.stdout.write(redact(`== target ${r.t.name} (${r.t.url}${r.t.orgId ? `, org ${r.t.orgId}` : ""}): ${r.code === 0 ? "ok" : `failed, exit ${r.code}`}\n`));
    if (r.out) ctx.stdout.write(redact(r.out));
    if (r.err) ctx.stdout.write(redact(r.err));
  }
  const failed = results.filter((r) => r.code !== 0);
  if (failed.length === 0) {
    ctx.stdout.write(`targets: all ${results.length} done\n`);
    return 0;
  }
  ctx.stderr.write(
    redact(`push: ${failed.length} of ${results.length} targets failed: ${failed.map((r) => `${r.t.name} (exit ${r.code}: ${firstLine(r.err || r.out)})`).join("; ")}\n`),
  );
  return EXIT.invalid;
}

function firstLine(s: string): string {
  return (s.split("\n").find((l) => l.trim()) ?? "").replace(/^push: /, "").slice(0, 300);
}
