// The one way every command ends on a failure (src/cli/report.mjs): the message and exit code for
// each kind of failure, no stack without --debug; and the commands that use it, run as a user would.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeFailure, debugRequested } from "../../src/cli/report.mjs";
import { BuildError, EXIT, UserError } from "../../src/errors.js";
import { expectNoStack, runCli, type CommandResult } from "../fixtures/command.js";
import { REPO } from "../fixtures/definitions.js";

const tmp = mkdtempSync(join(tmpdir(), "cli-errors-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A system error as Node raises it, from a real failing call. */
function systemError(fn: () => void): NodeJS.ErrnoException {
  try {
    fn();
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
  throw new Error("expected the call to fail");
}

describe("describeFailure", () => {
  it("BuildError: its located problems, exit 1", () => {
    const r = describeFailure(new BuildError([{ code: "syntax", file: "dashboards/x.ts:3:5", message: "Unexpected ;" }]));
    expect(r).toEqual({ text: "error[syntax] dashboards/x.ts:3:5: Unexpected ;", exitCode: EXIT.invalid });
  });

  it("UserError: its message (with the file when the message does not name it) and its exit code", () => {
    expect(describeFailure(new UserError("no such ref", EXIT.usage, "dashboards/a.ts"))).toEqual({ text: "dashboards/a.ts: no such ref", exitCode: 2 });
    expect(describeFailure(new UserError("a.json: bad", EXIT.io, "a.json"))).toEqual({ text: "a.json: bad", exitCode: 3 });
  });

  it("a system error: one line naming the path, exit 3", () => {
    const missing = join(tmp, "missing.json");
    const e = systemError(() => readdirSync(missing));
    expect(describeFailure(e)).toEqual({ text: `${missing}: no such file or directory (ENOENT, scandir)`, exitCode: EXIT.io });
    const file = join(tmp, "plain");
    writeFileSync(file, "");
    expect(describeFailure(systemError(() => readdirSync(file))).text).toBe(`${file}: not a directory (ENOTDIR, scandir)`);
  });

  it("anything else: an internal error and a hint, exit 1; the stack only with debug", () => {
    const e = new TypeError("Cannot read properties of undefined (reading 'x')");
    const plain = describeFailure(e);
    expect(plain.exitCode).toBe(1);
    expect(plain.text).toBe("internal error: Cannot read properties of undefined (reading 'x')\n(re-run with --debug, or GRAFANA_AS_CODE_DEBUG=1, to see where)");
    const debug = describeFailure(e, { debug: true });
    expect(debug.text).toContain(e.stack!);
    expect(describeFailure("a string").text).toMatch(/^internal error: a string/);
  });

  it("debug is asked for with --debug or GRAFANA_AS_CODE_DEBUG=1", () => {
    expect(debugRequested(["node", "x", "--debug"], {})).toBe(true);
    expect(debugRequested(["node", "x"], { GRAFANA_AS_CODE_DEBUG: "1" })).toBe(true);
    expect(debugRequested(["node", "x"], {})).toBe(false);
  });
});

/** A command that fails with an unexpected error, run through runCommand in its own process. */
function crash(extra: string[], env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  const script = `import { runCommand } from "./src/cli/report.mjs";
await runCommand(async () => { const o = JSON.parse("null"); return o.missing.field; });`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, "--", ...extra], { cwd: REPO, env: { ...process.env, GRAFANA_AS_CODE_DEBUG: undefined, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

describe("runCommand", () => {
  it("an unexpected error: one line and the hint, exit 1, no stack", async () => {
    const r = await crash([]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^internal error: Cannot read properties of null/), "(re-run with --debug, or GRAFANA_AS_CODE_DEBUG=1, to see where)"]);
    expectNoStack(r);
  });

  it("with --debug or GRAFANA_AS_CODE_DEBUG=1: the stack as well", async () => {
    for (const r of [await crash(["--debug"]), await crash([], { GRAFANA_AS_CODE_DEBUG: "1" })]) {
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    }
  });
});

describe("build", () => {
  it("an output folder that cannot be created: one line naming the path, exit 3, no stack", async () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "not a folder");
    const r = await runCli("build", ["--out", join(file, "build")]);
    expect(r.status, r.stderr).toBe(3);
    expectNoStack(r);
    // One message naming the path (then the closing "build failed").
    const messages = r.stderr.trim().split("\n").filter((l) => l && l !== "build failed");
    expect(messages).toEqual([expect.stringMatching(new RegExp(`${file}/build\\S*: (a path component is )?not a directory \\(ENOTDIR`))]);
  });

  // A full disk: a 16 KiB tmpfs (needs the right to mount; skipped, saying so, where it is refused).
  const full = join(tmp, "full");
  mkdirSync(full);
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", full]).status === 0;
  if (!mounted) console.warn("skipped: a full disk (cannot mount a small tmpfs here)");
  afterAll(() => {
    if (mounted) spawnSync("umount", [full]);
  });
  it.skipIf(!mounted)("a full disk: one line naming the output folder, exit 3, nothing left behind", async () => {
    const r = await runCli("build", ["--out", join(full, "build")]);
    expect(r.status, r.stderr).toBe(3);
    expectNoStack(r);
    const messages = r.stderr.trim().split("\n").filter((l) => l && l !== "build failed");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(join(full, "build"));
    expect(messages[0]).toMatch(/no space left on device \(ENOSPC/);
    expect(readdirSync(full)).toEqual([]);
  });

  it("--debug is an option of build, lint and diff", async () => {
    for (const command of ["build", "lint", "diff"] as const) {
      const r = await runCli(command, ["--help"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^\s+--debug\s+print the stack trace of a failure/m);
    }
  });
});

describe("diff --output", () => {
  it("into a folder that does not exist: exit 2 before building, naming the folder", async () => {
    const folder = join(tmp, "no-such-folder");
    const r = await runCli("diff", ["--output", join(folder, "report.md")]);
    expect(r.status).toBe(2);
    expectNoStack(r);
    expect(r.stderr.trim()).toBe(`--output ${folder}/report.md: the folder ${folder} does not exist (create it first)`);
    expect(existsSync(folder)).toBe(false);
  });

  it("naming a folder: exit 2", async () => {
    const r = await runCli("diff", ["--output", tmp]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`--output ${tmp} is a folder; name a file`);
  });
});
