// Definition files (dashboards/, alerts/) are imported by path. The fast launcher
// (scripts/launch.mjs) bundles them with the engine and hands the modules over here first, so a
// bundled build never asks Node to load a .ts file.
import { pathToFileURL } from "node:url";

const PRELOADED = Symbol.for("grafana-as-code.preloadedDefinitions");

type DefinitionModule = { default?: unknown };

export function importDefinition(file: string): Promise<DefinitionModule> {
  const preloaded = (globalThis as Record<symbol, Map<string, DefinitionModule> | undefined>)[PRELOADED];
  const hit = preloaded?.get(file);
  return hit ? Promise.resolve(hit) : import(pathToFileURL(file).href);
}
