// npm run diff [-- --base REF] [--head REF] [--format text|markdown|json] [--images DIR] [--fail-on-change]
import { parseCommandLine } from "../src/cli/args.js";
import { EXIT, UserError } from "../src/errors.js";
import { runCommand } from "../src/cli/report.mjs";
import { outputProblem } from "../src/diff/output.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { DiffError, imageLinks, renderMarkdown, renderText, runDiff, writePictures } from "../src/diff/index.js";
import { COMMENT_MARKER } from "../src/diff/render/markdown.js";
import { sideLabel } from "../src/diff/render/doc.js";
import { removeActiveScratch } from "../src/diff/sources.js";
import { CATALOG } from "../catalog/index.js";
import { loadConfig } from "../config/index.js";
import type { PanelMark } from "../src/preview/dashboard.js";
import type { DashboardJson } from "../src/preview/model.js";
import { renderReview, type ReviewRenders } from "../src/preview/review.js";

// Interrupted while building: remove the temporary builds (the builds themselves get the signal too).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    removeActiveScratch();
    process.exit(signal === "SIGINT" ? 130 : 143);
  });
}

const HELP = `Usage: npm run diff -- [options]

Builds two versions of the project and reports what changed in meaning, for pull-request review:
dashboards (panels, queries, variables, links, layout), alerts and recording rules, datasources
(secret-related fields are never shown), folders, and the Prometheus and Alertmanager configuration.

Sides:
  --base <ref>        git ref to compare from (default: HEAD)
  --head <ref>        git ref to compare to (default: the working tree, uncommitted changes included)
  --base-dir <dir>    compare an already built tree instead of building --base
  --head-dir <dir>    compare an already built tree instead of building --head
  --env <name>        environment to build both sides for (default: dev)
  A ref is exported with git archive into a temporary directory and built there with its own
  scripts/build.ts and the current node_modules; the working tree is built with --out into a
  temporary directory. Your checkout and build/ are never modified.

Output:
  --format <f>        text, markdown or json (default: text on a terminal, markdown when piped;
                      with --output, taken from its extension .md/.json/.txt)
  --output <file>     write the report to a file instead of stdout
  --images <dir>      where layout pictures (<uid>.svg and <uid>.png per changed dashboard) are
                      written (default: a new directory under the system temp directory)
  --images-url <url>  base URL the pictures will be served from; Markdown then embeds the PNGs
  --images-artifact <name>
                      the pictures are published as a CI artifact of that name; Markdown names
                      each dashboard's file instead of linking a local path
  --no-images         do not draw pictures
  --no-data           layout pictures only: no before/after renders with data (these start a local
                      Prometheus with the catalog's series, as npm run preview does)
  --keep              keep the temporary builds and print where they are
  --debug             print the stack trace of a failure (also GRAFANA_AS_CODE_DEBUG=1)

Exit status:
  --fail-on-change    exit 1 when anything changed (for CI gates); otherwise 0 when the
                      comparison ran, changed or not. 2 for usage errors and failed builds.
  -h, --help          show this help

Examples:
  npm run diff -- --base origin/main
  npm run diff -- --base v1.2.0 --head HEAD --format json
  npm run --silent diff -- --base origin/main --format markdown --images diff-images > diff.md`;

type Format = "text" | "markdown" | "json";

async function main(): Promise<number> {
  const args = parseCommandLine(
    {
      options: {
        base: { type: "string" },
        head: { type: "string" },
        "base-dir": { type: "string" },
        "head-dir": { type: "string" },
        env: { type: "string", default: "dev" },
        format: { type: "string" },
        output: { type: "string", short: "o" },
        images: { type: "string" },
        "images-url": { type: "string" },
        "images-artifact": { type: "string" },
        "no-images": { type: "boolean", default: false },
        "no-data": { type: "boolean", default: false },
        keep: { type: "boolean", default: false },
        debug: { type: "boolean", default: false },
        "fail-on-change": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    },
    HELP,
  );
  if (typeof args === "number") return args;
  const fromExt = args.output ? ({ md: "markdown", markdown: "markdown", json: "json", txt: "text" } as Record<string, Format>)[args.output.split(".").pop()!.toLowerCase()] : undefined;
  const format = (args.format ?? fromExt ?? (process.stdout.isTTY ? "text" : "markdown")) as Format;
  if (!["text", "markdown", "json"].includes(format)) {
    console.error(`--format must be text, markdown or json, not "${format}"\n\n${HELP}`);
    return 2;
  }
  const badOutput = args.output === undefined ? undefined : outputProblem(args.output);
  if (badOutput) throw new UserError(badOutput, EXIT.usage);
  if (args["base-dir"] && args.base) console.error("note: --base is ignored with --base-dir");
  if (args["head-dir"] && args.head) console.error("note: --head is ignored with --head-dir");

  let run;
  try {
    run = await runDiff({
      base: args.base,
      head: args.head,
      baseDir: args["base-dir"],
      headDir: args["head-dir"],
      env: args.env,
      keep: args.keep,
      log: (l) => console.error(l),
    });
  } catch (e) {
    if (e instanceof DiffError) {
      console.error(`diff: ${e.message}`);
      return 2;
    }
    throw e;
  }
  try {
    const { report } = run;
    if (args.keep) console.error(`builds kept: ${report.base.dir} and ${report.head.dir}`);
    let picturesDir: string | undefined;
    let renders = new Map<string, ReviewRenders>();
    if (report.dashboards.length && !args["no-images"]) {
      picturesDir = args.images ? resolve(args.images) : mkdtempSync(join(tmpdir(), "grafana-diff-images-"));
      if (/(^|[\\/])build([\\/]|$)/.test(relative(process.cwd(), picturesDir))) {
        console.error(`note: ${args.images} is inside build/, which every build replaces and --check reports as stale`);
      }
      const relativeTo = args.output ? resolve(args.output, "..") : process.cwd();
      writePictures(run, picturesDir, { relativeTo });
      if (!args["no-data"]) renders = await reviewRenders(run, picturesDir, args.env);
    }
    const layoutLinks = imageLinks({ url: args["images-url"], artifact: args["images-artifact"] });
    const links = withRenders(layoutLinks, renders, { url: args["images-url"], artifact: args["images-artifact"], relativeTo: args.output ? resolve(args.output, "..") : process.cwd() });
    let out: string;
    if (format === "json") out = JSON.stringify(report, null, 2) + "\n";
    else if (!report.changed) {
      const line = `No changes between ${sideLabel(report.base)} and ${sideLabel(report.head)}.`;
      out = format === "markdown" ? `${COMMENT_MARKER}\n${line}\n` : `${line}\n`;
    } else if (format === "markdown") out = renderMarkdown(report, links);
    else out = renderText(report, links, { color: !args.output && process.stdout.isTTY && !process.env.NO_COLOR });
    if (args.output) {
      writeFileSync(args.output, out);
      console.error(`report written to ${args.output}`);
    } else process.stdout.write(out);
    if (picturesDir && format === "text" && !args.output) console.error(`layout pictures in ${picturesDir}`);
    return args["fail-on-change"] && report.changed ? 1 : 0;
  } finally {
    run.cleanup();
  }
}

type Links = ReturnType<typeof imageLinks>;
type Change = Parameters<Links>[0];

/** Both sides of each changed dashboard rendered with the same embedded data; changed panels outlined. */
async function reviewRenders(run: Awaited<ReturnType<typeof runDiff>>, dir: string, env: string): Promise<Map<string, ReviewRenders>> {
  const config = loadConfig(env);
  const items = run.report.dashboards.map((c) => {
    const marks = { before: new Map<number, PanelMark>(), after: new Map<number, PanelMark>() };
    for (const p of c.panels) {
      const mark: PanelMark = p.status === "added" ? "added" : p.status === "removed" ? "removed" : "changed";
      if (p.before?.id !== undefined && mark !== "added") marks.before.set(p.before.id, mark);
      if (p.after?.id !== undefined && mark !== "removed") marks.after.set(p.after.id, mark);
    }
    const json = (side: "baseTree" | "headTree") => run[side].dashboards.get(c.uid)?.json as unknown as DashboardJson | undefined;
    return { uid: c.uid, before: json("baseTree"), after: json("headTree"), marks };
  });
  const targets = Object.fromEntries(Object.entries(config.prometheus.scrapeJobs).map(([job, j]) => [job, j.targets]));
  return renderReview(items, { kind: "synthetic", metrics: CATALOG, targets }, dir);
}

/** The layout links, then the before/after renders: embedded from --images-url, named in the artifact, else linked. */
function withRenders(layout: Links, renders: Map<string, ReviewRenders>, opts: { url?: string; artifact?: string; relativeTo: string }): Links {
  return (d: Change) => {
    const base = layout(d);
    const r = renders.get(d.uid);
    if (!r || (!r.before && !r.after)) return base;
    const file = (p: string) => p.split(/[\\/]/).pop()!;
    const parts: NonNullable<ReturnType<Links>> = [...(base ?? []), base ? " · " : ""];
    for (const side of ["before", "after"] as const) {
      const p = r[side];
      if (!p) continue;
      if (opts.url) parts.push({ image: `${d.title}, ${side}, with data`, href: `${opts.url.replace(/\/+$/, "")}/${file(p)}` }, " ");
      else if (opts.artifact) parts.push(`${side}: `, { code: file(p) }, " ");
      else parts.push({ link: `${side} (with data)`, href: relative(opts.relativeTo, p) }, " ");
    }
    return parts;
  };
}

await runCommand(main);
