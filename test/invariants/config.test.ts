// Configuration checks: environment names are looked up as own keys only, folders are unique by uid
// and title, and no number in the configuration is NaN or infinite.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../config/index.js";
import { environments } from "../../config/environments.js";
import { BuildError, EXIT, UserError } from "../../src/errors.js";
import { budget, FUZZ_TIMEOUT } from "./budget.js";

const REPO = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "config-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dev = environments.dev;
const problemsOf = (input: unknown): string[] => {
  try {
    parseConfig(input);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(BuildError);
    return (e as BuildError).problems.map((p) => `${p.file}: ${p.message}`);
  }
};

describe("--env names an environment of config/environments.ts", () => {
  for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "staging", ""]) {
    it(`${JSON.stringify(name)} is a usage error listing the known environments`, () => {
      let err: unknown;
      try {
        loadConfig(name);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).exitCode).toBe(EXIT.usage);
      expect((err as UserError).message).toBe(`unknown environment ${JSON.stringify(name)}; known: dev, prod (config/environments.ts)`);
    });
  }

  const cli = (script: string, args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(REPO, script), ...args], { cwd: REPO, encoding: "utf8", timeout: 120_000 });

  it("npm run build -- --env __proto__: exit 2, one line, no stack, nothing written", () => {
    const out = join(tmp, "never");
    const r = cli("scripts/build.ts", ["--env", "__proto__", "--out", out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: unknown environment "__proto__"; known: dev, prod (config/environments.ts)\n\nbuild failed');
    expect(existsSync(out)).toBe(false);
  });

  it("npm run build -- --watch --env toString: exit 2, no stack", () => {
    const r = cli("scripts/build.ts", ["--watch", "--env", "toString"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('error: unknown environment "toString"; known: dev, prod (config/environments.ts)\n\nbuild failed');
  });

  it("npm run lint -- --env constructor: exit 2, no stack", () => {
    const r = cli("scripts/lint.ts", ["--env", "constructor"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('lint: unknown environment "constructor"; known: dev, prod (config/environments.ts)');
  });
});

describe("folders", () => {
  it("two folders with the same uid name the key and both folders", () => {
    const problems = problemsOf({ ...dev, folders: { ...dev.folders, extra: { uid: "services", title: "Extra" } } });
    expect(problems).toEqual(['config/environments.ts: folders.extra.uid: uid "services" is also the uid of folders.services; folder uids must be unique']);
  });

  it("two folders with the same title (ignoring case and surrounding space)", () => {
    const problems = problemsOf({ ...dev, folders: { ...dev.folders, extra: { uid: "extra", title: " services" } } });
    expect(problems).toEqual(['config/environments.ts: folders.extra.title: title " services" is also the title of folders.services; folder titles must be unique']);
  });
});

describe("numbers", () => {
  it("NaN and Infinity are refused with the key's path (zod alone takes Infinity)", () => {
    const problems = problemsOf({ ...dev, thresholds: { errorRatioWarning: NaN, latencyP95Warning: 0.5 }, alerting: { ...dev.alerting, thresholds: { httpLatencyP95Seconds: Infinity } } });
    expect(problems.sort()).toEqual([
      "config/environments.ts: alerting.thresholds.httpLatencyP95Seconds is Infinity; only finite numbers can be written",
      "config/environments.ts: thresholds.errorRatioWarning is NaN; only finite numbers can be written",
    ]);
  });
});

// Folder sets with colliding uids and titles: the config is refused exactly when two folders share a
// uid or a title, and every problem names a folder key.
const folderArb = fc.record({ uid: fc.constantFrom("a", "b", "c", "A", "services"), title: fc.constantFrom("A", "a", "B", " b ", "Services") });
const keyArb = fc.constantFrom("one", "two", "three", "four");

describe("generated folder sets", () => {
  test.prop([fc.dictionary(keyArb, folderArb, { minKeys: 1 })], budget(100))("refused exactly when a uid or a title repeats", (folders) => {
    const problems = problemsOf({ ...dev, folders, access: { ...dev.access, folders: {} } });
    const list = Object.values(folders);
    const uids = list.map((f) => f.uid);
    const titles = list.map((f) => f.title.trim().toLowerCase());
    const duplicated = new Set(uids).size < uids.length || new Set(titles).size < titles.length;
    expect(problems.length > 0).toBe(duplicated);
    for (const p of problems) expect(p).toMatch(/^config\/environments\.ts: folders\.(one|two|three|four)\.(uid|title): /);
  }, FUZZ_TIMEOUT);
});
