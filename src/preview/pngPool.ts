// PNGs of many dashboards at once: resvg is synchronous and takes most of a preview's time, so the
// batch command hands each SVG to a small pool of worker threads while the main thread goes on
// querying and drawing the next dashboards. The bytes are those of svgToPng (same options).
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { resvgOptions } from "./dashboard.js";

export interface PngPool {
  render(svg: string): Promise<Buffer>;
  /** Ends the workers (pending renders are rejected). */
  close(): Promise<void>;
}

export function startPngPool(size = Math.min(4, availableParallelism())): PngPool {
  const options = resvgOptions();
  const waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void; worker: Worker }>();
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    // No TypeScript loader in the workers: they run plain JavaScript, and each loader costs a thread.
    const w = new Worker(new URL("./pngWorker.mjs", import.meta.url), { execArgv: [] });
    w.on("message", (m: { id: number; png?: Uint8Array; error?: string }) => {
      const job = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.png) job?.resolve(Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength));
      else job?.reject(new Error(`PNG rendering failed: ${m.error}`));
    });
    w.on("error", (e) => failAll(w, e));
    w.on("exit", (code) => failAll(w, new Error(`PNG worker exited with code ${code}`)));
    return w;
  });
  const failAll = (w: Worker, e: Error) => {
    for (const [id, job] of waiting) if (job.worker === w) (waiting.delete(id), job.reject(e));
  };
  const load = new Map(workers.map((w) => [w, 0]));
  let next = 0;
  return {
    render: (svg) =>
      new Promise<Buffer>((resolve, reject) => {
        // The least busy worker: dashboards differ in size, so round-robin would queue behind a big one.
        const worker = [...load.entries()].sort((a, b) => a[1] - b[1])[0][0];
        const id = next++;
        load.set(worker, load.get(worker)! + 1);
        const done = () => load.set(worker, load.get(worker)! - 1);
        waiting.set(id, { resolve: (b) => (done(), resolve(b)), reject: (e) => (done(), reject(e)), worker });
        worker.postMessage({ id, svg, options });
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
