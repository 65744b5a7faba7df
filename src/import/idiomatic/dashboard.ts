// The idiomatic import of one dashboard: a folder with index.ts (the dashboard in the house style:
// baseDashboard, variable and panel presets, SDK builders where no preset fits) and queries.ts.
import { relative, resolve, sep } from "node:path";
import prettier from "prettier";
import { REPO_ROOT } from "../../repoRoot.mjs";
import { commentValue, jsString } from "../escape.js";
import type { Generator } from "../generate.js";
import { lit, newPrintState, print } from "../ir.js";
import type { SemanticContext } from "../semantic.js";
import { json } from "../values.js";
import type { ImportWarning } from "../warnings.js";
import type { MetricDef } from "../../model/catalog.js";
import { type CatalogGap, type MetricCatalog, MetricNames } from "./metrics.js";
import { panelCode, type PanelWriter } from "./panels.js";
import { PRESET_SETS, PresetWriter } from "./presets.js";
import { QueryFile } from "./queryFile.js";
import { tidyVariable } from "./tidy.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

export interface IdiomaticFile {
  name: "index.ts" | "queries.ts";
  code: string;
}

export interface IdiomaticResult {
  /** The two files, their imports relative to `dir`. */
  render(dir: string): Promise<IdiomaticFile[]>;
  semantic: SemanticContext;
  warnings: ImportWarning[];
  catalogGaps: CatalogGap[];
  catalogEntries: MetricDef[];
}

function importPath(fromDir: string, target: string): string {
  let rel = relative(fromDir, target).split(sep).join("/");
  if (!rel.startsWith(".")) rel = `./${rel}`;
  return rel;
}

/** Which Prometheus datasource variable becomes the house `datasource` variable, if any. */
function datasourceVariableRename(list: unknown[]): Map<string, string> {
  const dsVars = list.filter((v) => isObj(v) && v.type === "datasource" && v.query === "prometheus") as Obj[];
  const name = PRESET_SETS.datasourceVariable.name;
  const taken = list.some((v) => isObj(v) && v.name === name && v.type !== "datasource");
  if (dsVars.length !== 1 || taken || typeof dsVars[0].name !== "string" || dsVars[0].name === name) return new Map();
  return new Map([[dsVars[0].name, name]]);
}

function variableCode(w: PanelWriter, v: unknown, i: number): string {
  if (!isObj(v)) return print(json(w.gen, v), w.state);
  const abs = ["templating", "list", i];
  const name = str(v.name);
  const hide =
    typeof v.hide === "number" && v.hide !== 0
      ? `.hide(${print({ t: "enum", ...enumOf(w, "dashboard.VariableHide", v.hide) }, w.state)})`
      : "";
  const regex = str(v.regex) ? `.regex(${jsString(str(v.regex))})` : "";
  const ds = isObj(v.datasource)
    ? str(v.datasource.uid).replace(/^\$\{?(\w+)\}?$/, (_, n: string) => w.renamed.get(n) ?? n)
    : "";
  if (
    v.type === "datasource" &&
    v.query === "prometheus" &&
    (w.renamed.has(name) || name === PRESET_SETS.datasourceVariable.name)
  ) {
    const label = str(v.label);
    return (
      w.presets.datasourceVariable() +
      (label !== PRESET_SETS.datasourceVariable.label ? `.label(${jsString(label)})` : "") +
      regex +
      hide
    );
  }
  const query = isObj(v.query) ? v.query.query : v.query;
  if (
    v.type === "query" &&
    ds === PRESET_SETS.datasourceVariable.name &&
    typeof query === "string" &&
    (v.includeAll !== true || (typeof v.allValue === "string" && v.allValue !== ""))
  ) {
    const q = w.metricNames(query, `variable "${name}"`, "variable");
    return (
      w.presets.labelVariable({
        name,
        label: str(v.label),
        query: q,
        multi: v.multi === true,
        includeAll: v.includeAll === true,
        allValue: typeof v.allValue === "string" ? v.allValue : undefined,
      }) +
      regex +
      hide
    );
  }
  const tidy = tidyVariable(v, w.gen.refs);
  // A Prometheus query variable the presets do not write: its query still meets the catalog check.
  if (v.type === "query" && typeof query === "string" && isObj(v.datasource) && v.datasource.type === "prometheus") {
    const checked = w.metricNames(query, `variable "${name}"`, "variable");
    if (checked !== query) tidy.query = isObj(tidy.query) ? { ...tidy.query, query: checked } : checked;
  }
  if (isObj(tidy.datasource) && typeof tidy.datasource.uid === "string")
    tidy.datasource = {
      ...tidy.datasource,
      uid: tidy.datasource.uid.replace(/^\$\{?(\w+)\}?$/, (m, n: string) =>
        w.renamed.has(n) ? `\${${w.renamed.get(n)}}` : m,
      ),
    };
  return print(w.gen.variable(tidy, abs), w.state);
}

function enumOf(w: PanelWriter, key: string, value: unknown) {
  const e = w.gen.model.enums.get(key)!;
  return { ns: e.ns, name: e.name, member: e.members.get(value as number) ?? String(value), value: value as number };
}

/** Titles a waiver can name: titled panels, each once. */
const waivable = (titles: string[]) => [...new Set(titles.filter((t) => t.trim()))];

const WAIVERS = [
  { rule: "panel-title-description", list: (w: PanelWriter) => w.undescribed, lacks: "a description" },
  { rule: "panel-units", list: (w: PanelWriter) => w.unitless, lacks: "a unit" },
] as const;

/**
 * The definition's lintWaivers: panels that came without a description or unit. The importer does
 * not invent prose; the debt is listed where a reviewer sees it, and lint counts it as excluded.
 */
function waiverLines(w: PanelWriter): string[] {
  const waivers = WAIVERS.map((k) => ({ ...k, panels: waivable(k.list(w)) })).filter((k) => k.panels.length);
  if (!waivers.length) return [];
  return [
    "// These panels came from Grafana without a description or unit; the import does not invent them.",
    "// Write each (what it shows, how to read it), then take the panel off the list: lint counts them.",
    "lintWaivers: [",
    ...waivers.map(
      (k) =>
        `{ rule: ${jsString(k.rule)}, reason: ${jsString(`imported from Grafana without ${k.lacks}`)}, panels: [${k.panels.map(jsString).join(", ")}] },`,
    ),
    "],",
  ];
}

function waiverWarnings(w: PanelWriter): ImportWarning[] {
  return WAIVERS.flatMap((k) => {
    const panels = waivable(k.list(w));
    if (!panels.length) return [];
    return [
      {
        code: k.rule === "panel-units" ? ("missing-unit" as const) : ("missing-description" as const),
        where: `${panels.length} panel(s)`,
        message: `without ${k.lacks}, which the lint requires (${panels
          .slice(0, 5)
          .map((t) => JSON.stringify(t))
          .join(", ")}${panels.length > 5 ? ", …" : ""}); listed in lintWaivers of index.ts until written`,
      },
    ];
  });
}

export function generateIdiomatic(
  gen: Generator,
  uid: string,
  folder: string,
  catalog?: MetricCatalog,
): IdiomaticResult {
  const d = gen.original;
  const list = isObj(d.templating) && Array.isArray(d.templating.list) ? d.templating.list : [];
  const renamed = datasourceVariableRename(list);
  const metrics = new MetricNames(catalog);
  const queries = new QueryFile();
  const presets = new PresetWriter();
  const state = newPrintState();
  const w: PanelWriter = {
    gen,
    presets,
    queries,
    state,
    renamed,
    metricNames: (e, where, kind) => metrics.rewrite(e, where, kind),
    undescribed: [],
    unitless: [],
    identities: new Map(),
  };

  const title = str(d.title);
  const head: string[] = [];
  head.push(
    presets.dashboard({
      uid,
      title,
      description: str(d.description),
      tags: Array.isArray(d.tags) ? d.tags.filter((t): t is string => typeof t === "string") : [],
    }),
  );
  const time = isObj(d.time) ? d.time : {};
  head.push(`.time(${print(lit({ from: str(time.from) || "now-6h", to: str(time.to) || "now" }), state)})`);
  head.push(`.refresh(${jsString(str(d.refresh))})`);
  if (str(d.timezone) && d.timezone !== "browser") head.push(`.timezone(${jsString(str(d.timezone))})`);
  if (list.length) head.push(`.variables([${list.map((v, i) => variableCode(w, v, i)).join(",\n")}])`);
  (Array.isArray(d.links) ? d.links : []).forEach((l, i) => {
    if (isObj(l))
      head.push(
        `.link(${print(gen.build(gen.builder("dashboard.DashboardLinkBuilder"), l, ["links", i], `link "${str(l.title)}"`), state)})`,
      );
  });
  const annotations = isObj(d.annotations) && Array.isArray(d.annotations.list) ? d.annotations.list : [];
  annotations.forEach((a, i) => {
    // Grafana adds its built-in "Annotations & Alerts" itself.
    if (isObj(a) && !a.builtIn)
      head.push(
        `.annotation(${print(gen.build(gen.builder("dashboard.AnnotationQueryBuilder"), a, ["annotations", "list", i], `annotation "${str(a.name)}"`), state)})`,
      );
  });
  const statements = (Array.isArray(d.panels) ? d.panels : []).map((p, i) => {
    const code = panelCode(w, p, ["panels", i]);
    return `d.${isObj(p) && p.type === "row" ? "withRow" : "withPanel"}(${code});`;
  });

  const render = async (dir: string): Promise<IdiomaticFile[]> => {
    const out = resolve(dir);
    const repo = (p: string) => importPath(out, resolve(REPO_ROOT, p));
    const consts = [...state.consts].map(([name, value]) => `const ${name} = ${print(value, state)};`);
    const lines = [
      `// Imported from Grafana dashboard ${commentValue(title)} (uid ${commentValue(uid)}, version ${
        typeof d.version === "number" ? d.version : "none"
      }) by \`npm run import\`.`,
      ...[...state.namespaces].sort().map((ns) => `import * as ${ns} from "@grafana/grafana-foundation-sdk/${ns}";`),
      `import { defineDashboard } from ${jsString(repo("src/definitions.js"))};`,
      ...presets.imports(repo),
      ...(state.helpers.size
        ? [`import { ${[...state.helpers].sort().join(", ")} } from ${jsString(repo("src/import/raw.js"))};`]
        : []),
      ...(queries.size ? [`import { queries } from "./queries.js";`] : []),
      "",
      "export default defineDashboard({",
      `uid: ${jsString(uid)},`,
      `folder: ${jsString(folder)},`,
      `layout: "manual",`,
      ...waiverLines(w),
      "build: (ctx) => {",
      ...(queries.size ? ["const q = queries();"] : []),
      ...consts,
      ...state.statements,
      `const d = ${head.join("\n")};`,
      ...statements,
      "return d;",
      "},",
      "});",
    ];
    const format = async (text: string, file: string) =>
      prettier.format(text, { printWidth: 120, ...((await prettier.resolveConfig(file)) ?? {}), parser: "typescript" });
    const files: IdiomaticFile[] = [
      { name: "index.ts", code: await format(lines.join("\n"), resolve(out, "index.ts")) },
    ];
    if (queries.size)
      files.push({ name: "queries.ts", code: await format(queries.render(title), resolve(out, "queries.ts")) });
    return files;
  };
  return {
    render,
    semantic: {
      datasourceUids: new Map(),
      renamedVariables: renamed,
      metricAliases: metrics.aliases,
      houseLinks: [...PRESET_SETS.houseLinks],
    },
    catalogGaps: metrics.gaps(),
    catalogEntries: metrics.entries(),
    warnings: [
      ...metrics.warnings(),
      ...waiverWarnings(w),
    ],
  };
}
