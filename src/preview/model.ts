// What the preview works on: a dashboard's JSON as the build emits it (read loosely: only the fields
// drawn are used, each checked before use), and the data a panel's queries returned.

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Threshold {
  color: string;
  value: number | null;
}

export interface PanelJson {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: GridPos;
  collapsed?: boolean;
  panels?: PanelJson[];
  datasource?: { type?: string; uid?: string } | null;
  targets?: TargetJson[];
  fieldConfig?: {
    defaults?: {
      unit?: string;
      decimals?: number;
      min?: number;
      max?: number;
      thresholds?: { mode?: string; steps?: Threshold[] };
      color?: { mode?: string; fixedColor?: string };
      mappings?: unknown[];
      custom?: Record<string, unknown>;
    };
    overrides?: unknown[];
  };
  options?: Record<string, unknown>;
  interval?: string;
  maxDataPoints?: number;
}

export interface TargetJson {
  refId?: string;
  expr?: string;
  query?: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: string;
  hide?: boolean;
  datasource?: { type?: string; uid?: string };
}

export interface VariableJson {
  name: string;
  type: string;
  current?: { value?: string | string[]; text?: string | string[] };
  allValue?: string;
  includeAll?: boolean;
  query?: unknown;
}

export interface DashboardJson {
  uid: string;
  title: string;
  panels?: PanelJson[];
  time?: { from?: string; to?: string };
  templating?: { list?: VariableJson[] };
}

/** One series: its labels, the name Grafana would show, and [unix ms, value] points. */
export interface Series {
  refId: string;
  name: string;
  labels: Record<string, string>;
  points: [number, number][];
}

/** One log line of a logs panel, with its stream's labels. */
export interface LogLine {
  /** Unix nanoseconds as decimal text (beyond a double's precision). */
  ns: string;
  line: string;
  labels: Record<string, string>;
}

/** One trace found by a TraceQL search, as Tempo summarises it. */
export interface TraceRow {
  traceId: string;
  rootServiceName?: string;
  rootTraceName?: string;
  /** Unix nanoseconds as decimal text. */
  startNs: string;
  durationMs?: number;
}

/** What a panel's queries returned, or why they did not. */
export interface PanelData {
  series: Series[];
  /** A logs panel's lines (Loki), newest first, at most what the panel shows. */
  logs?: LogLine[];
  /** A traces panel's search results (Tempo), in the order Tempo gave them. */
  traces?: TraceRow[];
  /** Query errors, each naming the query (refId) and what the server said. */
  errors: string[];
  /** Set when the panel's datasource cannot be queried in a preview (Loki, Tempo, …). */
  unavailable?: string;
}

/** The window drawn, in unix ms. */
export interface TimeWindow {
  from: number;
  to: number;
}
