// A small Grafana HTTP client: auth, org header, TLS choice, per-request timeout, bounded
// concurrency, and retries with capped exponential backoff and jitter for what is worth retrying
// (5xx, 429 honouring Retry-After, connection resets, timeouts). Other 4xx are returned at once.
// Credentials live only in the request headers; no error or log line built here contains them.
import http from "node:http";
import https from "node:https";

export type Auth = { token: string } | { user: string; password: string };

export interface ClientOptions {
  url: string;
  auth: Auth;
  orgId?: string;
  insecure?: boolean;
  timeoutMs: number;
  retries: number;
  concurrency: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  retryAfterCapMs?: number;
  onRetry?: (r: { method: string; path: string; attempt: number; delayMs: number; reason: string }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: T;
  text: string;
}

export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly serverMessage: string,
    readonly serverStatus?: string,
  ) {
    super(`${method} ${path}: ${status}${serverMessage ? ` ${serverMessage}` : ""}${serverStatus ? ` (${serverStatus})` : ""}`);
    this.name = "HttpError";
  }
}

export class NetworkError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${method} ${path}: ${reason}`);
    this.name = "NetworkError";
  }
}

/** Thrown instead of sending anything once the server has answered 401: the credentials stopped working. */
export class CredentialsRejected extends Error {
  constructor() {
    super("not attempted: credentials rejected (401)");
    this.name = "CredentialsRejected";
  }
}

class TimeoutError extends Error {
  code = "ETIMEDOUT_PUSH";
}

const RETRY_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ETIMEDOUT_PUSH",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
]);

export class Semaphore {
  private active = 0;
  private queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.queue.shift()?.();
    };
  }
}

export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class GrafanaClient {
  readonly base: URL;
  private readonly agent: http.Agent;
  private readonly sem: Semaphore;
  private readonly authHeader: string;
  readonly stats = { requests: 0, writes: 0, retries: 0 };
  /** Set when the server answered 401: the credentials stopped working mid-run. */
  unauthorized = false;

  constructor(private readonly o: ClientOptions) {
    this.base = new URL(o.url);
    // Credentials are never taken from the URL, and never echoed with it.
    this.base.username = "";
    this.base.password = "";
    if (!this.base.pathname.endsWith("/")) this.base.pathname += "/";
    const isHttps = this.base.protocol === "https:";
    this.agent = isHttps
      ? new https.Agent({ keepAlive: true, maxSockets: o.concurrency, rejectUnauthorized: !o.insecure })
      : new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
    this.sem = new Semaphore(o.concurrency);
    this.authHeader =
      "token" in o.auth
        ? `Bearer ${o.auth.token}`
        : `Basic ${Buffer.from(`${o.auth.user}:${o.auth.password}`).toString("base64")}`;
  }

  /** The server's address for display: scheme, host and path, never credentials. */
  get displayUrl(): string {
    return `${this.base.protocol}//${this.base.host}${this.base.pathname.replace(/\/$/, "")}`;
  }

  close(): void {
    this.agent.destroy();
  }

  private sleep(ms: number): Promise<void> {
    return this.o.sleep ? this.o.sleep(ms) : new Promise((r) => setTimeout(r, ms));
  }

  backoff(attempt: number): number {
    const base = this.o.backoffBaseMs ?? 250;
    const cap = this.o.backoffCapMs ?? 8000;
    const exp = Math.min(cap, base * 2 ** attempt);
    // "Equal jitter": at least half the step, so retries never bunch up at zero.
    return Math.round(exp / 2 + (this.o.random ?? Math.random)() * (exp / 2));
  }

  /**
   * Sends one request, retrying what is retryable. Resolves with the final response whatever its
   * status; rejects with NetworkError only when the connection kept failing.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
  ): Promise<ApiResponse<T>> {
    const url = new URL(path.replace(/^\//, ""), this.base);
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    if (opts.auth !== false) {
      headers.Authorization = this.authHeader;
      if (this.o.orgId) headers["X-Grafana-Org-Id"] = this.o.orgId;
    }
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      let delay: number | undefined;
      const release = await this.sem.acquire();
      try {
        if (this.unauthorized && opts.auth !== false) throw new CredentialsRejected();
        this.stats.requests++;
        if (method !== "GET" && method !== "HEAD") this.stats.writes++;
        const res = await this.once(method, url, headers, payload);
        if (res.status === 401) this.unauthorized = true;
        const retryable = res.status >= 500 || res.status === 429;
        if (!retryable || attempt >= this.o.retries) return res as ApiResponse<T>;
        reason = `${res.status}`;
        if (res.status === 429) {
          const ra = parseRetryAfter(res.headers["retry-after"]);
          if (ra !== undefined) delay = Math.min(ra, this.o.retryAfterCapMs ?? 60_000);
        }
      } catch (e) {
        if (e instanceof CredentialsRejected) throw e;
        const code = (e as NodeJS.ErrnoException).code ?? "";
        const msg = e instanceof TimeoutError ? `timed out after ${this.o.timeoutMs} ms` : code || (e as Error).message;
        const retryable = RETRY_CODES.has(code) || /socket hang up/i.test((e as Error).message);
        if (!retryable || attempt >= this.o.retries) {
          throw new NetworkError(method, url.pathname + url.search, msg + (attempt ? ` (after ${attempt + 1} attempts)` : ""));
        }
        reason = msg;
      } finally {
        release();
      }
      delay ??= this.backoff(attempt);
      this.stats.retries++;
      this.o.onRetry?.({ method, path: url.pathname, attempt: attempt + 1, delayMs: delay, reason });
      await this.sleep(delay);
    }
  }

  private once(method: string, url: URL, headers: Record<string, string>, payload?: string): Promise<ApiResponse> {
    const mod = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        url,
        {
          method,
          agent: this.agent,
          headers: payload === undefined ? headers : { ...headers, "Content-Length": String(Buffer.byteLength(payload)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("aborted", () => reject(Object.assign(new Error("response aborted"), { code: "ECONNRESET" })));
          res.on("end", () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              /* not JSON: keep the text */
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new TimeoutError("timeout")), this.o.timeoutMs);
      req.on("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** JSON helper: 2xx gives the body, `allow` statuses give undefined, anything else throws HttpError. */
  async json<T>(
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; allow?: number[]; auth?: boolean } = {},
  ): Promise<{ status: number; body: T | undefined }> {
    const res = await this.request<T>(method, path, opts);
    if (res.status >= 200 && res.status < 300) return { status: res.status, body: res.body };
    if (opts.allow?.includes(res.status)) return { status: res.status, body: undefined };
    throw toHttpError(method, path, res);
  }
}

export function toHttpError(method: string, path: string, res: ApiResponse): HttpError {
  const b = res.body as { message?: unknown; status?: unknown; error?: unknown } | string | undefined;
  let message = "";
  let status: string | undefined;
  if (b && typeof b === "object") {
    message = String(b.message ?? b.error ?? "");
    if (typeof b.status === "string") status = b.status;
  } else if (typeof b === "string") {
    message = b.slice(0, 200).trim();
  }
  return new HttpError(method, path, res.status, message, status);
}
