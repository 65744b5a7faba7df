// What the importer knows about the Foundation SDK, learnt from the SDK itself rather than written by
// hand, so that every panel kind and option the installed SDK has a builder method for is used:
// types from its declarations (sdkDeclarations.ts), effects from calling its builders (sdkProbe.ts).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readDeclarations } from "./sdkDeclarations.js";
import { probe } from "./sdkProbe.js";
import { type BuilderInfo, SDK_PACKAGE, type SdkModel } from "./sdkTypes.js";

export type { BuilderInfo, Effect, MethodInfo, Path, SdkModel, Shape } from "./sdkTypes.js";
export { getAt, pathKey, SDK_PACKAGE } from "./sdkTypes.js";
export { changedLeaves } from "./sdkProbe.js";

const require = createRequire(import.meta.url);

// Namespaces of the classic (v1) dashboard schema and its plugins. The v2 schemas, alerting and
// resource APIs are not what exported dashboard JSON is made of.
const SKIP_NAMESPACE = /v\d|alpha|beta|^(alerting|resource|preferences|team|publicdashboard|librarypanel|units)$/;

function sdkDist(): string {
  return dirname(dirname(require.resolve(`${SDK_PACKAGE}/cog`)));
}

let cached: Promise<SdkModel> | undefined;

export function loadSdkModel(): Promise<SdkModel> {
  cached ??= buildModel();
  return cached;
}

async function buildModel(): Promise<SdkModel> {
  const dist = sdkDist();
  const namespaces = readdirSync(dist)
    .filter((d) => existsSync(join(dist, d, "index.d.ts")) && !SKIP_NAMESPACE.test(d))
    .sort();
  const sdkVersion = (JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8")) as { version: string })
    .version;

  // Runtime classes.
  const runtime = new Map<string, Record<string, unknown>>();
  for (const ns of namespaces) {
    const mod = (await import(`${SDK_PACKAGE}/${ns}`)) as Record<string, unknown>;
    const exportsObj = (
      mod.default && typeof mod.default === "object" ? { ...(mod.default as object), ...mod } : mod
    ) as Record<string, unknown>;
    runtime.set(ns, exportsObj);
  }
  const classOf = (ns: string, name: string) => runtime.get(ns)?.[name] as BuilderInfo["cls"] | undefined;

  const { builders: declared, enums } = readDeclarations(
    dist,
    namespaces,
    (ns, name) => typeof classOf(ns, name) === "function",
  );
  const builders = new Map<string, BuilderInfo>();
  const byTarget = new Map<string, BuilderInfo[]>();
  const panelBuilders = new Map<string, BuilderInfo>();
  for (const d of declared) {
    const info: BuilderInfo = { ...d, byPath: new Map(), baseline: undefined, cls: classOf(d.ns, d.name)! };
    probe(info);
    builders.set(`${d.ns}.${d.name}`, info);
    const list = byTarget.get(d.target) ?? [];
    list.push(info);
    byTarget.set(d.target, list);
    if (d.target === "dashboard.Panel" && d.name === "PanelBuilder" && d.ns !== "dashboard") {
      const type = (info.baseline as { type?: string }).type;
      if (type) panelBuilders.set(type, info);
    }
  }
  return { builders, byTarget, panelBuilders, enums, runtime, sdkVersion };
}
