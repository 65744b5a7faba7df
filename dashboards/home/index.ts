// Home: one row per service — is it scraped, how much traffic, what share fails, how slow — each
// stat opening the service's own dashboard, and the scrape health of every target.
import { defineDashboard, type DashboardContext, type DashboardSelf } from "../../src/definitions.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { barGaugePanel, row, statPanel, warnCrit } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";
import { datasourceVariable } from "../../src/presets/variables.js";
import { navItem, withNav } from "../_shared/nav.js";
import { multiJobVariables } from "../_shared/variables.js";
import { higherIsBetter, linkTo } from "../_shared/panels.js";
import { homeRows, scrapeHealthByJob, upShare, type Stat } from "./queries.js";
import { alertListPanel } from "../_shared/alerts.js";
import { levels } from "../../src/presets/levels.js";

function home(ctx: DashboardContext, self: DashboardSelf) {
  const t = levels(ctx.config);
  const statLevels = (s: Stat): [number, string][] | undefined => {
    if (s.thresholds === "errors") return warnCrit(t.errorRatioWarning, t.errorRatioCritical);
    // Red where the alert on the same ratio fires, amber at half of it.
    const alertLevel = {
      taskiqFailures: t.taskiqFailureRatio,
      inferenceErrors: t.modelInferenceErrorRatio,
      llmErrors: t.llmErrorRatio,
      evaluationFailures: t.evaluationFailureRatio,
    }[s.thresholds as string];
    if (alertLevel !== undefined) return warnCrit(alertLevel / 2, alertLevel);
    if (s.thresholds === "latency") {
      const f = s.unit === "ms" ? 1000 : 1;
      return warnCrit(t.latencyP95Warning * f, t.latencyP95Critical * f);
    }
    if (s.thresholds === "busy")
      return warnCrit(
        Math.min(t.cpuBusyWarning, t.memoryUsedWarning) * 0.9,
        Math.min(t.cpuBusyWarning, t.memoryUsedWarning),
      );
    return undefined;
  };

  const d = baseDashboard(ctx, {
    ...self,
    description:
      "Start here: what is firing, then one row per service with whether its targets are up, its traffic, error share and p95 latency. Every number opens the service's dashboard.",
    tags: ["overview"],
  }).variables([datasourceVariable(), ...multiJobVariables("all")]);
  withNav(d, ctx, self);

  d.withRow(row("What is firing")).withPanel(
    alertListPanel(ctx.config, {
      title: "Firing and pending alerts",
      description:
        "Every alert firing or about to fire, most severe first, with its labels; each opens the rule with its runbook and dashboard links.",
      width: 24,
      height: 8,
    }),
  );

  for (const r of homeRows(ctx.config)) {
    const target = navItem(ctx, r.dashboard).title;
    d.withRow(row(r.title));
    d.withPanel(
      linkTo(
        r.liveness
          ? statPanel({
              title: r.liveness.title,
              unit: r.liveness.unit,
              decimals: r.liveness.decimals,
              graph: false,
              thresholds: [
                [300, "orange"],
                [600, "red"],
              ],
              description: `${r.liveness.description} Click to open ${target}.`,
              targets: [prom(r.liveness.expr)],
            })
          : statPanel({
              title: `${r.title} up`,
              unit: "percentunit",
              decimals: 0,
              description: `Share of the scrape targets of ${r.jobs.join(", ")} that answered the last scrape; below 100% some are down.`,
              targets: [prom(upShare(r.jobs))],
            }).thresholds(higherIsBetter(1)),
        ctx,
        r.dashboard,
        `Open ${target}`,
      ),
    );
    for (const s of r.stats) {
      d.withPanel(
        linkTo(
          statPanel({
            title: s.title,
            unit: s.unit,
            decimals: s.decimals,
            thresholds: statLevels(s),
            description: `${s.description} Click to open ${target}.`,
            targets: [prom(s.expr)],
          }),
          ctx,
          r.dashboard,
          `Open ${target}`,
        ),
      );
    }
  }

  d.withRow(row("Scrape health")).withPanel(
    linkTo(
      barGaugePanel({
        title: "Targets up by job",
        unit: "percentunit",
        min: 0,
        max: 1,
        width: 24,
        height: 8,
        description:
          "Share of each job's scrape targets that answered the last scrape. Details in the telemetry pipeline dashboard.",
        targets: [prom(scrapeHealthByJob(), { legend: "{{job}}", instant: true })],
      }).thresholds(higherIsBetter(1)),
      ctx,
      "telemetry-pipeline",
      "Open Telemetry pipeline",
    ),
  );
  return d;
}

export default defineDashboard({
  uid: "home",
  title: "Home",
  folder: "overview",
  nav: { order: 10 },
  build: home,
});
