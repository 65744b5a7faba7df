// $job/$instance for dashboards that span several jobs (a service and its worker, containers and
// hosts, the whole scrape): $job is a multi-value variable preselecting those jobs, and every query
// still filters by it, so narrowing the dashboard to one job works everywhere.
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { labelVariable } from "../../src/presets/variables.js";

/** $job over `up` preselecting `jobs` (or All), then $instance of the selected jobs. */
export function multiJobVariables(jobs: string[] | "all"): dashboard.QueryVariableBuilder[] {
  const job = labelVariable({ name: "job", label: "Job", query: "label_values(up, job)" });
  if (jobs !== "all") job.current({ text: jobs, value: jobs });
  return [
    job,
    labelVariable({ name: "instance", label: "Instance", query: 'label_values(up{job=~"$job"}, instance)' }),
  ];
}

/** The target matchers of a service dashboard's queries: its $job and $instance variables. */
export const TARGET = 'job=~"$job", instance=~"$instance"';

/**
 * The target matchers of Home's row for `jobs`: the row's own job(s) on top of the $job filter, so
 * deselecting a job in $job empties its row.
 */
export function rowTarget(jobs: string[]): string {
  const own = jobs.length === 1 ? `job="${jobs[0]}"` : `job=~"${jobs.join("|")}"`;
  return `job=~"$job", ${own}, instance=~"$instance"`;
}
