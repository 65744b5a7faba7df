// The push's building blocks: Grafana's env expansion, durations, comparison, retry timing.
import { describe, expect, it } from "vitest";
import { formatDuration, parseDurationSeconds } from "../../src/push/duration.js";
import { createExpander, MissingEnvError } from "../../src/emit/grafanaEnv.js";
import { GrafanaClient, parseRetryAfter } from "../../src/push/http.js";
import { LoadError, parseBuild } from "../../src/push/load.js";
import { compare, normRuleGroup } from "../../src/push/normalize.js";
import { makeRedactor } from "../../src/push/report.js";
import { sampleFiles } from "../fixtures/push-tree/sampleTree.js";

describe("environment expansion (Grafana's rules)", () => {
  const expand = (s: string, env: Record<string, string> = { A: "alpha", B_2: "beta" }) => {
    const ex = createExpander(env);
    const out = ex.expand(s, "here");
    ex.check();
    return out;
  };
  it("expands $NAME, ${NAME} and $__env{NAME}", () => {
    expect(expand("x-$A-${B_2}-$__env{A}")).toBe("x-alpha-beta-alpha");
  });
  it("$$ is a literal $, and is never the start of a variable", () => {
    expect(expand("$${A} costs $$5 and $$A")).toBe("${A} costs $5 and $A");
  });
  it("a lone or trailing $ stays", () => {
    expect(expand("price: 5 $ or $")).toBe("price: 5 $ or $");
  });
  it("a missing variable is an error naming it and where it is used, never a value", () => {
    const ex = createExpander({ SECRET: "hunter2" });
    ex.expand("${SECRET}:${NOPE}", "datasources[0].secureJsonData.password");
    expect(() => ex.check()).toThrow(MissingEnvError);
    expect(() => ex.check()).toThrow(/NOPE \(used by datasources\[0\]\.secureJsonData\.password\)/);
    try {
      ex.check();
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2");
    }
  });
  it("remembers values substituted into secret fields", () => {
    const ex = createExpander({ P: "s3cret", U: "https://x" });
    ex.expand("$U", "url");
    ex.secret = true;
    ex.expand("$P", "password");
    expect([...ex.secretValues]).toEqual(["s3cret"]);
  });
});

describe("durations", () => {
  it("parses and prints like Prometheus", () => {
    expect(parseDurationSeconds("1h30m")).toBe(5400);
    expect(parseDurationSeconds("90s")).toBe(90);
    expect(parseDurationSeconds("0")).toBe(0);
    expect(formatDuration(90)).toBe("1m30s");
    expect(formatDuration(0)).toBe("0s");
    expect(() => parseDurationSeconds("5 minutes")).toThrow(/not a duration/);
  });
});

describe("loading the tree", () => {
  const env = { GRAFANA_LOKI_PASSWORD: "pw1", GRAFANA_WEBHOOK_PASSWORD: "pw2" };
  it("converts file-provisioning rule groups to the API's shape", () => {
    const s = parseBuild(sampleFiles(), env);
    const g = s.ruleGroups[0];
    expect(g).toMatchObject({ title: "api", folderUid: "services", interval: 60 });
    expect(g.rules[0]).toMatchObject({ uid: "api-errors", folderUID: "services", ruleGroup: "api", for: "5m", noDataState: "OK", execErrState: "Error" });
    // Grafana's file-provisioning defaults, made explicit.
    expect(g.rules[1]).toMatchObject({ noDataState: "NoData", execErrState: "Alerting", isPaused: false, for: "1m30s" });
    expect(s.secrets.sort()).toEqual(["pw1", "pw2"]);
    expect(s.folders.find((f) => f.uid === "llm")).toEqual({ uid: "llm", title: "LLM", parentUid: "ml" });
  });
  it("reports every problem at once", () => {
    const files = sampleFiles().map((f) =>
      f.path.endsWith("api.json") ? { ...f, content: "{ not json" } : f.path.endsWith("db.json") ? { ...f, content: '{"title":"no uid"}' } : f,
    );
    try {
      parseBuild(files, env);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LoadError);
      expect((e as LoadError).problems).toHaveLength(2);
    }
  });
});

describe("comparison", () => {
  it("treats Grafana-filled query defaults and equivalent durations as equal", () => {
    const rule = {
      uid: "r",
      title: "t",
      condition: "A",
      data: [{ refId: "A", relativeTimeRange: { from: 60, to: 0 }, datasourceUid: "p", model: { expr: "up" } }],
      for: "5m",
    };
    const live = {
      ...rule,
      id: 9,
      orgID: 1,
      updated: "2024-01-01",
      provenance: "api",
      for: "300s",
      noDataState: "NoData",
      execErrState: "Alerting",
      annotations: {},
      labels: {},
      data: [{ ...rule.data[0], queryType: "", model: { expr: "up", intervalMs: 1000, maxDataPoints: 43200 } }],
    };
    const g = (rules: object[]) => normRuleGroup({ title: "g", folderUid: "f", interval: 60, rules } as never);
    expect(compare(g([rule]), g([live]))).toEqual([]);
    expect(compare(g([rule]), g([{ ...live, for: "10m" }]))).toEqual(["rules[0].for"]);
  });
});

describe("client pieces", () => {
  it("reads Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(3000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
  it("backs off exponentially with jitter, capped", () => {
    const c = (r: number) =>
      new GrafanaClient({ url: "http://127.0.0.1:1", auth: { token: "t" }, timeoutMs: 1000, retries: 3, concurrency: 1, backoffBaseMs: 100, backoffCapMs: 1000, random: () => r });
    expect([0, 1, 2, 3, 6].map((a) => c(0).backoff(a))).toEqual([50, 100, 200, 400, 500]);
    expect([0, 1, 2, 3, 6].map((a) => c(1).backoff(a))).toEqual([100, 200, 400, 800, 1000]);
  });
  it("never shows credentials that were written into the URL", () => {
    const c = new GrafanaClient({ url: "https://admin:pw@grafana.example/sub", auth: { token: "t" }, timeoutMs: 1000, retries: 0, concurrency: 1 });
    expect(c.displayUrl).toBe("https://grafana.example/sub");
    c.close();
  });
  it("redacts secrets in their plain, URL-encoded and JSON-escaped forms", () => {
    const r = makeRedactor(['p@ss"word']);
    expect(r('a p@ss"word b p%40ss%22word c p@ss\\"word')).toBe("a *** b *** c ***");
  });
});

describe("reading build files as UTF-8", () => {
  it("firstInvalidUtf8 agrees with a strict decoder on any bytes, and points at the first bad one", async () => {
    const fc = (await import("fast-check")).default;
    const { firstInvalidUtf8 } = await import("../../src/push/load.js");
    const strict = (b: Uint8Array) => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(b);
        return true;
      } catch {
        return false;
      }
    };
    // Valid text with a few random bytes spliced in, so both outcomes are common.
    const bytes = fc
      .tuple(fc.string({ unit: "binary", maxLength: 12 }), fc.uint8Array({ maxLength: 4 }), fc.string({ unit: "binary", maxLength: 6 }))
      .map(([a, mid, c]) => new Uint8Array([...Buffer.from(a), ...mid, ...Buffer.from(c)]));
    fc.assert(
      fc.property(bytes, (b) => {
        const at = firstInvalidUtf8(b);
        expect(at === -1).toBe(strict(b));
        if (at >= 0) {
          expect(strict(b.subarray(0, at))).toBe(true);
          // No longer valid prefix ends inside the sequence that starts at `at`.
          for (let end = at + 1; end <= Math.min(b.length, at + 4); end++) expect(strict(b.subarray(0, end))).toBe(false);
        }
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});
