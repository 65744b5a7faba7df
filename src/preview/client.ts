// Read-only Prometheus HTTP API client (POST /api/v1/query and /api/v1/query_range, as Grafana's
// datasource sends them), with the datasource's authentication. Response bodies are checked for
// shape before use; a server error names the endpoint and says what the server said.
import { EXIT, UserError } from "../errors.js";

export interface RawSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as text] pairs. */
  values: [number, string][];
}

export interface QueryClient {
  range(expr: string, start: number, end: number, step: number): Promise<RawSeries[]>;
  instant(expr: string, time: number): Promise<RawSeries[]>;
}

export interface PrometheusAuth {
  /** Basic auth user; the password is read from the environment variable `passwordEnv`. */
  user?: string;
  passwordEnv?: string;
  /** Environment variable holding a bearer token (sent as Authorization). */
  tokenEnv?: string;
}

const TIMEOUT_MS = 30_000;
/** Requests in flight at once: every panel of every dashboard is queried together, the server is not flooded. */
export const MAX_IN_FLIGHT = 6;

export function prometheusClient(baseUrl: string, auth: PrometheusAuth = {}, maxInFlight = MAX_IN_FLIGHT): QueryClient {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new UserError(`--prometheus-url ${JSON.stringify(baseUrl)} is not a URL`, EXIT.usage);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UserError(`--prometheus-url must be http(s), got ${url.protocol}`, EXIT.usage);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...authHeader(auth, "Prometheus") };
  const base = url.href.replace(/\/+$/, "");
  const slot = semaphore(maxInFlight);
  const call = (path: string, params: Record<string, string>) => slot(() => request(path, params));
  const request = async (path: string, params: Record<string, string>) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method: "POST", headers, body: new URLSearchParams(params).toString(), signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (e) {
      throw new UserError(`Prometheus ${base}${path}: ${(e as Error).message}`, EXIT.io);
    }
    return parseResponse(await res.text(), res.status, `${base}${path}`);
  };
  return {
    range: (expr, start, end, step) => call("/api/v1/query_range", { query: expr, start: String(start), end: String(end), step: String(step) }),
    instant: (expr, time) => call("/api/v1/query", { query: expr, time: String(time) }),
  };
}

/** The Authorization header a datasource's auth gives (none without); the secret comes from the environment. */
export function authHeader(auth: PrometheusAuth, what: string): Record<string, string> {
  if (auth.user && auth.passwordEnv) {
    const password = process.env[auth.passwordEnv];
    if (password === undefined) throw new UserError(`${what} basic auth: environment variable ${auth.passwordEnv} is not set`, EXIT.usage);
    if (!auth.tokenEnv) return { authorization: `Basic ${Buffer.from(`${auth.user}:${password}`).toString("base64")}` };
  }
  if (auth.tokenEnv) {
    const token = process.env[auth.tokenEnv];
    if (token === undefined) throw new UserError(`${what} token: environment variable ${auth.tokenEnv} is not set`, EXIT.usage);
    return { authorization: token.startsWith("Bearer ") ? token : `Bearer ${token}` };
  }
  return {};
}

/** A query API response → series; anything else → an error quoting the server (shortened). */
export function parseResponse(body: string, status: number, where: string): RawSeries[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`${where} answered HTTP ${status} with a body that is not JSON: ${body.slice(0, 200)}`);
  }
  const j = json as { status?: unknown; error?: unknown; data?: { resultType?: unknown; result?: unknown } };
  if (!j || typeof j !== "object") throw new Error(`${where} answered HTTP ${status} with JSON that is not an object`);
  if (j.status !== "success") throw new Error(typeof j.error === "string" ? j.error : `${where} answered HTTP ${status}`);
  const { resultType, result } = j.data ?? {};
  if (resultType === "scalar" && Array.isArray(result)) return [{ metric: {}, values: [[Number(result[0]), String(result[1])]] }];
  if (!Array.isArray(result)) throw new Error(`${where}: data.result is not a list`);
  return result.map((r, i) => {
    const s = r as { metric?: unknown; values?: unknown; value?: unknown };
    if (!s || typeof s.metric !== "object" || s.metric === null) throw new Error(`${where}: result ${i} has no metric object`);
    const metric = Object.fromEntries(Object.entries(s.metric as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Record<string, string>;
    const raw = resultType === "matrix" ? s.values : [s.value];
    if (!Array.isArray(raw)) throw new Error(`${where}: result ${i} has no values`);
    const values = raw.filter((p): p is [number, string] => Array.isArray(p) && p.length === 2 && typeof p[0] === "number" && typeof p[1] === "string");
    return { metric, values };
  });
}

/** Runs at most `n` of the given tasks at a time, the others in the order they came. */
export function semaphore(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active < n) active++;
    else await new Promise<void>((r) => queue.push(r)); // a finishing task hands its slot over
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else active--;
    }
  };
}
