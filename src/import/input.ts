// Reading what is imported: a UI export ("Export → JSON", with or without __inputs), the
// `{ dashboard, meta }` envelope of GET /api/dashboards/uid/:uid, a provisioning-folder file, or a
// Kubernetes-style `{ kind: "Dashboard", spec }` resource. Problems are reported with the file name.
import { EXIT, type ExitCode, UserError } from "../errors.js";
import { lineColumn, locateJsonError } from "../model/jsonLocation.js";
import { UID_PATTERN } from "./uid.js";

/**
 * A problem with what is imported or how the command was called: one message naming the file (or URL),
 * exit 1 for invalid input, 2 for usage, 3 for a Grafana that cannot be reached or misbehaves.
 */
export class ImportError extends UserError {
  constructor(message: string, file?: string, exitCode: ExitCode = EXIT.invalid) {
    super(file ? `${file}: ${message}` : message, exitCode, file);
    this.name = "ImportError";
  }
}

/** Largest input read (dashboards with thousands of panels are a few MiB). */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/**
 * Deepest nesting of objects and arrays accepted. Real dashboards stay under 15 levels (dashboard,
 * panels, panel, fieldConfig, overrides, properties, value, …); the importer and the formatter recurse
 * per level, so without a bound a crafted file ends in a stack overflow instead of a message.
 */
export const MAX_DEPTH = 100;

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MiB`;
}

/** Refuses input over MAX_INPUT_BYTES; `size` in bytes. */
export function checkSize(size: number, file: string, exitCode: ExitCode = EXIT.invalid): void {
  if (size > MAX_INPUT_BYTES)
    throw new ImportError(
      `${mib(size)} (${size} bytes) is over the import limit of ${mib(MAX_INPUT_BYTES)}; not a dashboard export`,
      file,
      exitCode,
    );
}

/** The bytes of a file as text; bytes that are not UTF-8 are refused, naming the first one's offset. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const what =
      at < 0
        ? `the file ends inside a character (byte offset ${bytes.length})`
        : `byte 0x${bytes[at].toString(16).padStart(2, "0")} at byte offset ${at} does not start a valid UTF-8 character`;
    throw new ImportError(`not UTF-8: ${what}; Grafana exports dashboards as UTF-8`, file);
  }
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (a stray continuation
 * byte, or a lead byte whose sequence is broken); -1 when the bytes end inside a sequence.
 */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // Second byte ranges that exclude overlong forms, surrogates and code points above U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined) return -1;
      if (x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/**
 * Refuses JSON nested deeper than MAX_DEPTH, naming where (line, column, byte offset). A scan of the
 * text without recursion, before anything recursive sees it.
 */
export function checkDepth(text: string, file: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) {
        const { line, column } = lineColumn(text, i);
        const byte = Buffer.byteLength(text.slice(0, i), "utf8");
        throw new ImportError(
          `nesting deeper than ${MAX_DEPTH} levels at line ${line}, column ${column} (byte ${byte}); ` +
            `the import limit is ${MAX_DEPTH} levels of objects and arrays`,
          file,
        );
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

export interface ExportInput {
  name: string;
  type: string;
  pluginId?: string;
  value?: string;
}

export type InputFormat = "ui-export" | "api-envelope" | "dashboard-json" | "k8s-resource";

export interface DashboardInput {
  dashboard: Record<string, unknown>;
  format: InputFormat;
  /** `__inputs` of a UI export. */
  inputs: ExportInput[];
  file: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  checkSize(Buffer.byteLength(body, "utf8"), file);
  checkDepth(body, file);
  try {
    return JSON.parse(body);
  } catch {
    // JSON.parse's messages differ between Node versions and do not always say where; find it.
    const { offset, reason } = locateJsonError(body);
    const { line, column } = lineColumn(body, offset);
    throw new ImportError(`invalid JSON at line ${line}, column ${column}: ${reason}`, file);
  }
}

function looksLikeDashboard(v: Record<string, unknown>): boolean {
  return (
    Array.isArray(v.panels) ||
    Array.isArray(v.rows) ||
    (typeof v.schemaVersion === "number" && typeof v.title === "string") ||
    (typeof v.title === "string" && (isObject(v.templating) || isObject(v.annotations)))
  );
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a JSON array";
  if (!isObject(v)) return `a JSON ${v === null ? "null" : typeof v}`;
  const keys = Object.keys(v).slice(0, 6);
  return keys.length
    ? `an object with keys ${keys.join(", ")}${Object.keys(v).length > 6 ? ", …" : ""}`
    : "an empty object";
}

/** Finds the dashboard in any of the accepted shapes. */
export function readDashboard(value: unknown, file: string, opts: { uid?: string } = {}): DashboardInput {
  let dashboard: Record<string, unknown> | undefined;
  let format: InputFormat = "dashboard-json";
  if (isObject(value)) {
    if (isObject(value.dashboard) && (isObject(value.meta) || !looksLikeDashboard(value))) {
      dashboard = value.dashboard;
      format = "api-envelope";
    } else if (value.kind === "Dashboard" && isObject(value.spec)) {
      if (typeof value.apiVersion === "string" && /v2/.test(value.apiVersion))
        throw new ImportError(
          `${value.apiVersion} dashboards (schema v2) are not supported; export the classic JSON model instead`,
          file,
        );
      dashboard = { ...value.spec };
      const name = isObject(value.metadata) ? value.metadata.name : undefined;
      if (dashboard.uid === undefined && typeof name === "string") dashboard.uid = name;
      format = "k8s-resource";
    } else if (looksLikeDashboard(value)) {
      dashboard = value;
      if (Array.isArray(value.__inputs) || Array.isArray(value.__requires) || isObject(value.__elements))
        format = "ui-export";
    }
  }
  if (!dashboard || !looksLikeDashboard(dashboard))
    throw new ImportError(
      `not a Grafana dashboard: found ${describe(dashboard ?? value)}; expected a dashboard JSON model (with panels), ` +
        `a UI export or the {dashboard, meta} response of /api/dashboards/uid/<uid>`,
      file,
    );
  const copy = structuredClone(dashboard);
  if (opts.uid !== undefined) {
    if (!UID_PATTERN.test(opts.uid))
      throw new ImportError(`--uid ${JSON.stringify(opts.uid)}: a uid is 1-40 characters of [a-zA-Z0-9_-]`, undefined, EXIT.usage);
    copy.uid = opts.uid;
  }
  if (copy.uid === undefined || copy.uid === null || copy.uid === "") {
    // No uid: importDashboard derives one from the title (uid.ts).
    delete copy.uid;
  } else if (typeof copy.uid !== "string" || !UID_PATTERN.test(copy.uid))
    throw new ImportError(
      `uid ${typeof copy.uid === "string" ? JSON.stringify(copy.uid) : `(a JSON ${typeof copy.uid})`} is not 1-40 characters of ` +
        `[a-zA-Z0-9_-]; pass --uid <uid>`,
      file,
    );
  const inputs = (Array.isArray(copy.__inputs) ? copy.__inputs : []).filter(isObject).map((i) => ({
    name: String(i.name ?? ""),
    type: String(i.type ?? ""),
    pluginId: typeof i.pluginId === "string" ? i.pluginId : undefined,
    value: typeof i.value === "string" ? i.value : undefined,
  }));
  return { dashboard: copy, format, inputs, file };
}

export function parseDashboardText(text: string, file: string, opts: { uid?: string } = {}): DashboardInput {
  return readDashboard(parseJsonText(text, file), file, opts);
}

/** GET <grafanaUrl>/api/dashboards/uid/<uid> with a bearer token. */
export async function fetchDashboard(
  grafanaUrl: string,
  uid: string,
  token: string | undefined,
  opts: { overrideUid?: string; fetchImpl?: typeof fetch; timeoutMs?: number } = {},
): Promise<DashboardInput> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  // One deadline for the answer and its whole body: a Grafana that accepts and then stays silent fails.
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = (e: unknown) =>
    signal.aborted || (e as Error)?.name === "TimeoutError"
      ? new ImportError(`Grafana did not answer in full within ${timeoutMs / 1000} s (--timeout)`, url, EXIT.io)
      : undefined;
  const base = grafanaUrl.replace(/\/+$/, "");
  const url = `${base}/api/dashboards/uid/${encodeURIComponent(uid)}`;
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await (opts.fetchImpl ?? fetch)(url, { headers, signal });
  } catch (e) {
    const late = timedOut(e);
    if (late) throw late;
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    throw new ImportError(`cannot reach Grafana: ${cause ?? (e as Error).message}`, url, EXIT.io);
  }
  const length = Number(res.headers.get("content-length") ?? 0);
  if (length > MAX_INPUT_BYTES) {
    await res.body?.cancel();
    checkSize(length, url, EXIT.io);
  }
  let body: string;
  try {
    body = await res.text();
  } catch (e) {
    throw timedOut(e) ?? new ImportError(`the answer broke off: ${(e as Error).message}`, url, EXIT.io);
  }
  if (res.status === 401 || res.status === 403)
    throw new ImportError(
      `Grafana refused the request (${res.status} ${res.statusText || (res.status === 401 ? "Unauthorized" : "Forbidden")}); ` +
        (token
          ? "check that GRAFANA_TOKEN is valid and may read this dashboard"
          : "set GRAFANA_TOKEN to a service account token"),
      url,
      EXIT.io,
    );
  if (res.status === 404) throw new ImportError(`no dashboard with uid "${uid}" on ${base} (404)`, url, EXIT.usage);
  if (!res.ok)
    throw new ImportError(`Grafana answered ${res.status} ${res.statusText}: ${JSON.stringify(body.slice(0, 200))}`, url, EXIT.io);
  try {
    return readDashboard(parseJsonText(body, url), url, { uid: opts.overrideUid });
  } catch (e) {
    // What Grafana sent is not a dashboard: the server (or a proxy in front of it) misbehaves.
    if (e instanceof ImportError && e.exitCode === EXIT.invalid) throw new ImportError(e.message, undefined, EXIT.io);
    throw e;
  }
}
