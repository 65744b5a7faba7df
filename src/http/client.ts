// A small HTTP API client shared by the push and the ruler sync: auth, extra headers (Grafana's
// organisation, a ruler's tenant), TLS choice, a per-request timeout that covers the whole answer
// (headers and body), a deadline for the whole run, bounded concurrency, and retries with capped
// exponential backoff and jitter for what is worth retrying (5xx, 429 honouring Retry-After,
// connection resets, timeouts). Other 4xx are returned at once. Every 2xx body is checked against
// the endpoint's schema before anyone reads it. Bodies are JSON (Grafana) or YAML (rulers).
// Credentials live only in the request headers; no error or log line built here contains them.
import http from "node:http";
import https from "node:https";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { describeIssue, escapeControls, isJsonType, ResponseError, snippet, type Schema } from "./answers.js";
import { makeRedactor } from "./redact.js";
import { parseRetryAfter, RETRY_CODES, Semaphore } from "./retry.js";

export type Auth = { token: string } | { user: string; password: string } | { none: true };

export interface ClientOptions {
  url: string;
  auth: Auth;
  /** Sent with every authenticated request (an organisation or tenant header). */
  headers?: Record<string, string>;
  /**
   * json: every answer below 500 with a body is JSON (Grafana). yaml: bodies sent as YAML, 2xx
   * answers are YAML or JSON, errors may be plain text (Mimir's and Loki's rulers).
   */
  format?: "json" | "yaml";
  /** The server's kind, in messages ("a login page or proxy in front of Grafana?"). */
  serverName?: string;
  insecure?: boolean;
  /** Longest one request may take, from connecting to the last byte of the body. */
  timeoutMs: number;
  /** Longest the whole run may take; no request starts, and none is retried, past it. */
  deadlineMs?: number;
  retries: number;
  concurrency: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Largest answer read (default 256 MiB); a longer one stops the run. */
  maxBodyBytes?: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  retryAfterCapMs?: number;
  onRetry?: (r: { method: string; path: string; attempt: number; delayMs: number; reason: string }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON (or YAML), or undefined when the body is empty or neither. */
  body: T;
  text: string;
  /** Set when the body was not empty and did not parse as its type says. */
  invalidJson?: string;
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

/** Thrown instead of sending anything once the run was stopped (stop()): the server cannot be trusted. */
export class NotAttempted extends Error {
  constructor() {
    super("not attempted: the push stopped");
    this.name = "NotAttempted";
  }
}

class TimeoutError extends Error {
  code = "ETIMEDOUT_PUSH";
}

export class HttpClient {
  readonly base: URL;
  private readonly agent: http.Agent;
  private readonly sem: Semaphore;
  private readonly authHeader: string | undefined;
  readonly stats = { requests: 0, writes: 0, retries: 0 };
  /** Set when the server answered 401: the credentials stopped working mid-run. */
  unauthorized = false;
  private readonly deadlineAt: number;
  private stopped = false;
  /** Masks the credentials in anything quoted from the server (which may echo the request). */
  readonly redact: (s: string) => string;

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
    const a = o.auth;
    const basic = "user" in a ? Buffer.from(`${a.user}:${a.password}`).toString("base64") : "";
    this.authHeader = "token" in a ? `Bearer ${a.token}` : "user" in a ? `Basic ${basic}` : undefined;
    this.redact = makeRedactor("token" in a ? [a.token] : "user" in a ? [a.password, basic] : []);
    this.deadlineAt = Date.now() + (o.deadlineMs ?? Number.POSITIVE_INFINITY);
  }

  /** The server's address for display: scheme, host and path, never credentials. */
  get displayUrl(): string {
    return `${this.base.protocol}//${this.base.host}${this.base.pathname.replace(/\/$/, "")}`;
  }

  /** No request is sent after this; those waiting for a slot fail with NotAttempted. */
  stop(): void {
    this.stopped = true;
  }

  close(): void {
    // Requests still waiting for a slot (siblings of one that failed) must not go out afterwards.
    this.stopped = true;
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
   * status; rejects with NetworkError when the connection kept failing, and with ResponseError when
   * the answer is not Grafana's (see check()), which also stops the client.
   */
  async request<T = unknown>(
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string>; auth?: boolean; schema?: Schema } = {},
  ): Promise<ApiResponse<T>> {
    const url = new URL(path.replace(/^\//, ""), this.base);
    const yaml = this.o.format === "yaml";
    const payload = opts.body === undefined ? undefined : yaml ? (typeof opts.body === "string" ? opts.body : toYaml(opts.body)) : JSON.stringify(opts.body);
    const headers: Record<string, string> = { Accept: yaml ? "application/yaml, application/json" : "application/json", ...opts.headers };
    if (payload !== undefined) headers["Content-Type"] = yaml ? "application/yaml" : "application/json";
    if (opts.auth !== false) {
      if (this.authHeader) headers.Authorization = this.authHeader;
      Object.assign(headers, this.o.headers);
    }
    const shown = url.pathname + url.search;
    const pastDeadline = (why: string) =>
      new NetworkError(method, shown, `${why}: the push's deadline of ${this.o.deadlineMs! / 1000} s (--deadline) has passed`);
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      let delay: number | undefined;
      let cutByDeadline = false;
      const release = await this.sem.acquire();
      try {
        if (this.unauthorized && opts.auth !== false) throw new CredentialsRejected();
        if (this.stopped) throw new NotAttempted();
        const left = this.deadlineAt - Date.now();
        if (left <= 0) throw pastDeadline(attempt ? `gave up after ${attempt} attempts` : "not sent");
        this.stats.requests++;
        if (method !== "GET" && method !== "HEAD") this.stats.writes++;
        cutByDeadline = left < this.o.timeoutMs;
        const res = await this.once(method, url, headers, payload, Math.min(this.o.timeoutMs, left));
        if (res.status === 401) this.unauthorized = true;
        const retryable = res.status >= 500 || res.status === 429;
        if (!retryable || attempt >= this.o.retries) {
          // Checked before the connection slot is released, so that no queued request goes out
          // after an answer that shows the server is not Grafana.
          this.check(method, shown, res, opts.schema);
          return res as ApiResponse<T>;
        }
        reason = `${res.status}`;
        if (res.status === 429) {
          const ra = parseRetryAfter(res.headers["retry-after"]);
          if (ra !== undefined) delay = Math.min(ra, this.o.retryAfterCapMs ?? 60_000);
        }
      } catch (e) {
        if (e instanceof ResponseError) this.stopped = true;
        if (e instanceof CredentialsRejected || e instanceof NetworkError || e instanceof NotAttempted || e instanceof ResponseError) throw e;
        const code = (e as NodeJS.ErrnoException).code ?? "";
        if (e instanceof TimeoutError && cutByDeadline) throw pastDeadline(`no complete answer (attempt ${attempt + 1})`);
        const msg = e instanceof TimeoutError ? e.message : code || (e as Error).message;
        const retryable = RETRY_CODES.has(code) || /socket hang up/i.test((e as Error).message);
        if (!retryable || attempt >= this.o.retries) {
          throw new NetworkError(method, shown, msg + (attempt ? ` (after ${attempt + 1} attempts)` : ""));
        }
        reason = msg;
      } finally {
        release();
      }
      delay ??= this.backoff(attempt);
      if (Date.now() + delay >= this.deadlineAt) throw pastDeadline(`${reason} (after ${attempt + 1} attempts)`);
      this.stats.retries++;
      this.o.onRetry?.({ method, path: url.pathname, attempt: attempt + 1, delayMs: delay, reason });
      await this.sleep(delay);
    }
  }

  private once(method: string, url: URL, headers: Record<string, string>, payload: string | undefined, timeoutMs: number): Promise<ApiResponse> {
    const mod = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        f();
      };
      const req = mod.request(
        url,
        {
          method,
          agent: this.agent,
          headers: payload === undefined ? headers : { ...headers, "Content-Length": String(Buffer.byteLength(payload)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          const max = this.o.maxBodyBytes ?? MAX_BODY_BYTES;
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size <= max) return void chunks.push(c);
            const type = headerValue(res.headers["content-type"]);
            settle(() =>
              reject(new ResponseError(`${method} ${url.pathname + url.search} answered ${res.statusCode}${type ? ` ${type.split(";")[0].trim()}` : ""}, a body larger than ${max} bytes`)),
            );
            req.destroy();
          });
          res.on("error", (e) => settle(() => reject(e)));
          res.on("aborted", () => settle(() => reject(Object.assign(new Error("response aborted"), { code: "ECONNRESET" }))));
          res.on("end", () =>
            settle(() => {
              const text = Buffer.concat(chunks).toString("utf8");
              let body: unknown;
              let invalidJson: string | undefined;
              const type = headerValue(res.headers["content-type"]);
              try {
                if (this.o.format === "yaml" && !isJsonType(type)) body = text.trim() && isYamlType(type) ? parseYaml(text) : undefined;
                else body = text.trim() ? JSON.parse(text) : undefined;
              } catch (e) {
                if (this.o.format === "yaml" && !isJsonType(type)) {
                  invalidJson = ((e as Error).message.split("\n")[0] ?? "").replace(/:.*$/, "");
                  return resolve({ status: res.statusCode ?? 0, headers: res.headers, body: undefined, text, invalidJson });
                }
                // Not the parser's message: it quotes a window of the body, where a credential the
                // redactor cannot recognise once cut in half may sit. The body is quoted, redacted, below.
                const m = /position (\d+)/.exec((e as Error).message);
                invalidJson = /end of JSON/i.test((e as Error).message) ? "it ends early" : m ? `at character ${m[1]}` : "";
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, invalidJson });
            }),
          );
        },
      );
      // One timer for the whole exchange: a server that sends headers and then stalls the body
      // times out like one that never answers.
      const timer = setTimeout(() => {
        settle(() => reject(new TimeoutError(`no complete answer within ${timeoutMs} ms (--timeout)`)));
        req.destroy();
      }, timeoutMs);
      req.on("error", (e) => settle(() => reject(e)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /**
   * Grafana's API answers JSON (or nothing) with every status below 500, and never redirects: a
   * 3xx, a body that is not JSON, or a 2xx body `schema` rejects is a ResponseError quoting
   * (redacted) what came back. 5xx bodies are left to the caller: proxies send HTML error pages.
   */
  private check(method: string, path: string, res: ApiResponse, schema: Schema | undefined): void {
    if (res.status >= 500) return;
    const type = headerValue(res.headers["content-type"]);
    const what = `${method} ${path} answered ${res.status}${type ? ` ${type.split(";")[0].trim()}` : ""}`;
    const quoted = () => (res.text ? `: ${snippet(this.redact(res.text))}` : " with an empty body");
    if (res.status >= 300 && res.status < 400) {
      const to = safeLocation(headerValue(res.headers.location), this.base);
      throw new ResponseError(`${what}, a redirect${to ? ` to ${this.redact(to)}` : ""} instead of an API answer (a login page or proxy in front of ${this.o.serverName ?? "Grafana"}?)`);
    }
    if (this.o.format === "yaml") {
      // Rulers answer errors as plain text; a success is YAML (or JSON for writes).
      if (res.status >= 200 && res.status < 300 && res.text.trim()) {
        if (!isJsonType(type) && !isYamlType(type)) throw new ResponseError(`${what}, not YAML or JSON${quoted()}`);
        if (res.invalidJson !== undefined) throw new ResponseError(`${what}, invalid ${isJsonType(type) ? "JSON" : "YAML"}${res.invalidJson && ` (${res.invalidJson})`}${quoted()}`);
      }
    } else if (res.text.trim()) {
      if (!isJsonType(type)) throw new ResponseError(`${what}, not JSON${quoted()}`);
      if (res.invalidJson !== undefined) throw new ResponseError(`${what}, invalid JSON${res.invalidJson && ` (${res.invalidJson})`}${quoted()}`);
    }
    if (tooDeep(res.body)) throw new ResponseError(`${what}, JSON nested deeper than ${MAX_DEPTH} levels${quoted()}`);
    if (schema && res.status >= 200 && res.status < 300) {
      const parsed = schema.safeParse(res.body);
      if (!parsed.success) throw new ResponseError(`${what}, not the expected shape (${escapeControls(this.redact(describeIssue(parsed.error)))})${quoted()}`);
    }
  }

  /**
   * JSON helper: a 2xx gives the body once `schema` accepts it, `allow` statuses give undefined,
   * an answer that is not Grafana's throws ResponseError, other statuses HttpError.
   */
  async json<T>(
    method: string,
    path: string,
    schema: Schema,
    opts: { body?: unknown; headers?: Record<string, string>; allow?: number[]; auth?: boolean } = {},
  ): Promise<{ status: number; body: T | undefined }> {
    const res = await this.request<T>(method, path, { ...opts, schema });
    if (opts.allow?.includes(res.status)) return { status: res.status, body: undefined };
    // The original body, not zod's copy: the engine compares every field, not only the checked ones.
    if (res.status >= 200 && res.status < 300) return { status: res.status, body: res.body };
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
  } else if (res.text.trim()) {
    // A plain-text error (a ruler's http.Error).
    message = res.text.slice(0, 200).trim();
  }
  return new HttpError(method, path, res.status, escapeControls(message), status && escapeControls(status));
}

function isYamlType(contentType: string | undefined): boolean {
  return !!contentType && /^(application|text)\/(x-)?yaml\s*(;|$)/i.test(contentType.trim());
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Where a redirect points, without its query (which may carry a login state or a token). */
function safeLocation(location: string | undefined, base: URL): string | undefined {
  if (!location) return undefined;
  try {
    const u = new URL(location, base);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return undefined;
  }
}

const MAX_BODY_BYTES = 256 * 1024 * 1024;
/** Far deeper than any dashboard; deeper input would overflow the stack of the recursive comparison. */
const MAX_DEPTH = 1000;

/** Whether a parsed JSON value nests deeper than MAX_DEPTH; iterative, so any depth is safe to ask. */
function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    if (depth >= MAX_DEPTH) return true;
    for (const child of Object.values(v)) if (child && typeof child === "object") stack.push([child, depth + 1]);
  }
  return false;
}
