// A dashboard definition's lintWaivers: the build accepts a missing description or unit of the
// panels it names; lint still finds them and counts them as excluded ("waived by dashboard
// definitions"), and names a waiver that matches nothing at the definition file. Nothing else can be
// waived there.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_CONTENT } from "../../scripts/content.js";
import { BuildError, type Problem } from "../../src/errors.js";
import { formatReport } from "../../src/lint/format.js";
import { lintTree } from "../../src/lint/index.js";
import { buildTree } from "../../src/pipeline/index.js";
import { REPO_ROOT } from "../../src/repoRoot.mjs";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(REPO_ROOT, "lint-waivers.tmp-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A dashboard folder with one definition: two panels, "Described" and "Bare" (description as given). */
function definition(name: string, bare: string, waivers: string): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, "d"), { recursive: true });
  const src = relative(join(dir, "d"), join(REPO_ROOT, "src")).split("\\").join("/");
  writeFileSync(
    join(dir, "d", "index.ts"),
    `import { defineDashboard } from "${src}/definitions.js";
import { baseDashboard } from "${src}/presets/dashboard.js";
import { timeseriesPanel } from "${src}/presets/panels.js";
import { prom } from "${src}/presets/targets.js";
import { datasourceVariables, jobInstanceVariables } from "${src}/presets/variables.js";

export default defineDashboard({
  uid: "waiver-${name}",
  folder: "services",
  ${waivers}
  build: (ctx) => {
    const panel = (title: string, description: string) =>
      timeseriesPanel({ title, description, unit: "s", targets: [prom('sum(rate(process_cpu_seconds_total{job=~"$job", instance=~"$instance"}[$__rate_interval]))')] });
    return baseDashboard(ctx, { uid: "waiver-${name}", title: "Waiver ${name}", description: "Waivers." })
      .variables([...datasourceVariables(), ...jobInstanceVariables("process_cpu_seconds_total", "fastapi")])
      .withPanel(panel("Described", "CPU seconds per second."))
      .withPanel(panel("Bare", ${JSON.stringify(bare)}));
  },
});
`,
  );
  return dir;
}

async function build(dir: string) {
  try {
    return { built: await buildTree({ content: REPO_CONTENT, dashboardsDir: dir, write: false }), problems: [] as Problem[] };
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    return { built: undefined, problems: e.problems };
  }
}

async function lint(dir: string) {
  const { built } = await build(dir);
  const report = lintTree({
    content: REPO_CONTENT,
    files: built!.files,
    env: built!.env,
    repoRoot: REPO_ROOT,
    treeLabel: "build",
    definitions: built!.dashboards.map((d) => d.definition),
  });
  return { report, text: formatReport(report, "human") };
}

const WAIVER = `lintWaivers: [{ rule: "panel-title-description", reason: "imported from Grafana without a description", panels: ["Bare"] }],`;

describe("lintWaivers of a dashboard definition", () => {
  it("without a waiver, a panel without a description stops the build", async () => {
    const { problems } = await build(definition("none", "", ""));
    expect(problems.map((p) => [p.code, p.panelTitle])).toEqual([["missing-description", "Bare"]]);
  }, 120_000);

  it("with one, the build passes and lint counts the panel as waived, not as clean", async () => {
    const { report, text } = await lint(definition("waived", "", WAIVER));
    expect(report.findings).toEqual([]);
    expect(report.excluded.map((e) => [e.finding.rule, e.finding.panelTitle, e.exclusion.file])).toContainEqual([
      "panel-title-description",
      "Bare",
      expect.stringMatching(/lint-waivers\.tmp-\w+\/waived\/d\/index\.ts$/),
    ]);
    expect(text).toMatch(/excluded \(1 waived by dashboard definitions\)/);
  }, 120_000);

  it("a waiver for a panel that has its description now is reported at the definition", async () => {
    const { report } = await lint(definition("stale", "Now described.", WAIVER));
    expect(report.findings.map((f) => [f.rule, f.file, f.message])).toEqual([
      [
        "lint-exclusion-unused",
        expect.stringMatching(/stale\/d\/index\.ts$/),
        'the exclusion of panel-title-description for dashboard "waiver-stale", panel "Bare" matches no finding',
      ],
    ]);
    expect(report.findings[0].line).toBe(10);
  }, 120_000);

  it("only a missing description or unit can be waived there", async () => {
    const dir = definition("other", "", `lintWaivers: [{ rule: "catalog-metric-label", reason: "the catalog is wrong about this one", panels: ["Bare"] }],`);
    const { problems } = await build(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0].code).toBe("bad-definition");
    expect(problems[0].message).toMatch(/^lintWaivers\.0\.rule: Invalid enum value\. Expected 'panel-title-description' \| 'panel-units'/);
  }, 120_000);
});
