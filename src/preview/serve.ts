// `npm run preview -- --serve`: the previews on http://127.0.0.1:<port>/, kept current. The build's
// watcher (src/pipeline/watch.ts) rebuilds into a temporary tree on every save; each dashboard whose
// JSON changed is re-rendered and its open page reloads. A failed build or query is shown on the
// pages, named, and the last good render stays.
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTree } from "../tree/read.js";
import { EXIT, UserError } from "../errors.js";
import { dashboardFiles } from "./files.js";
import { indexPage } from "./html.js";
import type { DashboardJson } from "./model.js";
import type { RenderedDashboard } from "./dashboard.js";
import { openSession, type PreviewSession, type SessionOptions } from "./session.js";

/** The build's watcher (src/commands/watch.ts startWatch), passed in by the entry point: a tool never imports a command. */
export interface Watcher {
  close(): void;
  idle(): Promise<void>;
}
export type StartWatch = (opts: { env?: string; out: string; dashboardsDir?: string; allowEmpty?: boolean; log: (line: string) => void }) => Promise<Watcher>;

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
}

// Polls the version and reloads when it moves: a page is current within half a second of a render.
const RELOAD = `<script>(()=>{let v=null;setInterval(async()=>{try{const r=await fetch("/__version");const t=await r.text();if(v!==null&&t!==v)location.reload();v=t}catch{}},500)})()</script>`;

export async function startPreviewServer(opts: ServeOptions): Promise<PreviewServer> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const tree = mkdtempSync(join(tmpdir(), "preview-serve-"));
  const entries = new Map<string, Entry>();
  let buildError: string | undefined;
  let version = 0;
  let session: PreviewSession | undefined;
  let work: Promise<void> = Promise.resolve();

  const readDashboards = (): { uid: string; text: string; json: DashboardJson }[] =>
    readTree(join(tree, "grafana/provisioning/dashboards"))
      .filter((f) => f.path.endsWith(".json"))
      .map((f) => ({ text: f.content, json: JSON.parse(f.content) as DashboardJson }))
      .map((d) => ({ ...d, uid: d.json.uid }))
      .filter((d) => !opts.dashboards?.length || opts.dashboards.includes(d.uid))
      .sort((a, b) => a.uid.localeCompare(b.uid));

  const refresh = async () => {
    const current = readDashboards();
    for (const uid of [...entries.keys()]) if (!current.some((d) => d.uid === uid)) entries.delete(uid);
    for (const d of current) {
      if (entries.get(d.uid)?.json === d.text) continue;
      const started = performance.now();
      try {
        const rendered = await session!.render(d.json);
        const files = new Map(dashboardFiles(rendered, { png: opts.png, pageExtra: RELOAD }).map((f) => [f.path, f.content]));
        entries.set(d.uid, { json: d.text, rendered, files });
        log(`rendered ${d.uid} in ${Math.round(performance.now() - started)} ms`);
      } catch (e) {
        buildError = `dashboard "${d.uid}" could not be rendered: ${(e as Error).message}`;
        log(buildError);
      }
    }
    version++;
  };

  let watcher: Watcher;
  const onLog = (line: string) => {
    log(line);
    if (/build failed in \d+ ms/.test(line)) {
      buildError = line;
      version++;
    } else if (/^rebuilt in \d+ ms/.test(line)) {
      buildError = undefined;
      work = work.then(refresh);
    }
  };
  try {
    watcher = await opts.startWatch({ env: opts.env, out: tree, dashboardsDir: opts.dashboardsDir, allowEmpty: true, log: onLog });
    const first = readDashboards();
    if (opts.dashboards?.length) {
      const missing = opts.dashboards.filter((u) => !first.some((d) => d.uid === u));
      if (missing.length) throw new UserError(`--dashboard ${missing.join(", ")}: no such dashboard`, EXIT.usage);
    }
    session = await openSession(first.map((d) => d.json), opts);
    await refresh();
  } catch (e) {
    await session?.close();
    rmSync(tree, { recursive: true, force: true });
    throw e;
  }

  const page = (path: string): { type: string; body: string | Uint8Array } | undefined => {
    const errorBox = buildError ? `<div class="errors" id="build-error">${escapeHtml(buildError)}</div>` : "";
    if (path === "/" || path === "/index.html") {
      return { type: "text/html; charset=utf-8", body: indexPage([...entries.values()].map((e) => e.rendered), errorBox + RELOAD) };
    }
    if (path === "/__version") return { type: "text/plain", body: String(version) };
    const rel = decodeURIComponent(path.slice(1));
    for (const e of entries.values()) {
      const body = e.files.get(rel);
      if (body === undefined) continue;
      const html = rel.endsWith(".html") && typeof body === "string" ? body.replace("<body>", `<body>${errorBox}`) : body;
      return { type: rel.endsWith(".html") ? "text/html; charset=utf-8" : rel.endsWith(".png") ? "image/png" : "image/svg+xml", body: html };
    }
    return undefined;
  };

  const server: Server = createServer((req, res) => {
    const found = req.method === "GET" ? page(new URL(req.url ?? "/", "http://127.0.0.1").pathname) : undefined;
    res.writeHead(found ? 200 : 404, { "content-type": found?.type ?? "text/plain", "cache-control": "no-store" });
    res.end(found?.body ?? "not found");
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => reject(new UserError(`cannot listen on 127.0.0.1:${opts.port}: ${e.code ?? e.message}`, EXIT.io)));
    server.listen(opts.port, "127.0.0.1", resolveListen);
  }).catch(async (e) => {
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
      await work;
    },
    closeSync: () => {
      watcher.close();
      rmSync(tree, { recursive: true, force: true });
    },
    close: async () => {
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
