// The one place the idiomatic import writes calls of the repository's presets (src/presets/*): which
// preset exists, its arguments and what it sets by itself. When the presets' API changes, this file
// changes; the rest of the generator says only "a timeseries panel with these meanings".
import { datasourceVariableName } from "../../presets/targets.js";
import { jsString } from "../escape.js";

/** Preset functions by the module (relative to the repository) that exports them. */
const MODULES = {
  "src/presets/dashboard.js": ["baseDashboard"],
  "src/presets/panels.js": ["row", "statPanel", "timeseriesPanel"],
  "src/presets/panelKey.js": ["withPanelKey"],
  "src/presets/targets.js": ["prom", "withRefIds"],
  "src/presets/variables.js": ["datasourceVariable", "labelVariable"],
} as const;
export type PresetName = (typeof MODULES)[keyof typeof MODULES][number];

/** What the presets set by themselves, so the generator adds a method only where a panel differs. */
export const PRESET_SETS = {
  /** Name and label of the Prometheus datasource variable that prom() targets read. */
  datasourceVariable: { name: datasourceVariableName("prometheus"), label: "Prometheus data source" },
  /** labelVariable(): the "All" value it writes when includeAll is on. */
  labelVariableAllValue: ".+",
  /** Threshold base colour of the panel presets (mode absolute). */
  thresholdBase: "green",
  /** Legend placement of timeseriesPanel. */
  legendPlacement: "bottom",
  /** Colour mode (options.colorMode) of statPanel. */
  statColorMode: "value",
  /** Links baseDashboard adds (by title). */
  houseLinks: ["Dashboards"],
} as const;

export interface PanelArgs {
  title: string;
  description: string;
  unit: string;
  /** Target expressions (prom(...) calls). */
  targets: string[];
  /** Steps above the base: [value, colour]. */
  thresholds?: [number, string][];
  min?: number;
  max?: number;
  decimals?: number;
}

export class PresetWriter {
  readonly used = new Set<PresetName>();

  private call(name: PresetName, args: string): string {
    this.used.add(name);
    return `${name}(${args})`;
  }

  /** Import lines for the presets used, with paths relative to the dashboard file. */
  imports(relative: (repoPath: string) => string): string[] {
    return Object.entries(MODULES)
      .map(([mod, names]) => [mod, names.filter((n) => this.used.has(n))] as const)
      .filter(([, names]) => names.length)
      .map(([mod, names]) => `import { ${names.join(", ")} } from ${jsString(relative(mod))};`);
  }

  private panelArgs(p: PanelArgs, extra: [string, string][] = []): string {
    const props: [string, string][] = [
      ["title", jsString(p.title)],
      ["description", jsString(p.description)],
      ["unit", jsString(p.unit)],
      ["targets", `[${p.targets.join(", ")}]`],
    ];
    if (p.thresholds?.length) props.push(["thresholds", JSON.stringify(p.thresholds)]);
    for (const k of ["min", "max", "decimals"] as const) if (p[k] !== undefined) props.push([k, String(p[k])]);
    return `{ ${[...props, ...extra].map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
  }

  timeseries(p: PanelArgs & { stack?: boolean }): string {
    return this.call("timeseriesPanel", this.panelArgs(p, p.stack ? [["stack", "true"]] : []));
  }

  stat(p: PanelArgs & { graph?: boolean }): string {
    return this.call("statPanel", this.panelArgs(p, p.graph === false ? [["graph", "false"]] : []));
  }

  /** A panel or row builder with its own identity (two panels of one title cannot share an id). */
  withKey(builder: string, key: string): string {
    return this.call("withPanelKey", `${builder}, ${jsString(key)}`);
  }

  row(title: string): string {
    return this.call("row", jsString(title));
  }

  prom(expr: string, o: { legend?: string; instant?: boolean; table?: boolean; exemplar?: boolean }): string {
    const props: string[] = [];
    if (o.legend) props.push(`legend: ${jsString(o.legend)}`);
    if (o.instant) props.push("instant: true");
    if (o.table) props.push("table: true");
    if (o.exemplar) props.push("exemplar: true");
    return this.call("prom", props.length ? `${expr}, { ${props.join(", ")} }` : expr);
  }

  /** Targets of a panel not written with a panel preset: refIds A, B, … as the presets assign them. */
  refIds(targets: string[]): string {
    return this.call("withRefIds", `[${targets.join(", ")}]`);
  }

  datasourceVariable(): string {
    return this.call("datasourceVariable", "");
  }

  labelVariable(v: {
    name: string;
    label: string;
    query: string;
    multi: boolean;
    includeAll: boolean;
    allValue?: string;
  }): string {
    const args = [`name: ${jsString(v.name)}`, `label: ${jsString(v.label)}`, `query: ${jsString(v.query)}`];
    // labelVariable's defaults: multi and includeAll on.
    if (!v.multi) args.push("multi: false");
    if (!v.includeAll) args.push("includeAll: false");
    else if (v.allValue !== undefined && v.allValue !== PRESET_SETS.labelVariableAllValue)
      args.push(`allValue: ${jsString(v.allValue)}`);
    return this.call("labelVariable", `{ ${args.join(", ")} }`);
  }

  dashboard(d: { uid: string; title: string; description: string; tags: string[] }): string {
    const tags = d.tags.length ? `, tags: ${JSON.stringify(d.tags)}` : "";
    return this.call(
      "baseDashboard",
      `ctx, { uid: ${jsString(d.uid)}, title: ${jsString(d.title)}, description: ${jsString(d.description)}${tags} }`,
    );
  }
}
