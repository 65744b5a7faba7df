// Every failure a user can cause: one line on stderr naming the file (and place), the documented exit
// code (1 invalid input, 2 usage, 3 I/O), nothing on stdout, nothing written, no stack unless --debug.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../src/import/index.js";
import { runImport } from "../fixtures/importCli.js";

let scratch: string;
const fixture = (name: string) => join(REPO_ROOT, "test/fixtures/import", name);

beforeAll(() => {
  scratch = mkdtempSync(join(REPO_ROOT, "import-errors.tmp-"));
  const put = (name: string, text: string) => writeFileSync(join(scratch, name), text);
  put("bad-uid.json", JSON.stringify({ uid: "no spaces!", title: "x", panels: [] }));
  put("number-uid.json", JSON.stringify({ uid: 42, title: "x", panels: [] }));
  put("v2.json", JSON.stringify({ apiVersion: "dashboard.grafana.app/v2beta1", kind: "Dashboard", spec: { title: "x" } }));
  put("empty.json", "");
  put("exists.ts", "// already here\n");
  put("a-file", "not a folder");
  mkdirSync(join(scratch, "folder.json"));
  mkdirSync(join(scratch, "folder.ts"));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const cli = (args: string[]) => runImport(args, { cwd: scratch });

// case, arguments, exit code, the message (whole first line)
const cases: [string, string[], number, RegExp][] = [
  ["invalid JSON", [fixture("invalid.json")], 1, /^import: .*invalid\.json: invalid JSON at line 4, column 43: unexpected ","$/],
  ["empty file", ["empty.json"], 1, /^import: empty\.json: invalid JSON at line 1, column 1: unexpected end of input$/],
  ["not a dashboard", [fixture("not-dashboard.json")], 1, /^import: .*not-dashboard\.json: not a Grafana dashboard: found an object with keys/],
  ["uid outside Grafana's charset", ["bad-uid.json"], 1, /^import: bad-uid\.json: uid "no spaces!" is not 1-40 characters of \[a-zA-Z0-9_-\]; pass --uid <uid>$/],
  ["uid that is not a string", ["number-uid.json"], 1, /^import: number-uid\.json: uid \(a JSON number\) is not 1-40 characters/],
  ["schema v2 resource", ["v2.json"], 1, /^import: v2\.json: dashboard\.grafana\.app\/v2beta1 dashboards \(schema v2\) are not supported/],
  ["missing file", ["missing.json"], 2, /^import: missing\.json: no such file$/],
  ["a directory", ["folder.json"], 2, /^import: folder\.json: is a directory; give a dashboard JSON file$/],
  ["bad --uid", [fixture("no-uid.json"), "--uid", "a b"], 2, /^import: --uid "a b": a uid is 1-40 characters of \[a-zA-Z0-9_-\]$/],
  ["unknown --folder", [fixture("no-uid.json"), "--folder", "nope"], 2, /^import: --folder "nope" is not in config\.folders \(/],
  ["--out not .ts", [fixture("no-uid.json"), "--out", "x.js"], 2, /^import: --out x\.js: with --exact, the definition file's name ends in \.ts$/],
  ["--out exists", [fixture("no-uid.json"), "--out", "exists.ts"], 2, /^import: exists\.ts exists; pass --force to replace it$/],
  ["--out a folder", [fixture("no-uid.json"), "--out", "folder.ts", "--force"], 2, /^import: --out folder\.ts is a folder; give the definition file's name$/],
  ["--from-grafana without GRAFANA_URL", ["--from-grafana", "x"], 2, /^import: --from-grafana needs GRAFANA_URL/],
  ["--out under a file", [fixture("no-uid.json"), "--out", "a-file/x.ts"], 2, /^import: --out a-file\/x\.ts: a-file is a file, not a folder$/],
];

describe("import: bad input → one message, the right exit code", () => {
  it.each(cases)("%s", async (_, args, exit, message) => {
    const r = await cli(args);
    expect(r.code).toBe(exit);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(message);
    expect(lines).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  });

  it("unknown options and missing arguments: the message and the usage, exit 2", async () => {
    for (const args of [["--bogus"], [], ["a.json", "b.json"]]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("Usage: npm run import");
    }
  });

  it("nothing is written for a refused input, and the --out file written only on success", async () => {
    const r = await cli([fixture("invalid.json"), "--out", "never.ts"]);
    expect(r.code).toBe(1);
    expect(existsSync(join(scratch, "never.ts"))).toBe(false);
  });

  it("text from the input cannot drive the terminal: escapes and separators are shown escaped", async () => {
    writeFileSync(
      join(scratch, "ansi.json"),
      JSON.stringify({ uid: "ansi", title: "\u001b[2J\u001b[31mOK\u2028fake line\u202e", schemaVersion: 42, panels: [] }),
    );
    const r = await cli(["ansi.json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\\u001b[2J\\u001b[31mOK\\u2028fake line\\u202e');
    expect(r.stderr).not.toMatch(/[\u001b\u2028\u202e]/);
    writeFileSync(join(scratch, "ansi-uid.json"), JSON.stringify({ uid: "\u001b[2J", title: "x", panels: [] }));
    const bad = await cli(["ansi-uid.json"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).not.toMatch(/\u001b/);
  });

  it.skipIf(!existsSync("/sys/kernel"))("an --out file the system refuses to create: exit 3 naming it, after the report", async () => {
    // sysfs refuses new files even to root (EACCES); without it this case cannot be staged here.
    const r = await cli([fixture("no-uid.json"), "--out", "/sys/import-refused.ts"]);
    expect(r.code).toBe(3);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toMatch(/^import: \/sys\/import-refused\.ts: cannot write: E[A-Z]+$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("--debug adds the stack to the same message", async () => {
    const r = await cli(["missing.json", "--debug"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("import: missing.json: no such file");
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
