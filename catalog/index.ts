// The metric catalog: every series the dashboards and alerts may query, named exactly as
// Prometheus stores it, with its labels, unit, source document and the jobs exposing it.
// The build checks every query against it (src/validate/catalogRefs.ts); the test fixture
// generates its synthetic series from it (test/fixtures/catalogSeries.ts).
import { EVALUATION } from "./evaluation.js";
import { withApiGateway } from "./apiGateway.js";
import { FASTAPI } from "./fastapi.js";
import { CONTAINERS, HOSTS } from "./infrastructure.js";
import { LLM } from "./llm.js";
import { MODEL_SERVICE } from "./modelService.js";
import { OTEL_COLLECTOR } from "./otelCollector.js";
import { PIXERASE } from "./pixerase.js";
import { catalogIndex, type CatalogIndex, type MetricDef } from "../src/model/catalog.js";
import { environments } from "../config/environments.js";

export type { CatalogIndex, MetricDef, MetricType, SeriesSuffix } from "../src/model/catalog.js";

/**
 * Every scrape job of config.prometheus.scrapeJobs in any environment, the optional ones (off by
 * default) included; each has `up` when scraped.
 */
export const SCRAPED_JOBS: readonly string[] = [
  ...new Set(Object.values(environments).flatMap((e) => Object.keys(e.prometheus.scrapeJobs))),
];

const UP: MetricDef = {
  name: "up",
  type: "gauge",
  unit: "bool",
  help: "1 when Prometheus' last scrape of the target succeeded, 0 when it failed.",
  labels: [],
  stack: "all",
  jobs: [...SCRAPED_JOBS],
};

export const CATALOG: readonly MetricDef[] = Object.freeze([
  UP,
  ...withApiGateway(FASTAPI),
  ...LLM,
  ...PIXERASE,
  ...MODEL_SERVICE,
  ...EVALUATION,
  ...CONTAINERS,
  ...HOSTS,
  ...OTEL_COLLECTOR,
]);

/** The catalog's lookups (src/model/catalog.ts); the engine receives this value from the entry points. */
export const catalog: CatalogIndex = catalogIndex(CATALOG);
export const { metricByName, lookupSeries, labelsOf, seriesNames, metricsOfJob } = catalog;
