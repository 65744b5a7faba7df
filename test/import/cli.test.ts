// The import's command line goes through src/cli/args.ts like the other commands: --help prints the
// usage on stdout (exit 0); an unknown option, a missing value or a stray operand names the problem
// and prints the usage on stderr (exit 2), before any file is read.
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../src/import/index.js";
import { runImport } from "../fixtures/importCli.js";

const cli = (args: string[]) => runImport(args, { cwd: REPO_ROOT, exact: false });

describe("npm run import: options", () => {
  it.each([["--help"], ["-h"], ["missing.json", "--help"]])("%s prints the usage on stdout, exit 0", async (...args) => {
    const r = await cli(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run import -- <dashboard\.json> \[options\]/);
    expect(r.stdout).toContain("--exact");
    expect(r.stderr).toBe("");
  });

  const bad: [string, string[], RegExp][] = [
    ["an unknown option", ["x.json", "--bogus"], /^import: Unknown option '--bogus'/],
    ["a value for a flag", ["x.json", "--verify=yes"], /^import: Option '--verify' does not take an argument/],
    ["a missing value", ["x.json", "--out"], /^import: Option '--out <value>' argument missing/],
    ["two files", ["a.json", "b.json"], /^import: give one dashboard JSON file or --from-grafana <uid>$/],
    ["a file and --from-grafana", ["a.json", "--from-grafana", "u"], /^import: give one dashboard JSON file or --from-grafana <uid>$/],
    ["nothing to import", [], /^import: give one dashboard JSON file or --from-grafana <uid>$/],
  ];
  it.each(bad)("%s: the problem, then the usage, on stderr; exit 2", async (_, args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const [first, blank, usage] = r.stderr.split("\n");
    expect(first).toMatch(message);
    expect(blank).toBe("");
    expect(usage).toMatch(/^Usage: npm run import/);
  });
});
