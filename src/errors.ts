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
  /** The metric and label a catalog problem is about, for tools that compare problems (not printed). */
  metric?: string;
  label?: string;
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

/**
 * Exit codes every command uses: 1 invalid input (definitions, config, files given to lint/import),
 * 2 usage (options, arguments), 3 remote or I/O (an unreachable or misbehaving server, a disk that
 * refuses a write).
 */
export const EXIT = { invalid: 1, usage: 2, io: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A failure the user caused or can fix: printed as one message naming the place (file, byte offset,
 * endpoint), with a stable exit code and no stack trace (stacks only with --debug).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.invalid,
    readonly file?: string,
  ) {
    super(message);
    this.name = "UserError";
  }
}
