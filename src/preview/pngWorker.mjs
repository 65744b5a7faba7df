// One PNG per message: { id, svg, options } → { id, png } or { id, error }. Plain JavaScript so a
// worker thread loads it without the TypeScript loader.
import { parentPort } from "node:worker_threads";
import { Resvg } from "@resvg/resvg-js";

parentPort.on("message", ({ id, svg, options }) => {
  try {
    parentPort.postMessage({ id, png: new Resvg(svg, options).render().asPng() });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.message ?? e) });
  }
});
