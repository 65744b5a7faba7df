// Where this project's files are: the nearest folder above a path whose package.json is this
// project's. Walking up (instead of counting folders above a module) keeps working wherever a module
// runs from: the sources themselves, or the build's bundle under node_modules/.cache. Plain
// JavaScript so the build's launcher can use it before anything is compiled.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const PACKAGE_NAME = "grafana-as-code";

/** The nearest folder at or above `start` holding this project's package.json; throws when there is none. */
export function findRepoRoot(start) {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (packageName(join(dir, "package.json")) === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) {
      // Shaped as src/errors.ts's UserError (exit 3, a file that cannot be found), which this plain
      // JavaScript file cannot load.
      const e = new Error(`no package.json named "${PACKAGE_NAME}" in ${resolve(start)} or any folder above it`);
      throw Object.assign(e, { name: "UserError", exitCode: 3, file: resolve(start) });
    }
  }
}

/** The "name" of a package.json; undefined when it is missing or not JSON (another package's, or none). */
function packageName(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"))?.name;
  } catch {
    return undefined;
  }
}

/**
 * Set by the build's launcher before it runs its bundle: the bundle sits under node_modules/.cache,
 * and node_modules may be a link to (or hoisted into) another folder, so walking up from the bundle
 * would find that folder's project instead of the one being built.
 */
export const ROOT_FROM_LAUNCHER = Symbol.for("grafana-as-code.repoRoot");

/** This project's root folder. */
export const REPO_ROOT = globalThis[ROOT_FROM_LAUNCHER] ?? findRepoRoot(import.meta.dirname);

/** Generated files kept between runs (the build's bundle, compiled validators): never in the source tree. */
export const CACHE_DIR = join(REPO_ROOT, "node_modules/.cache/grafana-as-code");
