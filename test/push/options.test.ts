// The push's command line: every option read by node:util parseArgs, each value checked, one
// message per problem (the command prints it with the usage text, exit 2).
import { describe, expect, it } from "vitest";
import { parsePushArgs } from "../../src/push/options.js";

const fails = (argv: string[]) => {
  try {
    parsePushArgs(argv);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`accepted ${argv.join(" ")}`);
};

describe("push options", () => {
  it("defaults", () => {
    expect(parsePushArgs([])).toMatchObject({ dryRun: false, prune: false, dir: "build", concurrency: 4, timeoutMs: 30_000, retries: 5, format: "text" });
  });
  it("reads flags, values inline or apart, and --only kinds with what they bring along", () => {
    const a = parsePushArgs(["--dry-run", "--prune", "--dir=out", "--concurrency", "8", "--timeout", "2.5", "--only", "dashboards", "-h"]);
    expect(a).toMatchObject({ dryRun: true, prune: true, dir: "out", concurrency: 8, timeoutMs: 2500, help: true });
    expect([...a.only!].sort()).toEqual(["dashboards", "folders"]);
  });
  it("skips the -- separator npm passes along", () => {
    expect(parsePushArgs(["--", "--prune"]).prune).toBe(true);
  });
  it("names the option in each problem", () => {
    expect(fails(["--bogus"])).toBe("unknown option --bogus");
    expect(fails(["--bogus=1"])).toBe("unknown option --bogus");
    expect(fails(["--dir"])).toBe("--dir needs a value");
    expect(fails(["--dir", "--prune"])).toBe("--dir needs a value");
    expect(fails(["--prune=yes"])).toBe("--prune takes no value");
    expect(fails(["stray"])).toBe("unexpected argument stray");
    expect(fails(["--retries", "-1"])).toBe('--retries must be an integer ≥ 0, got "-1"');
    expect(fails(["--concurrency", "0"])).toBe('--concurrency must be an integer ≥ 1, got "0"');
    expect(fails(["--only", "widgets"])).toMatch(/^--only: unknown kind "widgets" \(one of folders, /);
    expect(fails(["--format", "xml"])).toBe('--format must be text or json, got "xml"');
  });
});
