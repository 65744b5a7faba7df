// `npm run diff`: build both sides, compare, draw the changed dashboards, render.
import { mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { compareTrees } from "./compare.js";
import { loadTree, type Tree } from "./load.js";
import type { DashboardChange, DiffReport, Side } from "./model.js";
import { layoutSvg, svgToPng } from "./picture.js";
import { sideLabel, type ImageLinks, type Inline } from "./render/doc.js";
import { buildSide, removeDir, repoRoot, resolveCommit, scratchDir } from "./sources.js";

export { compareTrees } from "./compare.js";
export { loadTree } from "./load.js";
export { renderMarkdown, COMMENT_MARKER } from "./render/markdown.js";
export { renderText } from "./render/text.js";
export { DiffError } from "./sources.js";
export type { DiffReport } from "./model.js";

export interface DiffOptions {
  /** Where to find the git repository (default: the current directory). */
  cwd?: string;
  /** Base git ref (default HEAD). Ignored with baseDir. */
  base?: string;
  /** Head git ref; undefined = the working tree. Ignored with headDir. */
  head?: string;
  /** Already built trees to compare instead of building. */
  baseDir?: string;
  headDir?: string;
  env?: string;
  /** Keep the temporary builds (their paths are in the report's sides). */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface DiffRun {
  report: DiffReport;
  baseTree: Tree;
  headTree: Tree;
  /** Removes the temporary builds (no-op with keep). */
  cleanup(): void;
}

/** Builds (or reads) both sides and compares them. Call cleanup() when done with the trees. */
export async function runDiff(opts: DiffOptions = {}): Promise<DiffRun> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const env = opts.env ?? "dev";
  const log = opts.log ?? (() => {});
  const needGit = !opts.baseDir || !opts.headDir;
  const repo = needGit ? repoRoot(cwd) : cwd;
  const scratch = needGit ? scratchDir() : undefined;
  const cleanup = () => {
    if (scratch && !opts.keep) removeDir(scratch);
  };
  try {
    const baseRef = opts.base ?? "HEAD";
    const sameCommit =
      !opts.baseDir && !opts.headDir && opts.head !== undefined && resolveCommit(repo, baseRef) === resolveCommit(repo, opts.head);
    const baseSide = opts.baseDir
      ? Promise.resolve<Side>({ label: opts.baseDir, dir: resolve(cwd, opts.baseDir) })
      : (log(`building base ${baseRef} (env ${env})`), buildSide({ ref: baseRef, env, repo, scratch: scratch!, name: "base" }));
    const headSide = opts.headDir
      ? Promise.resolve<Side>({ label: opts.headDir, dir: resolve(cwd, opts.headDir) })
      : sameCommit
        ? baseSide.then((s) => ({ ...s, label: opts.head!, ref: opts.head }))
        : (log(`building head ${opts.head ?? "working tree"} (env ${env})`),
          buildSide({ ref: opts.head, env, repo, scratch: scratch!, name: "head" }));
    // Wait for both builds even when one fails, so nothing writes into the scratch directory after cleanup.
    const settled = await Promise.allSettled([baseSide, headSide]);
    const failed = settled.find((x): x is PromiseRejectedResult => x.status === "rejected");
    if (failed) throw failed.reason;
    const [b, h] = settled.map((x) => (x as PromiseFulfilledResult<Side>).value);
    const baseTree = loadTree(b.dir);
    const headTree = loadTree(h.dir);
    const report = compareTrees(baseTree, headTree, { base: b, head: h });
    return { report, baseTree, headTree, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

const safeName = (uid: string) => uid.replace(/[^A-Za-z0-9_.-]/g, "_");

/**
 * Draws every changed dashboard into `dir` as <uid>.svg and <uid>.png and records the paths in the
 * report (relative to `relativeTo` when inside it).
 */
export function writePictures(run: Pick<DiffRun, "report" | "baseTree" | "headTree">, dir: string, opts: { png?: boolean; relativeTo?: string } = {}): string[] {
  const { report } = run;
  const written: string[] = [];
  if (!report.dashboards.length) return written;
  mkdirSync(dir, { recursive: true });
  const rel = (p: string) => {
    const from = opts.relativeTo ?? process.cwd();
    const r = relative(from, p);
    return r.startsWith("..") || isAbsolute(r) ? p : r;
  };
  for (const change of report.dashboards) {
    const svg = layoutSvg({
      change,
      base: run.baseTree.dashboards.get(change.uid)?.json,
      head: run.headTree.dashboards.get(change.uid)?.json,
      baseLabel: sideLabel(report.base),
      headLabel: sideLabel(report.head),
    });
    const svgPath = join(dir, `${safeName(change.uid)}.svg`);
    writeFileSync(svgPath, svg);
    written.push(svgPath);
    change.images = { svg: rel(svgPath) };
    if (opts.png ?? true) {
      const pngPath = join(dir, `${safeName(change.uid)}.png`);
      writeFileSync(pngPath, svgToPng(svg));
      written.push(pngPath);
      change.images.png = rel(pngPath);
    }
  }
  return written;
}

/**
 * How the renderers point at a dashboard's pictures: embedded from `url` when they will be served
 * there; named as files of a CI artifact called `artifact`; else linked by path.
 */
export function imageLinks(opts: { url?: string; artifact?: string } | string = {}): ImageLinks {
  const { url, artifact } = typeof opts === "string" ? { url: opts, artifact: undefined } : opts;
  return (d: DashboardChange) => {
    if (!d.images) return undefined;
    const file = (p: string) => p.split(/[\\/]/).pop()!;
    if (url) {
      const u = url.replace(/\/+$/, "");
      const parts: Inline[] = [];
      if (d.images.png) parts.push({ image: `Layout of ${d.title}: base and head`, href: `${u}/${file(d.images.png)}` }, " ");
      parts.push({ link: "layout (SVG)", href: `${u}/${file(d.images.svg)}` });
      return parts;
    }
    if (artifact) {
      return ["Layout picture: ", { code: file(d.images.png ?? d.images.svg) }, ` in the ${artifact} artifact`];
    }
    const parts: Inline[] = ["Layout: ", { link: "SVG", href: d.images.svg }];
    if (d.images.png) parts.push(" · ", { link: "PNG", href: d.images.png });
    return parts;
  };
}
