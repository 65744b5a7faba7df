// One shape for every problem the build can find, so each names where it is: file, dashboard uid,
// panel title, query refId, alert rule.

export interface Problem {
  /** Stable machine-readable code, e.g. "duplicate-uid", "bad-promql". */
  code: string;
  message: string;
  file?: string;
  dashboardUid?: string;
  panelTitle?: string;
  refId?: string;
  rule?: string;
  severity?: "error" | "warning";
}

export class BuildError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "BuildError";
  }
}

export function formatProblem(p: Problem): string {
  const where = [
    p.file,
    p.dashboardUid && `dashboard "${p.dashboardUid}"`,
    p.panelTitle && `panel "${p.panelTitle}"`,
    p.refId && `query ${p.refId}`,
    p.rule && `rule "${p.rule}"`,
  ].filter(Boolean);
  return `${p.severity ?? "error"}[${p.code}] ${where.join(" › ")}${where.length ? ": " : ""}${p.message}`;
}
