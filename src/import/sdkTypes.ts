// The importer's picture of the Foundation SDK: the shape of each builder method's argument (from the
// SDK's declarations) and where the method puts it in the built JSON (from calling it).
export type Shape =
  | { kind: "any" }
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "null" }
  | { kind: "undefined" }
  | { kind: "function" }
  | { kind: "literal"; value: string | number | boolean }
  | { kind: "enum"; ns: string; name: string; members: Map<string | number, string> }
  | { kind: "array"; item: Shape }
  | { kind: "union"; members: Shape[] }
  | { kind: "builder"; target: string }
  | {
      kind: "object";
      props: Map<string, { shape: Shape; optional: boolean }>;
      index?: Shape;
    };

export type Path = (string | number)[];

export type Effect =
  /** The argument is stored at `path` (for builders and builder lists: what they build). */
  | { kind: "set"; path: Path }
  /** The argument is appended to the list at `path`. */
  | { kind: "append"; path: Path }
  /** No argument; sets constant values. */
  | { kind: "flag"; sets: [Path, unknown][] };

export interface MethodInfo {
  name: string;
  params: Shape[];
  effect?: Effect;
}

export interface BuilderInfo {
  /** SDK namespace (import path suffix), e.g. "timeseries". */
  ns: string;
  name: string;
  /** What `build()` returns, e.g. "dashboard.Panel". */
  target: string;
  ctorParams: { shape: Shape; path?: Path }[];
  methods: Map<string, MethodInfo>;
  /** Methods by the path they set, deepest information first. */
  byPath: Map<string, MethodInfo[]>;
  /** What a fresh builder builds (constructor defaults), as JSON. */
  baseline: unknown;
  cls: new (...args: unknown[]) => { build(): unknown };
}

export interface SdkModel {
  builders: Map<string, BuilderInfo>; // key "ns.Name"
  /** Builders by what they build ("common.VizLegendOptions" → [...]). */
  byTarget: Map<string, BuilderInfo[]>;
  /** Panel builders by panel plugin id ("timeseries" → timeseries.PanelBuilder). */
  panelBuilders: Map<string, BuilderInfo>;
  enums: Map<string, Extract<Shape, { kind: "enum" }>>;
  /** Runtime namespaces ("dashboard" → module exports). */
  runtime: Map<string, Record<string, unknown>>;
  sdkVersion: string;
}

export const SDK_PACKAGE = "@grafana/grafana-foundation-sdk";

export function pathKey(p: Path): string {
  return p.map(String).join("\u0000");
}

export function getAt(value: unknown, path: Path): unknown {
  let v = value as Record<string | number, unknown> | undefined;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = v[k] as Record<string | number, unknown> | undefined;
  }
  return v;
}
