// Property: whatever JSON an endpoint the push reads answers with, the push either goes on (the
// answer had the endpoint's shape) or stops with exit 3 and one message naming that endpoint;
// never an uncaught exception, never a crash message. Fixed seed, small budget: seconds in npm test.
import fc from "fast-check";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/push/cli.js";
import { GrafanaDouble } from "../fixtures/grafana-double.js";
import { sampleFiles, writeTree } from "../fixtures/push-tree/sampleTree.js";

const TOKEN = "glsa_PropertyT0ken_never_printed";
const RUNS = Number(process.env.PUSH_FUZZ_RUNS ?? 8);

let dir: string;
let grafana: GrafanaDouble;

async function push(): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv: ["--dir", dir, "--prune", "--retries", "0", "--timeout", "5"],
    env: { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: "l", GRAFANA_WEBHOOK_PASSWORD: "w" },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "push-property-"));
  await writeTree(dir, sampleFiles());
  grafana = await GrafanaDouble.start({ token: TOKEN });
  // Everything exists, so every per-object read below is made on each push.
  expect((await push()).code).toBe(0);
});

afterAll(async () => {
  await grafana?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const isList = (v: unknown) => Array.isArray(v);
const isObject = (v: unknown) => !!v && typeof v === "object" && !Array.isArray(v);

// Endpoint (as the double matches it), what the message names, and what an answer must at least be.
const ENDPOINTS: { path: string; named: string; must: (v: unknown) => boolean }[] = [
  { path: "/api/health", named: "GET /api/health", must: isObject },
  { path: "/api/folders", named: "GET /api/folders?limit=1", must: isList },
  { path: "/api/search", named: "GET /api/search?type=", must: isList },
  { path: "/api/folders/services", named: "GET /api/folders/services", must: isObject },
  { path: "/api/datasources/uid/prometheus", named: "GET /api/datasources/uid/prometheus", must: isObject },
  { path: "/api/datasources", named: "GET /api/datasources", must: isList },
  { path: "/api/dashboards/uid/api", named: "GET /api/dashboards/uid/api", must: isObject },
  { path: "/api/v1/provisioning/alert-rules", named: "GET /api/v1/provisioning/alert-rules", must: isList },
  { path: "/api/v1/provisioning/contact-points", named: "GET /api/v1/provisioning/contact-points", must: isList },
  { path: "/api/v1/provisioning/policies", named: "GET /api/v1/provisioning/policies", must: isObject },
];

// Keys Grafana's answers use, so that generated objects come near the real shapes, not only noise.
const key = fc.constantFrom(
  "uid", "title", "name", "type", "folderUid", "folderUID", "ruleGroup", "tags", "settings", "rules",
  "dashboard", "meta", "database", "receiver", "jsonData", "version", "data", "annotations", "message",
);
const nearObject = fc.dictionary(key, fc.oneof(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 8 });
const answer = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nearObject,
  fc.array(nearObject, { maxLength: 3 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
);

describe("any JSON from any endpoint the push reads", () => {
  for (const e of ENDPOINTS) {
    it(`${e.path}: goes on, or exit 3 naming it`, async () => {
      await fc.assert(
        fc.asyncProperty(answer, async (value) => {
          grafana.clearFaults();
          grafana.inject("GET", e.path, { type: "raw", status: 200, contentType: "application/json", body: JSON.stringify(value) }, 1);
          const r = await push();
          // A read the push abandoned may still reach the server after it exited (it was on the
          // wire): wait until the server is quiet, so that it cannot take the next run's fault.
          for (let seen = -1; seen !== grafana.requests.length || grafana.inFlight > 0; ) {
            seen = grafana.requests.length;
            await new Promise((res) => setTimeout(res, 30));
          }
          const all = r.stdout + r.stderr;
          expect(all).not.toMatch(/unexpected failure|Spread syntax|is not iterable|Cannot read properties|\n\s+at /);
          expect([0, 1, 3]).toContain(r.code);
          if (!e.must(value)) expect(r.code, all).toBe(3);
          if (r.code === 3) {
            expect(r.stderr.trim().split("\n"), all).toHaveLength(1);
            expect(r.stderr).toContain(e.named);
            expect(r.stderr).toMatch(/answered 200 application\/json, not the expected shape \(/);
          }
        }),
        { seed: 20261201, numRuns: RUNS, endOnFailure: true },
      );
      grafana.clearFaults();
    }, 120_000);
  }
});
