// What a service's /metrics exposition and the catalog disagree on: metrics the catalog (and so the
// dashboards and alerts) expects that the service does not export, labels it expects that no sample
// carries, and what the service exports that no dashboard uses.
import type { MetricDef } from "../model/catalog.js";
import type { Exposition } from "./exposition.js";

export interface VerifyReport {
  jobs: string[];
  samples: number;
  /** Catalog metrics of the jobs with no sample in the exposition. */
  missing: { name: string; assumed?: string }[];
  /** Catalog metrics present, but without some labels the catalog lists. */
  missingLabels: { name: string; labels: string[] }[];
  /** Exported families no dashboard query names, sorted. */
  unused: string[];
  /** Collector counters found only under the other suffix setting. */
  spelling: string[];
}

const SUFFIXES = ["_bucket", "_sum", "_count", "_created", "_total", "_info"] as const;

/** The sample names a catalog metric shows up as; for collector counters, both spellings. */
function sampleNames(m: MetricDef): string[] {
  if (m.type === "histogram") return [`${m.name}_bucket`];
  if (m.viaCollector && m.type === "counter") return [m.name, m.name.replace(/_total$/, "")];
  return [m.name];
}

/** Groups sample names into families: x_bucket, x_sum, x_count of a histogram x belong to x. */
function families(exp: Exposition): Map<string, Set<string>> {
  const names = new Set(exp.samples.map((s) => s.name));
  const out = new Map<string, Set<string>>();
  for (const name of names) {
    let family = name;
    for (const suffix of SUFFIXES) {
      const base = name.slice(0, -suffix.length);
      if (name.endsWith(suffix) && (exp.types.has(base) || names.has(`${base}_bucket`) || (suffix !== "_total" && names.has(`${base}_count`) && names.has(`${base}_sum`)))) {
        family = base;
        break;
      }
    }
    out.set(family, (out.get(family) ?? new Set()).add(name));
  }
  return out;
}

/** Jobs whose own (single-job, non-`up`) catalog metrics appear in the exposition. */
export function inferJobs(exp: Exposition, catalog: readonly MetricDef[]): string[] {
  const names = new Set(exp.samples.map((s) => s.name));
  const jobs = new Set<string>();
  for (const m of catalog) {
    if (m.name === "up" || m.jobs.length !== 1) continue;
    if (sampleNames(m).some((n) => names.has(n))) jobs.add(m.jobs[0]);
  }
  return [...jobs].sort();
}

export function compareWithCatalog(exp: Exposition, catalog: readonly MetricDef[], jobs: string[], usedSeries: Set<string>, suffixesOn: boolean): VerifyReport {
  const byName = new Map<string, Set<string>>();
  for (const s of exp.samples) {
    const labels = byName.get(s.name) ?? new Set<string>();
    for (const l of Object.keys(s.labels)) labels.add(l);
    byName.set(s.name, labels);
  }
  const expected = catalog.filter((m) => m.name !== "up" && m.jobs.some((j) => jobs.includes(j)));
  const missing: VerifyReport["missing"] = [];
  const missingLabels: VerifyReport["missingLabels"] = [];
  const spelling: string[] = [];
  for (const m of expected) {
    const found = sampleNames(m).filter((n) => byName.has(n));
    if (found.length === 0) {
      missing.push({ name: m.name, ...(m.assumed ? { assumed: m.assumed } : {}) });
      continue;
    }
    if (m.viaCollector && m.type === "counter") {
      const configured = suffixesOn ? m.name : m.name.replace(/_total$/, "");
      if (!found.includes(configured)) spelling.push(`${m.name} is exported as ${found[0]}: set signals.collectorMetricSuffixes to ${!suffixesOn}`);
    }
    const present = new Set(found.flatMap((n) => [...byName.get(n)!]));
    const absent = m.labels.filter((l) => !present.has(l));
    if (absent.length) missingLabels.push({ name: m.name, labels: absent });
  }
  const unused = [...families(exp)]
    .filter(([family, names]) => !usedSeries.has(family) && ![...names].some((n) => usedSeries.has(n)))
    .map(([family]) => family)
    .sort();
  return { jobs, samples: exp.samples.length, missing, missingLabels, unused, spelling };
}

export function formatReport(source: string, r: VerifyReport): string {
  const out = [`${source}: ${r.samples} samples, compared with the catalog's metrics of job ${r.jobs.join(", ")}`];
  out.push(r.missing.length ? `Expected by the catalog, not exported (${r.missing.length}):` : "Expected by the catalog, not exported: none");
  for (const m of r.missing) out.push(`  ${m.name}${m.assumed ? ` (assumed: ${m.assumed})` : ""}`);
  if (r.missingLabels.length) {
    out.push(`Exported without labels the catalog expects (${r.missingLabels.length}):`);
    for (const m of r.missingLabels) out.push(`  ${m.name}: ${m.labels.join(", ")}`);
  }
  for (const s of r.spelling) out.push(`Spelling: ${s}`);
  out.push(r.unused.length ? `Exported, used by no dashboard (${r.unused.length}):` : "Exported, used by no dashboard: none");
  for (const u of r.unused) out.push(`  ${u}`);
  return out.join("\n") + "\n";
}
