// Every push failure a user can cause is one message and a stable exit code: 2 usage or settings,
// 1 invalid local input (or objects Grafana refused), 3 remote or I/O. Stacks only with --debug.
import { spawn } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BuildError, EXIT, UserError } from "../../src/errors.js";
import { main, type CliContext } from "../../src/push/cli.js";
import { GrafanaDouble } from "../fixtures/grafana-double.js";
import { sampleFiles, writeTree } from "../fixtures/push-tree/sampleTree.js";

const TOKEN = "glsa_ExitCodeT0ken_never_printed";
let dir: string;
let grafana: GrafanaDouble;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "push-exit-"));
  await writeTree(dir, sampleFiles());
  grafana = await GrafanaDouble.start({ token: TOKEN });
});

afterEach(async () => {
  await grafana.close();
  await rm(dir, { recursive: true, force: true });
});

async function push(argv: string[], more: Partial<CliContext> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main({
    argv,
    env: { GRAFANA_URL: grafana.url, GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: "l", GRAFANA_WEBHOOK_PASSWORD: "w" },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    client: { backoffBaseMs: 10, backoffCapMs: 50 },
    ...more,
  });
  return { code, stdout, stderr, firstLine: stderr.split("\n")[0] };
}

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe("usage and settings: exit 2, before any request", () => {
  const cases: [string[], RegExp][] = [
    [["--timeout", "abc"], /^push: --timeout must be a number of seconds above 0 and at most 86400, got "abc"$/],
    // setTimeout cannot wait that long: it would fire at once and every request would "time out".
    [["--timeout", "100000"], /^push: --timeout must be .* got "100000"$/],
    [["--deadline", "0"], /^push: --deadline must be a positive number of seconds, got "0"$/],
    [["--deadline", "Infinity"], /^push: --deadline must be a positive number of seconds, got "Infinity"$/],
    [["--retries", "-1"], /^push: --retries must be an integer ≥ 0, got "-1"$/],
    [["--bogus"], /^push: unknown option --bogus$/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(" "), async () => {
      const r = await push(["--dir", dir, ...argv]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.firstLine).toMatch(message);
      expect(grafana.requests).toEqual([]);
    });
  }

  it("--dir naming no build tree", async () => {
    const missing = join(dir, "buidl");
    const r = await push(["--dir", missing]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toBe(`push: ${missing}: no grafana/provisioning/ tree found (run npm run build first)\n`);
    expect(grafana.requests).toEqual([]);
  });
});

it("--dir naming a file, not a directory: exit 2", async () => {
  const file = join(dir, "build.txt");
  await writeFile(file, "not a build");
  const r = await push(["--dir", file]);
  expect(r.code).toBe(EXIT.usage);
  expect(r.stderr).toBe(`push: ${file}: no grafana/provisioning/ tree found (run npm run build first)\n`);
});

describe("invalid local input: exit 1 naming the file, before any request", () => {
  it("a dashboard file that is not JSON", async () => {
    const file = "grafana/provisioning/dashboards/services/api.json";
    await writeFile(join(dir, file), "{ not json");
    const r = await push(["--dir", dir]);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toMatch(new RegExp(`^push: ${file.replace(/\./g, "\\.")}: `));
    noStack(r.stderr);
    expect(grafana.requests).toEqual([]);
  });

  it("a build file with bytes that are not UTF-8, naming the byte offset", async () => {
    const file = "grafana/provisioning/dashboards/services/api.json";
    await writeFile(join(dir, file), Buffer.concat([Buffer.from('{"uid":"api","title":"A'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    const r = await push(["--dir", dir]);
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toBe(`push: ${file}: not valid UTF-8 at byte 23\n`);
    expect(grafana.requests).toEqual([]);
  });

  it("--env whose build fails: the build's problems, exit 1", async () => {
    const r = await push(["--env", "prod"], {
      buildForEnv: async () => {
        throw new BuildError([{ code: "duplicate-uid", message: "uid used twice", file: "dashboards/a.ts", dashboardUid: "a" }]);
      },
    });
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toContain('push: the build for --env prod failed:\nerror[duplicate-uid] dashboards/a.ts › dashboard "a": uid used twice');
    noStack(r.stderr);
    expect(grafana.requests).toEqual([]);
  });

  it("--env whose build reports a user error keeps that error's exit code", async () => {
    const r = await push(["--env", "nope"], {
      buildForEnv: async () => {
        throw new UserError('unknown environment "nope"', EXIT.usage);
      },
    });
    expect(r.code).toBe(EXIT.usage);
    expect(r.stderr).toBe('push: unknown environment "nope"\n');
  });
});

describe("I/O and remote: exit 3", () => {
  it("a build file that cannot be read names it", async () => {
    const link = join(dir, "grafana/provisioning/dashboards/services/gone.json");
    await symlink(join(dir, "nowhere.json"), link);
    const r = await push(["--dir", dir]);
    expect(r.code).toBe(EXIT.io);
    expect(r.stderr).toMatch(/^push: could not read the build: ENOENT: .*gone\.json/);
    noStack(r.stderr);
    expect(grafana.requests).toEqual([]);
  });

  it("--format json gives the same message and code as JSON", async () => {
    grafana.inject("GET", "/api/health", { type: "raw", status: 200, contentType: "text/html", body: "<html>portal</html>" }, 1);
    const r = await push(["--dir", dir, "--format", "json"]);
    expect(r.code).toBe(EXIT.io);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      exitCode: 3,
      error: `Grafana at ${grafana.url} does not answer as Grafana: GET /api/health answered 200 text/html, not JSON: "<html>portal</html>". Nothing was written.`,
    });
  });
});

describe("unexpected failures: one line, the stack only with --debug", () => {
  const boom = async (): Promise<never> => {
    throw new TypeError("boom in the pipeline");
  };
  it("without --debug", async () => {
    const r = await push(["--env", "prod"], { buildForEnv: boom });
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toBe("push: unexpected failure: boom in the pipeline (--debug shows the stack)\n");
  });
  it("with --debug", async () => {
    const r = await push(["--env", "prod", "--debug"], { buildForEnv: boom });
    expect(r.code).toBe(EXIT.invalid);
    expect(r.stderr).toMatch(/^push: unexpected failure: boom in the pipeline\nTypeError: boom in the pipeline\n\s+at /);
  });
  it("--debug also shows the stack of a remote failure, which is otherwise one line", async () => {
    grafana.inject("GET", "/api/search", { type: "raw", status: 200, contentType: "text/html", body: "<html/>" }, 1);
    const plain = await push(["--dir", dir]);
    expect(plain.stderr.trim().split("\n")).toHaveLength(1);
    grafana.inject("GET", "/api/search", { type: "raw", status: 200, contentType: "text/html", body: "<html/>" }, 1);
    const debug = await push(["--dir", dir, "--debug"]);
    expect(debug.code).toBe(EXIT.io);
    expect(debug.stderr).toMatch(/^push: GET \/api\/search\S* answered 200 text\/html, not JSON: "<html\/>"\. Nothing was written\.\nResponseError: .*\n\s+at /);
  });
});

describe("the script", () => {
  it("a server that never answers: the process exits 3 with one line and no stack", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((sock) => sockets.push(sock));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const run = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/push.ts", "--dir", dir, "--timeout", "0.3", "--retries", "0"], {
          cwd: join(__dirname, "../.."),
          env: { PATH: process.env.PATH ?? "", GRAFANA_URL: `http://127.0.0.1:${port}`, GRAFANA_TOKEN: TOKEN, GRAFANA_LOKI_PASSWORD: "l", GRAFANA_WEBHOOK_PASSWORD: "w" },
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (code) => resolve({ code: code ?? -1, out, err }));
      });
      expect(run.code).toBe(EXIT.io);
      expect(run.out).toBe("");
      expect(run.err).toBe(
        `push: Grafana at http://127.0.0.1:${port} is not reachable: GET /api/health: no complete answer within 300 ms (--timeout). Nothing was written.\n`,
      );
    } finally {
      sockets.forEach((sock) => sock.destroy());
      await new Promise((r) => silent.close(r));
    }
  }, 30_000);
});
