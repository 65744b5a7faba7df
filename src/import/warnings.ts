// What an import reports on stderr: each place the code could not be written with a builder alone.
export interface ImportWarning {
  code:
    | "raw-fields"
    | "legacy-panel"
    | "plugin-panel"
    | "library-panel"
    | "raw-query"
    | "raw-variable"
    | "raw-object"
    | "schema-version"
    | "datasource"
    | "legacy-dashboard"
    | "derived-uid"
    | "metric-alias"
    | "unknown-metric"
    | "unknown-label"
    | "counter-without-rate"
    | "missing-description"
    | "missing-unit";
  where: string;
  message: string;
  /** Paths kept as raw JSON (relative to the object). */
  paths?: string[];
}
