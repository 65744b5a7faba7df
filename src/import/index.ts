// Grafana dashboard JSON → a definition file (dashboards/*.ts) written with the Foundation SDK.
//
//   const input = parseDashboardText(text, "exported.json");
//   const result = await importDashboard(input, { folder: "services" });
//   result.code      // formatted TypeScript
//   result.warnings  // what was kept as raw JSON, legacy panels, datasources not mapped
import { dirname, relative, resolve, sep } from "node:path";
import prettier from "prettier";
import { mapDatasources, type DatasourceNote } from "./datasources.js";
import { commentValue, jsString } from "./escape.js";
import { Generator, type ImportWarning } from "./generate.js";
import type { DashboardInput } from "./input.js";
import { newPrintState, print } from "./ir.js";
import type { NormaliseContext } from "./normalise.js";
import { loadSdkModel } from "./sdkModel.js";
import { dashboardsDir, deriveUid, repositoryDashboardUids } from "./uid.js";
import { generateIdiomatic, type IdiomaticFile } from "./idiomatic/dashboard.js";
import type { CatalogGap, MetricCatalog } from "./idiomatic/metrics.js";
import type { MetricDef } from "../model/catalog.js";
import type { SemanticContext } from "./semantic.js";
import { REPO_ROOT } from "../repoRoot.mjs";

export { ImportError, parseDashboardText, readDashboard, fetchDashboard, type DashboardInput } from "./input.js";
export type { ImportWarning } from "./generate.js";

export { REPO_ROOT };

export interface ImportOptions {
  /** Key of config.folders; default "services". */
  folder?: string;
  /**
   * Where the code will be written, for its relative imports; default dashboards/<uid>.ts of the
   * repository.
   */
  outFile?: string;
  /**
   * Dashboard uids the repository already defines (uid → file), for a dashboard without a uid; default:
   * those of dashboards/ (except `outFile`, which the import replaces).
   */
  takenUids?: ReadonlyMap<string, string>;
  /**
   * "exact" (default here): one file, a faithful transcript of the JSON. "idiomatic": a folder with
   * index.ts in the house style (presets) and queries.ts; `outFile` is then the folder.
   */
  style?: "exact" | "idiomatic";
  /** The metric catalog, for the idiomatic import's metric names (the entry point loads it). */
  catalog?: MetricCatalog;
}

export interface ImportResult {
  code: string;
  title: string;
  uid: string;
  version?: number;
  schemaVersion?: number;
  sdkSchemaVersion: number;
  format: DashboardInput["format"];
  warnings: ImportWarning[];
  datasources: DatasourceNote[];
  /** SDK defaults removed again in the code, per object (not a loss). */
  removedDefaults: { where: string; paths: string[] }[];
  panelCount: number;
  panelKinds: Map<string, number>;
  /** The dashboard as it came in, and what verification needs to compare a build with it. */
  original: Record<string, unknown>;
  normalise: NormaliseContext;
  /** The code again, with its imports relative to another file (verification writes it elsewhere). */
  render(outFile: string): Promise<string>;
  style: "exact" | "idiomatic";
  /** Idiomatic: the folder's files, their imports relative to `dir`; and what the semantic check allows. */
  renderFolder?: (dir: string) => Promise<IdiomaticFile[]>;
  semantic?: SemanticContext;
  /** Idiomatic: what the build's catalog check will reject (reported as warnings with the change to make). */
  catalogGaps?: CatalogGap[];
  /** Idiomatic: the catalog entries the report suggests for the metrics the catalog lacks. */
  catalogEntries?: MetricDef[];
}

function importPath(fromFile: string, target: string): string {
  let rel = relative(dirname(fromFile), target).split(sep).join("/");
  if (!rel.startsWith(".")) rel = `./${rel}`;
  return rel;
}

export async function importDashboard(input: DashboardInput, opts: ImportOptions = {}): Promise<ImportResult> {
  const model = await loadSdkModel();
  const original = input.dashboard;
  const title = typeof original.title === "string" ? original.title : "";
  let derivedUid: ImportWarning | undefined;
  if (typeof original.uid !== "string") {
    const taken =
      opts.takenUids ?? (await repositoryDashboardUids(dashboardsDir(REPO_ROOT), REPO_ROOT, opts.outFile));
    original.uid = deriveUid(title, taken);
    derivedUid = {
      code: "derived-uid",
      where: "dashboard",
      message:
        `the dashboard has no uid; using ${JSON.stringify(original.uid)}, derived from its title ` +
        `(unique among the dashboards of the repository); pass --uid <uid> to choose another`,
    };
  }
  const uid = String(original.uid);
  const mapping = mapDatasources(original, input.inputs, { variablesFirst: opts.style === "idiomatic" });
  const normalise: NormaliseContext = {
    datasourceUids: mapping.uids,
    constants: mapping.constants,
    datasourceRefs: mapping.stringRefs,
    ...(opts.style === "idiomatic" ? { keepSdkDefaults: true } : {}),
  };
  const gen = new Generator(model, mapping.dashboard, mapping.refs, normalise);
  const folder = opts.folder ?? "services";
  if (opts.style === "idiomatic") {
    const idiomatic = generateIdiomatic(gen, uid, folder, opts.catalog);
    const dir = opts.outFile ?? resolve(REPO_ROOT, "dashboards", uid);
    const files = await idiomatic.render(dir);
    const schemaVersion = typeof original.schemaVersion === "number" ? original.schemaVersion : undefined;
    const warnings = [...(derivedUid ? [derivedUid] : []), ...gen.warnings, ...idiomatic.warnings];
    return {
      code: files.find((f) => f.name === "index.ts")!.code,
      title,
      uid,
      version: typeof original.version === "number" ? original.version : undefined,
      schemaVersion,
      sdkSchemaVersion: (model.builders.get("dashboard.DashboardBuilder")!.baseline as { schemaVersion: number })
        .schemaVersion,
      format: input.format,
      warnings,
      datasources: mapping.notes,
      removedDefaults: gen.removedDefaults,
      panelCount: countPanels(original),
      panelKinds: kindsOf(original),
      original,
      normalise,
      render: async (file) => (await idiomatic.render(dirname(file))).find((f) => f.name === "index.ts")!.code,
      style: "idiomatic",
      catalogGaps: idiomatic.catalogGaps,
      catalogEntries: idiomatic.catalogEntries,
      renderFolder: idiomatic.render,
      semantic: { ...idiomatic.semantic, datasourceUids: mapping.uids },
    };
  }
  const expr = gen.dashboard();

  const sdkSchemaVersion = (model.builders.get("dashboard.DashboardBuilder")!.baseline as { schemaVersion: number })
    .schemaVersion;
  const schemaVersion = typeof original.schemaVersion === "number" ? original.schemaVersion : undefined;
  const version = typeof original.version === "number" ? original.version : undefined;
  const warnings = [...(derivedUid ? [derivedUid] : []), ...gen.warnings];
  for (const n of mapping.notes)
    if (n.action === "kept")
      warnings.push({ code: "datasource", where: "datasources", message: `${n.message} (${n.count}×)` });
  if (schemaVersion === undefined || schemaVersion < sdkSchemaVersion) {
    const carried = warnings.filter((w) => w.code !== "datasource");
    const legacy = [
      ...new Set(carried.filter((w) => w.code === "legacy-panel" || w.code === "plugin-panel").map((w) => w.where)),
    ];
    const rawCount = carried.filter((w) => w.code === "raw-fields").length;
    warnings.unshift({
      code: "schema-version",
      where: "dashboard",
      message:
        `schemaVersion ${schemaVersion ?? "(none)"} came in; the SDK writes ${sdkSchemaVersion}, so Grafana will not run its ` +
        `migrations on this dashboard. Carried as-is: ` +
        (legacy.length || rawCount
          ? `${legacy.length ? `${legacy.length} legacy/plugin panel(s), ` : ""}raw JSON in ${rawCount} object(s) (listed below).`
          : "nothing (every field has a builder method)."),
    });
  }
  if (Array.isArray(original.rows) && original.rows.length)
    warnings.push({
      code: "legacy-dashboard",
      where: "dashboard",
      message: `${original.rows.length} pre-5.0 "rows" kept as raw JSON; Grafana only converts them for dashboards with schemaVersion < 16`,
    });

  const render = async (file: string): Promise<string> => {
    const outFile = resolve(file);
    const state = newPrintState();
    const chain = print(expr, state);
    const consts = [...state.consts].map(([name, value]) => `const ${name} = ${print(value, state)};`);
    const lines: string[] = [];
    lines.push(
      `// Imported from Grafana dashboard ${commentValue(title)} (uid ${commentValue(uid)}, version ${version ?? "none"}, ` +
        `schemaVersion ${schemaVersion ?? "none"}) by \`npm run import\`.`,
    );
    if (state.helpers.size)
      lines.push(
        "// withRaw()/raw() keep, as JSON, what the SDK has no builder method for; src/import/normalise.ts lists what may differ.",
      );
    for (const ns of [...state.namespaces].sort())
      lines.push(`import * as ${ns} from "@grafana/grafana-foundation-sdk/${ns}";`);
    lines.push(
      `import { defineDashboard } from ${jsString(importPath(outFile, resolve(REPO_ROOT, "src/definitions.js")))};`,
    );
    if (state.helpers.size)
      lines.push(
        `import { ${[...state.helpers].sort().join(", ")} } from ${jsString(importPath(outFile, resolve(REPO_ROOT, "src/import/raw.js")))};`,
      );
    lines.push("");
    const param = state.usesCtx ? "ctx" : "";
    const statements = [...consts, ...state.statements];
    const body = statements.length ? `{\n${statements.join("\n")}\nreturn ${chain};\n}` : chain;
    lines.push(
      `export default defineDashboard({`,
      `uid: ${jsString(uid)},`,
      `folder: ${jsString(folder)},`,
      `layout: "manual",`,
      `build: (${param}) => ${body},`,
      `});`,
    );
    const config = (await prettier.resolveConfig(outFile)) ?? {};
    // The code is plain JavaScript (no type syntax): the babel parser reads it in half the time of the TypeScript one.
    return prettier.format(lines.join("\n"), { printWidth: 120, ...config, parser: "babel" });
  };
  const code = await render(opts.outFile ?? resolve(REPO_ROOT, "dashboards", `${uid}.ts`));

  return {
    code,
    title,
    uid,
    version,
    schemaVersion,
    sdkSchemaVersion,
    format: input.format,
    warnings,
    datasources: mapping.notes,
    removedDefaults: gen.removedDefaults,
    panelCount: gen.panelCount,
    panelKinds: gen.panelKinds,
    original,
    normalise,
    render,
    style: "exact",
  };
}

function panelsOf(d: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const p of Array.isArray(d.panels) ? d.panels : []) {
    if (typeof p !== "object" || p === null) continue;
    out.push(p as Record<string, unknown>);
    for (const q of Array.isArray((p as { panels?: unknown }).panels) ? (p as { panels: unknown[] }).panels : [])
      if (typeof q === "object" && q !== null) out.push(q as Record<string, unknown>);
  }
  return out;
}

function countPanels(d: Record<string, unknown>): number {
  return panelsOf(d).length;
}

function kindsOf(d: Record<string, unknown>): Map<string, number> {
  const m = new Map<string, number>();
  for (const p of panelsOf(d)) {
    const k = typeof p.type === "string" ? p.type : "no type";
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}
