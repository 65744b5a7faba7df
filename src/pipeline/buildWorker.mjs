// A build worker thread (src/pipeline/parallel.ts) starts here: it loads the bundle the launcher
// made, with the globals the launcher set and the same vendor file of packages, as the main thread
// did (scripts/launch.mjs). The bundle's entry point then serves slices of the build instead of
// running the command (src/pipeline/parallelWorker.ts). Plain JavaScript: nothing is compiled here.
import { workerData } from "node:worker_threads";
import { runBundle } from "./codeCache.mjs";
import { loadVendor } from "./vendor.mjs";

const { bundle, root, globals } = workerData;
for (const [name, value] of Object.entries(globals)) globalThis[Symbol.for(name)] = value;
await loadVendor(root, bundle);
await runBundle(bundle); // as the launcher runs it (a script through the code cache, not a module)
