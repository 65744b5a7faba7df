// Reads the exposition to verify: a file, or a URL (fetched only when one is given). Failures are
// UserErrors naming the file or endpoint.
import { readFileSync, statSync } from "node:fs";
import { EXIT, UserError } from "../errors.js";
import { MAX_EXPOSITION_BYTES } from "./exposition.js";

const TIMEOUT_MS = 10_000;

export async function readSource(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) return fetchExposition(source);
  let size: number;
  try {
    size = statSync(source).size;
  } catch (e) {
    throw new UserError(`${source}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, EXIT.io, source);
  }
  if (size > MAX_EXPOSITION_BYTES) throw new UserError(`${source}: ${size} bytes, larger than ${MAX_EXPOSITION_BYTES}; not a /metrics page`, EXIT.invalid, source);
  try {
    return readFileSync(source, "utf8");
  } catch (e) {
    throw new UserError(`${source}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, EXIT.io, source);
  }
}

async function fetchExposition(url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { accept: "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5" },
      redirect: "error",
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    throw new UserError(`${url}: no answer (${cause})`, EXIT.io, url);
  }
  if (!res.ok) throw new UserError(`${url}: HTTP ${res.status}`, EXIT.io, url);
  // Read at most the limit, so an endless body cannot exhaust memory.
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > MAX_EXPOSITION_BYTES) {
        await reader.cancel();
        throw new UserError(`${url}: body larger than ${MAX_EXPOSITION_BYTES} bytes; not a /metrics page`, EXIT.invalid, url);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks).toString("utf8");
}
