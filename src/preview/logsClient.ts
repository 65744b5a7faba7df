// Read-only Loki and Tempo HTTP API clients for the preview's logs and traces panels, as Grafana's
// datasources call them: GET /loki/api/v1/query_range (streams) and GET /api/search (TraceQL).
// Bodies are untrusted: checked with zod before use; a failure names the endpoint and what was wrong.
import { z } from "zod";
import { EXIT, UserError } from "../errors.js";
import { authHeader, MAX_IN_FLIGHT, semaphore, type PrometheusAuth } from "./client.js";
import type { LogLine, TraceRow } from "./model.js";

const TIMEOUT_MS = 30_000;

export interface LokiClient {
  queryRange(query: string, startNs: string, endNs: string, limit: number): Promise<LogLine[]>;
}

export interface TempoClient {
  search(q: string, startS: number, endS: number, limit: number): Promise<TraceRow[]>;
}

const nsText = z.string().regex(/^(0|[1-9]\d{0,19})$/, "expected unix nanoseconds as a decimal string");

const lokiStreams = z.object({
  status: z.literal("success"),
  data: z.object({
    resultType: z.literal("streams"),
    result: z.array(z.object({ stream: z.record(z.string()), values: z.array(z.tuple([nsText, z.string()])) })),
  }),
});

const tempoSearch = z.object({
  traces: z
    .array(
      z.object({
        traceID: z.string().regex(/^[0-9a-fA-F]{1,32}$/, "expected a hex trace id"),
        rootServiceName: z.string().optional(),
        rootTraceName: z.string().optional(),
        startTimeUnixNano: nsText,
        durationMs: z.number().nonnegative().optional(),
      }),
    )
    .default([]),
});

function baseUrl(raw: string, option: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`${option} ${JSON.stringify(raw)} is not a URL`, EXIT.usage);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UserError(`${option} must be http(s), got ${url.protocol}`, EXIT.usage);
  return url.href.replace(/\/+$/, "");
}

/** GET `path` with `params`; the body parsed as JSON and checked against `schema`. */
function getter(base: string, auth: PrometheusAuth, what: string) {
  const headers = { accept: "application/json", ...authHeader(auth, what) };
  const slot = semaphore(MAX_IN_FLIGHT);
  return <T>(path: string, params: Record<string, string>, schema: z.ZodType<T, z.ZodTypeDef, unknown>, expected: string) =>
    slot(async () => {
      const where = `${what} ${base}${path}`;
      let res: Response;
      try {
        res = await fetch(`${base}${path}?${new URLSearchParams(params)}`, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
      } catch (e) {
        throw new Error(`${where}: ${(e as Error).message}`);
      }
      const body = await res.text();
      // Loki and Tempo answer errors in plain text (a LogQL/TraceQL parse error, an auth failure).
      if (res.status !== 200) throw new Error(`${where} answered HTTP ${res.status}: ${body.trim().split("\n")[0].slice(0, 200)}`);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new Error(`${where} answered with a body that is not JSON: ${body.slice(0, 120)}`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${where} answered with ${expected}: ${issue.path.join(".") || "(body)"}: ${issue.message}`);
      }
      return parsed.data;
    });
}

export function lokiClient(url: string, auth: PrometheusAuth = {}): LokiClient {
  const get = getter(baseUrl(url, "--loki-url"), auth, "Loki");
  return {
    queryRange: async (query, startNs, endNs, limit) => {
      const params = { query, start: startNs, end: endNs, limit: String(limit), direction: "backward" };
      const body = await get("/loki/api/v1/query_range", params, lokiStreams, "something that is not a streams result");
      return body.data.result.flatMap((s) => s.values.map(([ns, line]) => ({ ns, line, labels: s.stream })));
    },
  };
}

export function tempoClient(url: string, auth: PrometheusAuth = {}): TempoClient {
  const get = getter(baseUrl(url, "--tempo-url"), auth, "Tempo");
  return {
    search: async (q, startS, endS, limit) => {
      const params = { q, start: String(startS), end: String(endS), limit: String(limit) };
      const body = await get("/api/search", params, tempoSearch, "something that is not a search result");
      return body.traces.map((t) => ({ traceId: t.traceID, rootServiceName: t.rootServiceName, rootTraceName: t.rootTraceName, startNs: t.startTimeUnixNano, durationMs: t.durationMs }));
    },
  };
}

/** Newest first; equal timestamps by line then labels, so a render never depends on the server's order. */
export function compareNewestFirst(a: { ns: string }, b: { ns: string }): number {
  if (a.ns.length !== b.ns.length) return b.ns.length - a.ns.length;
  return a.ns < b.ns ? 1 : a.ns > b.ns ? -1 : 0;
}
