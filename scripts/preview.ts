// npm run preview [-- --dashboard UID] [--from now-6h] [--prometheus-url URL] [--loki-url URL] [--tempo-url URL] [--var name=value] [--serve]
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { CATALOG } from "../catalog/index.js";
import { loadConfig } from "../config/index.js";
import { parseCommandLine, usageError } from "../src/cli/args.js";
import { runCommand } from "../src/cli/report.mjs";
import { EXIT, UserError } from "../src/errors.js";
import { REPO_ROOT } from "../src/pipeline/collect.js";
import { runBuild } from "../src/commands/build.js";
import { startWatch } from "../src/commands/watch.js";
import { REPO_CONTENT } from "./content.js";
import { writeTree } from "../src/pipeline/write.js";
import type { DashboardJson } from "../src/preview/model.js";
import { previewFiles } from "../src/preview/files.js";
import { openSession, type PreviewSession, type PreviewSource } from "../src/preview/session.js";
import { startPngPool } from "../src/preview/pngPool.js";
import { serve } from "../src/preview/serve.js";

const HELP = `Usage: npm run preview -- [options]

Renders every dashboard with data, as Grafana would draw it, to out/preview/ (git-ignored):
<uid>.png and <uid>.svg (the whole dashboard), <uid>/panel-<id>.svg, <uid>.html (one image per
panel) and index.html (all dashboards). Without --prometheus-url the data comes from a local
Prometheus (the prometheus and promtool binaries) loaded with series generated from the metric
catalog over a fixed window, so two runs write the same bytes; it is stopped before the command ends.

Options:
  --dashboard <uid>       only this dashboard (repeatable)
  --dashboards <dir>      where the definitions are (default dashboards/)
  --from <now-…>          window start, e.g. now-6h (default: each dashboard's own time range)
  --prometheus-url <url>  query this Prometheus instead (read-only range and instant queries); basic
                          auth or a token as the prometheus datasource of --env is configured, the
                          secret read from the environment variable the config names
  --loki-url <url>        run logs panels' LogQL on this Loki (GET /loki/api/v1/query_range, newest
                          lines first) and draw the lines; auth as the loki datasource of --env
  --tempo-url <url>       run traces panels' TraceQL searches on this Tempo (GET /api/search) and
                          draw the traces as a table; auth as the tempo datasource of --env
                          (without these two, logs and traces panels are placeholders with their query)
  --var <name=value>      a dashboard variable's value (repeatable; default: its saved value)
  --seed <n>              another seed for the generated data (default 0)
  --env <name>            environment whose config and datasources to use (default dev)
  --out <dir>             output directory (default out/preview)
  --no-png                skip the PNGs
  --serve                 serve the previews on 127.0.0.1 and re-render a dashboard when its source changes
  --port <n>              port for --serve (default 3333)
  --debug                 print the stack trace of a failure
  -h, --help              show this help`;

async function main(): Promise<number> {
  const args = parseCommandLine(
    {
      options: {
        dashboard: { type: "string", multiple: true },
        dashboards: { type: "string" },
        from: { type: "string" },
        "prometheus-url": { type: "string" },
        "loki-url": { type: "string" },
        "tempo-url": { type: "string" },
        var: { type: "string", multiple: true },
        seed: { type: "string" },
        env: { type: "string", default: "dev" },
        out: { type: "string" },
        "no-png": { type: "boolean", default: false },
        serve: { type: "boolean", default: false },
        port: { type: "string" },
        debug: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    },
    HELP,
  );
  if (typeof args === "number") return args;
  const vars: Record<string, string> = {};
  for (const v of args.var ?? []) {
    const eq = v.indexOf("=");
    if (eq <= 0) return usageError(`--var ${JSON.stringify(v)}: expected name=value`, HELP);
    vars[v.slice(0, eq)] = v.slice(eq + 1);
  }
  const seed = args.seed === undefined ? 0 : Number(args.seed);
  if (!Number.isInteger(seed) || seed < 0) return usageError(`--seed ${JSON.stringify(args.seed)}: expected a whole number >= 0`, HELP);
  const port = args.port === undefined ? 3333 : Number(args.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return usageError(`--port ${JSON.stringify(args.port)}: expected 1-65535`, HELP);
  if (args.port !== undefined && !args.serve) return usageError("--port needs --serve", HELP);

  const config = loadConfig(args.env);
  const dashboardsDir = args.dashboards === undefined ? undefined : resolve(args.dashboards);
  if (dashboardsDir !== undefined && !existsSync(dashboardsDir)) return usageError(`--dashboards ${args.dashboards}: no such directory`, HELP);
  const out = resolve(args.out ?? resolve(REPO_ROOT, "out/preview"));
  const prom = config.datasources.prometheus;
  const source: PreviewSource = args["prometheus-url"]
    ? {
        kind: "live",
        url: args["prometheus-url"],
        auth: { user: prom.basicAuth?.user, passwordEnv: prom.basicAuth?.passwordEnv, tokenEnv: prom.tokenEnv },
        scrapeSeconds: 15,
      }
    : { kind: "synthetic", metrics: CATALOG, targets: Object.fromEntries(Object.entries(config.prometheus.scrapeJobs).map(([job, j]) => [job, j.targets])), seed };

  const authOf = (ds: { basicAuth?: { user: string; passwordEnv: string }; tokenEnv?: string } | undefined) => ({ user: ds?.basicAuth?.user, passwordEnv: ds?.basicAuth?.passwordEnv, tokenEnv: ds?.tokenEnv });
  const loki = args["loki-url"] ? { url: args["loki-url"], auth: authOf(config.datasources.loki) } : undefined;
  const tempo = args["tempo-url"] ? { url: args["tempo-url"], auth: authOf(config.datasources.tempo) } : undefined;

  const load = async (): Promise<DashboardJson[]> => {
    const build = await runBuild({ content: REPO_CONTENT, write: false, config, env: args.env, lint: false, dashboardsDir, cache: {} });
    const all = build.dashboards.map((d) => d.json as unknown as DashboardJson);
    if (!args.dashboard?.length) return all;
    const missing = args.dashboard.filter((uid) => !all.some((d) => d.uid === uid));
    if (missing.length) throw new UserError(`--dashboard ${missing.join(", ")}: no such dashboard (known: ${all.map((d) => d.uid).join(", ")})`, EXIT.usage);
    return all.filter((d) => args.dashboard!.includes(d.uid));
  };

  if (args.serve) {
    const contentModule = new URL("./content.ts", import.meta.url).href;
    return serve({ startWatch: (o) => startWatch({ ...o, contentModule }), env: args.env, dashboardsDir, dashboards: args.dashboard, source, from: args.from, vars, loki, tempo, port, png: !args["no-png"] });
  }

  const started = performance.now();
  const dashboards = await load();
  // PNGs are made on worker threads while the next dashboards are queried and drawn.
  const pool = args["no-png"] ? undefined : startPngPool();
  let session: PreviewSession | undefined;
  try {
    session = await openSession(dashboards, { source, from: args.from, vars, loki, tempo });
    const pngs = new Map<string, Promise<Buffer>>();
    const rendered = await Promise.all(
      dashboards.map(async (d) => {
        const r = await session!.render(d);
        const png = pool?.render(r.svg);
        png?.catch(() => undefined); // awaited below; not unhandled if another dashboard fails first
        if (png) pngs.set(r.uid, png);
        return r;
      }),
    );
    const made = new Map(await Promise.all([...pngs].map(async ([uid, png]) => [uid, await png] as const)));
    const w = await writeTree(out, previewFiles(rendered, { png: !args["no-png"], pngs: made }));
    const errors = rendered.flatMap((d) => d.panels.flatMap((p) => p.errors.map((e) => `${d.uid} › ${e}`)));
    for (const e of errors) console.error(`warning[query] ${e}`);
    const panels = rendered.reduce((n, d) => n + d.panels.length, 0);
    console.log(`previewed ${rendered.length} dashboards (${panels} panels) into ${out} in ${Math.round(performance.now() - started)} ms; ${w.changed.length} files changed; open ${resolve(out, "index.html")}`);
    return 0;
  } finally {
    await pool?.close();
    await session?.close();
  }
}

// Ctrl-C and kill: exit through process.exit so the local Prometheus is stopped by its exit hook.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(signal === "SIGINT" ? 130 : 143));

await runCommand(main);
