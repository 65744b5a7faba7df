// Telemetry contract (docs/telemetry-contract.md): "Telemetry transport must use TLS in production." Prometheus
// scrapes of a production environment use https.
import { defineRule, type RuleFinding } from "../types.js";

export default defineRule({
  id: "prod-scrape-tls",
  scope: "rule-files",
  severity: "error",
  purpose: "Production environments scrape every target over https",
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const env of ctx.environments.filter((e) => ctx.settings.productionEnvironments.includes(e.name) && e.config)) {
      const plain = Object.entries(env.config!.prometheus.scrapeJobs).filter(([, j]) => j.scheme !== "https").map(([job]) => job).sort();
      if (!plain.length) continue;
      out.push({
        file: ctx.configFile,
        message: `${env.name}: ${plain.length} scrape job(s) use plain http: ${plain.join(", ")}`,
        fix: `set scheme: "https" on prometheus.scrapeJobs of ${env.name} once the targets serve TLS`,
      });
    }
    return out;
  },
});
