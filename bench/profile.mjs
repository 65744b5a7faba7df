// Summarises a V8 CPU profile (`node --cpu-prof`): self time by function, and the inclusive time of
// the build's stages, named as in src/. Usage:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof scripts/launch.mjs --dashboards DIR --out OUT --lint
//   node bench/profile.mjs /tmp/prof/CPU.*.cpuprofile
import { readFileSync } from "node:fs";

const STAGES = [
  "buildTree", "buildAndEmit", "collectDashboards", "buildDashboards", "plainCopy", "copyValue", "buildAlerting", "dashboardQueries",
  "checkDashboardQueries", "checkCatalogRefs", "checkDashboardStructure", "checkDatasourceRefs",
  "checkDashboardSchemas", "validateFile", "asJson", "checkDashboardValues", "stableStringifyJson", "stableStringifyChecked", "sortKeysDeep",
  "lintBuild", "lintTree", "finishBuild", "writeTree", "createSynced", "fsyncSync",
];

const p = JSON.parse(readFileSync(process.argv[2], "utf8"));
const selfUs = new Map();
for (let i = 0; i < p.samples.length; i++) selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const where = (url) => url.replace(/^.*\/node_modules\/\.cache\/grafana-as-code\/bundles\/.*$/, "bundle").replace(/^.*\/node_modules\//, "");
const label = (n) => `${n.callFrame.functionName || "(anonymous)"} ${where(n.callFrame.url)}`.trim();
const pct = (us) => `${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%`;

const self = new Map();
for (const [id, us] of selfUs) {
  const l = label(byId.get(id));
  self.set(l, (self.get(l) ?? 0) + us);
}
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const seen = new Set();
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const f = byId.get(x).callFrame.functionName;
    if (f && !seen.has(f)) {
      seen.add(f);
      inclusive.set(f, (inclusive.get(f) ?? 0) + us);
    }
  }
}
console.log(`sampled: ${(total / 1000).toFixed(0)} ms`);
console.log("self time, top 20:");
for (const [l, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(us)}  ${l}`);
console.log("stages (inclusive):");
for (const f of STAGES) console.log(`  ${pct(inclusive.get(f) ?? 0)}  ${f}`);
