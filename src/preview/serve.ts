// `npm run preview -- --serve`: the previews on http://127.0.0.1:<port>/, kept current. The build's
// watcher (src/commands/watch.ts, passed in) rebuilds into a temporary tree on every save; this
// server follows that tree itself (./treeWatch.ts: folder watchers, content hash, a timer) rather
// than the watcher's log, re-renders each dashboard whose JSON changed, and open pages reload. A
// failed build or query is shown on the pages, named, and the last good render stays.
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT, UserError } from "../errors.js";
import { dashboardFiles } from "./files.js";
import { indexPage } from "./html.js";
import type { DashboardJson } from "./model.js";
import type { RenderedDashboard } from "./dashboard.js";
import { openSession, type PreviewSession, type SessionOptions } from "./session.js";
import { readJsonFiles, watchTree, type TreeFileText, type TreeWatcher } from "./treeWatch.js";

/** The build's watcher (src/commands/watch.ts startWatch), passed in by the entry point: a tool never imports a command. */
export interface Watcher {
  close(): void;
  idle(): Promise<void>;
}
export type StartWatch = (opts: {
  env?: string;
  out: string;
  dashboardsDir?: string;
  allowEmpty?: boolean;
  log: (line: string) => void;
}) => Promise<Watcher>;

export interface ServeOptions extends SessionOptions {
  startWatch: StartWatch;
  env?: string;
  /** Where definitions are (default dashboards/). */
  dashboardsDir?: string;
  /** Only these dashboard uids (all when empty). */
  dashboards?: string[];
  port: number;
  png?: boolean;
  log?: (line: string) => void;
}

export interface PreviewServer {
  url: string;
  /** Resolves when no re-render is under way. */
  idle(): Promise<void>;
  close(): Promise<void>;
  /** What can be done synchronously at process exit: stop watching, remove the temporary tree. */
  closeSync(): void;
}

interface Entry {
  json: string;
  rendered: RenderedDashboard;
  files: Map<string, string | Uint8Array>;
  /** Not in the latest tree (removed, renamed, or a save caught half-written): its last render is still served, marked. */
  gone?: boolean;
}

// Polls the version and reloads when it differs from the one the page was served at (given, not
// fetched: a render that lands before the first poll still reloads the page).
const reloadScript = (version: number) =>
  `<script>(()=>{const v=${JSON.stringify(String(version))};setInterval(async()=>{try{const r=await fetch("/__version");if((await r.text())!==v)location.reload()}catch{}},500)})()</script>`;

export async function startPreviewServer(opts: ServeOptions): Promise<PreviewServer> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const tree = mkdtempSync(join(tmpdir(), "preview-serve-"));
  const entries = new Map<string, Entry>();
  let buildError: string | undefined;
  let version = 0;
  let session: PreviewSession | undefined;
  const dashboardsDir = join(tree, "grafana/provisioning/dashboards");
  /** Per dashboard file that is not a dashboard: why (a half-written or foreign file never stops the others). */
  let unreadable: string[] = [];

  const parse = (files: TreeFileText[]) => {
    const out: { uid: string; text: string; json: DashboardJson }[] = [];
    unreadable = [];
    for (const f of files) {
      try {
        const json = JSON.parse(f.text) as DashboardJson;
        if (!json || typeof json !== "object" || typeof json.uid !== "string") throw new Error("no uid");
        if (!opts.dashboards?.length || opts.dashboards.includes(json.uid))
          out.push({ uid: json.uid, text: f.text, json });
      } catch (e) {
        unreadable.push(`${f.path}: not a dashboard (${(e as Error).message})`);
      }
    }
    return out.sort((a, b) => a.uid.localeCompare(b.uid));
  };

  /** Re-renders the dashboards whose JSON changed; called by the tree watcher, one call at a time. */
  const refresh = async (files: TreeFileText[]) => {
    const current = parse(files);
    for (const [uid, e] of entries) e.gone = !current.some((d) => d.uid === uid);
    for (const d of current) {
      if (entries.get(d.uid)?.json === d.text) continue;
      const started = performance.now();
      try {
        const rendered = await session!.render(d.json);
        const files = new Map(dashboardFiles(rendered, { png: opts.png }).map((f) => [f.path, f.content]));
        entries.set(d.uid, { json: d.text, rendered, files });
        if (buildError?.startsWith(`dashboard "${d.uid}" could not be rendered`)) buildError = undefined;
        log(`rendered ${d.uid} in ${Math.round(performance.now() - started)} ms`);
      } catch (e) {
        buildError = `dashboard "${d.uid}" could not be rendered: ${(e as Error).message}`;
        log(buildError);
      }
    }
    version++;
  };

  let watcher: Watcher;
  let follow: TreeWatcher | undefined;
  const onLog = (line: string) => {
    log(line);
    if (/build failed in \d+ ms/.test(line)) {
      buildError = line;
      version++;
    } else if (/^rebuilt in \d+ ms/.test(line) && buildError !== undefined) {
      // Fixed, perhaps without any output change: the error goes once the new tree is rendered (the
      // last good render stays on the page until then).
      const fixed = buildError;
      void follow?.settled().then(() => {
        if (buildError !== fixed) return; // failed again meanwhile: that error stays
        buildError = undefined;
        version++;
      });
    }
  };
  try {
    watcher = await opts.startWatch({
      env: opts.env,
      out: tree,
      dashboardsDir: opts.dashboardsDir,
      allowEmpty: true,
      log: onLog,
    });
    const first = parse(readJsonFiles(dashboardsDir));
    if (opts.dashboards?.length) {
      const missing = opts.dashboards.filter((u) => !first.some((d) => d.uid === u));
      if (missing.length) throw new UserError(`--dashboard ${missing.join(", ")}: no such dashboard`, EXIT.usage);
    }
    session = await openSession(
      first.map((d) => d.json),
      opts,
    );
    follow = watchTree(dashboardsDir, refresh, { onError: (e) => log(`preview: ${(e as Error).message}`) });
    await follow.settled();
  } catch (e) {
    follow?.close();
    await session?.close();
    rmSync(tree, { recursive: true, force: true });
    throw e;
  }

  const page = (path: string): { type: string; body: string | Uint8Array } | undefined => {
    const problems = [...(buildError ? [buildError] : []), ...unreadable];
    const errorBox = problems.length
      ? `<div class="errors" id="build-error">${escapeHtml(problems.join("\n"))}</div>`
      : "";
    const reload = reloadScript(version);
    if (path === "/" || path === "/index.html") {
      return {
        type: "text/html; charset=utf-8",
        body: indexPage(
          [...entries.values()].filter((e) => !e.gone).map((e) => e.rendered),
          errorBox + reload,
        ),
      };
    }
    if (path === "/__version") return { type: "text/plain", body: String(version) };
    const rel = decodeURIComponent(path.slice(1));
    for (const e of entries.values()) {
      const body = e.files.get(rel);
      if (body === undefined) continue;
      const gone = e.gone
        ? `<div class="errors" id="gone">dashboard "${escapeHtml(e.rendered.uid)}" is not in the latest build (removed or renamed); this is its last render</div>`
        : "";
      const html =
        rel.endsWith(".html") && typeof body === "string"
          ? body.replace("<body>", `<body>${errorBox}${gone}`).replace("</body>", `${reload}</body>`)
          : body;
      return {
        type: rel.endsWith(".html") ? "text/html; charset=utf-8" : rel.endsWith(".png") ? "image/png" : "image/svg+xml",
        body: html,
      };
    }
    return undefined;
  };

  const server: Server = createServer((req, res) => {
    const found = req.method === "GET" ? page(new URL(req.url ?? "/", "http://127.0.0.1").pathname) : undefined;
    res.writeHead(found ? 200 : 404, { "content-type": found?.type ?? "text/plain", "cache-control": "no-store" });
    res.end(found?.body ?? "not found");
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(new UserError(`cannot listen on 127.0.0.1:${opts.port}: ${e.code ?? e.message}`, EXIT.io)),
    );
    server.listen(opts.port, "127.0.0.1", resolveListen);
  }).catch(async (e) => {
    follow?.close();
    watcher.close();
    await session?.close();
    rmSync(tree, { recursive: true, force: true });
    throw e;
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : opts.port}/`;
  return {
    url,
    idle: async () => {
      await watcher.idle();
      await follow?.settled();
    },
    closeSync: () => {
      follow?.close();
      watcher.close();
      rmSync(tree, { recursive: true, force: true });
    },
    close: async () => {
      follow?.close();
      watcher.close();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await session?.close();
      rmSync(tree, { recursive: true, force: true });
    },
  };
}

/** Runs until Ctrl-C (the command's signal handler exits; the exit hooks stop Prometheus). */
export async function serve(opts: ServeOptions): Promise<number> {
  const s = await startPreviewServer(opts);
  // Ctrl-C exits through process.exit: Prometheus is stopped by its own exit hook, this removes the tree.
  process.once("exit", () => s.closeSync());
  (opts.log ?? console.log)(`serving previews on ${s.url} (Ctrl-C to stop)`);
  await new Promise(() => undefined);
  return 0;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
