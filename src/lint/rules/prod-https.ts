// Telemetry contract (docs/telemetry-contract.md): "Telemetry transport must use TLS in production." Every URL of a
// production environment's configuration (datasources, Grafana, runbooks) is https, and so is every
// URL in a tree built for production.
import { defineRule, type RuleFinding } from "../types.js";

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

function httpUrls(v: unknown, path = ""): { path: string; url: string }[] {
  if (typeof v === "string") return URL.test(v) && !/^https:\/\//i.test(v) && /^https?:|^wss?:/i.test(v) ? [{ path, url: v }] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => httpUrls(x, `${path}[${i}]`));
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => httpUrls(x, path ? `${path}.${k}` : k));
  return [];
}

export default defineRule({
  id: "prod-https",
  scope: "dashboard",
  severity: "error",
  purpose: "Production environments (settings.productionEnvironments) use only https URLs, in the config and in the tree built for them",
  check(ctx) {
    const out: RuleFinding[] = [];
    const prod = ctx.settings.productionEnvironments;
    for (const env of ctx.environments.filter((e) => prod.includes(e.name))) {
      if (!env.config) {
        out.push({ file: ctx.configFile, message: `environment ${env.name} does not load: ${env.error}`, fix: "fix the configuration so it can be checked" });
        continue;
      }
      for (const { path, url } of httpUrls(env.config)) {
        out.push({ file: ctx.configFile, message: `${env.name}: ${path} is ${url}, not https`, fix: `use https://${url.replace(/^[a-z]+:\/\//i, "")} (TLS in production, docs/telemetry-contract.md)` });
      }
    }
    if (prod.includes(ctx.env)) {
      for (const [output, doc] of ctx.data) {
        for (const { path, url } of httpUrls(doc)) {
          out.push({ file: ctx.fileOf(output), output, message: `${path} is ${url}, not https, in the ${ctx.env} tree`, fix: "make the URL https where it is configured" });
        }
      }
    }
    return out;
  },
});
