// SARIF 2.1.0 (OASIS), what GitHub code scanning and other review tools read: one run, the rules
// that ran with their purpose and help text (and dashboard-linter's name where one applies), one
// result per finding on the line of the file it is about. Valid against the published schema
// (schemas/sarif-schema-2.1.0.json, checked by the tests).
import type { LintReport } from "./engine.js";
import { ENGINE_RULES } from "./engine.js";
import { where } from "./format.js";
import { PEER_RULES } from "./peers.js";
import { RULES } from "./registry.js";
import type { Finding } from "./types.js";

const DOCS = "docs/lint.md";

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: "error" | "warning" };
  properties: { tags: string[]; peerRule?: string[] };
}

const camel = (id: string) => id.replace(/(^|[-/])(\w)/g, (_, __, c: string) => c.toUpperCase());

function ruleMeta(id: string, fallback: Finding | undefined, informationUri?: string): SarifRule {
  const ours = RULES.find((r) => r.id === id);
  const engine = ENGINE_RULES.find((r) => r.id === id);
  const purpose = ours?.purpose ?? engine?.purpose ?? `${id}: ${fallback?.message.split("\n")[0] ?? "a finding"}`;
  const peers = ours?.peers ?? [];
  const peerText = peers.length
    ? ` grafana/dashboard-linter: ${peers.map((p) => `${p} (${PEER_RULES.find((x) => x.name === p)?.description ?? ""})`).join("; ")}.`
    : "";
  const help = `${purpose}.${peerText} Each finding says how to fix it; accept one with a reason in lint-exclusions.yaml (or a dashboard-linter .lint file beside the dashboard).`;
  return {
    id,
    name: camel(id),
    shortDescription: { text: purpose },
    fullDescription: { text: `${purpose}.${peerText}` },
    help: { text: help, markdown: `**${id}**: ${purpose}.${peers.length ? `\n\ndashboard-linter: ${peers.map((p) => `\`${p}\``).join(", ")}.` : ""}\n\nSee ${DOCS} for the rules and how they differ from dashboard-linter's.` },
    ...(informationUri ? { helpUri: `${informationUri}/blob/main/${DOCS}` } : {}),
    defaultConfiguration: { level: ours?.severity ?? engine?.severity ?? fallback?.severity ?? "error" },
    properties: { tags: ["grafana", "dashboards", ...(ours?.stackSpecific ? ["stack"] : [])], ...(peers.length ? { peerRule: [...peers] } : {}) },
  };
}

/** A URI reference for a file path (relative paths stay relative; SARIF wants forward slashes and percent-encoding). */
function uriOf(file: string): string {
  return file
    .replace(/\\/g, "/")
    .split("/")
    .map((s) => encodeURIComponent(s))
    .join("/");
}

export function formatSarif(r: LintReport, opts: { version?: string; informationUri?: string } = {}): string {
  const ids = [...new Set([...r.rules, ...r.findings.map((f) => f.rule)])].sort();
  const rules = ids.map((id) => ruleMeta(id, r.findings.find((f) => f.rule === id), opts.informationUri));
  const index = new Map(ids.map((id, i) => [id, i]));
  const results = r.findings.map((f) => {
    const at = where(f);
    const text = `${at ? `${at}: ` : ""}${f.message}\nfix: ${f.fix}`;
    const logical = [f.dashboardUid && { fullyQualifiedName: [f.dashboardUid, f.panelTitle, f.refId].filter(Boolean).join("/"), kind: "object" }].filter(Boolean);
    return {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: f.severity,
      message: { text },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uriOf(f.file) },
            ...(f.line !== undefined && f.line > 0 ? { region: { startLine: f.line } } : {}),
          },
          ...(logical.length ? { logicalLocations: logical } : {}),
        },
      ],
      // Stable across runs and line moves: what the finding is about, not where.
      partialFingerprints: { "findingKey/v1": [f.rule, f.file, f.dashboardUid ?? "", f.panelTitle ?? "", f.refId ?? "", f.alert ?? "", f.metric ?? ""].join("|") },
      properties: {
        ...(f.peerRule ? { peerRule: f.peerRule } : {}),
        ...(f.dashboardTitle !== undefined ? { dashboardTitle: f.dashboardTitle } : {}),
        ...(f.targetIndex !== undefined ? { targetIndex: f.targetIndex } : {}),
        fix: f.fix,
      },
    };
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "grafana-as-code lint",
            ...(opts.version ? { semanticVersion: opts.version } : {}),
            ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
            rules,
          },
        },
        results,
        columnKind: "utf16CodeUnits",
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}
