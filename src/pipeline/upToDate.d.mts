export declare const RECORD_DIR: string;
export declare const RECORD_FORMAT: number;
export interface NoopOptions {
  env: string;
  out: string;
  dashboardsDir: string | undefined;
  check: boolean;
  allowEmpty: boolean;
  referenceSchemas: boolean;
  lint: boolean | null;
}
/** `npm run build`'s options, for node:util parseArgs. */
export declare const BUILD_OPTIONS: {
  env: { type: "string"; default: string };
  out: { type: "string" };
  dashboards: { type: "string" };
  check: { type: "boolean"; default: boolean };
  "allow-empty": { type: "boolean"; default: boolean };
  watch: { type: "boolean"; default: boolean };
  "reference-schemas": { type: "boolean"; default: boolean };
  lint: { type: "boolean" };
  cache: { type: "boolean"; default: boolean };
  debug: { type: "boolean"; default: boolean };
  help: { type: "boolean"; short: string; default: boolean };
};
export declare function noopOptions(argv: string[], cwd: string | undefined, root: string): NoopOptions | undefined;
export declare function inputsDigest(opts: {
  root: string;
  options: NoopOptions;
  bundleDigest?: string;
  env?: Record<string, string | undefined>;
  digests?: import("./digestRecord.mjs").DigestRecord;
}): string;
export declare function recordPath(out: string, dir?: string): string;
export interface Printed {
  plain: string;
  color: string;
}
export interface UpToDateRecord {
  format: number;
  resolvedOut: string;
  inputs: string;
  env: string;
  files: Record<string, string>;
  printed: Printed | null;
}
export declare function outputDigests(out: string): import("./digestRecord.mjs").DigestRecord;
export declare function checkUpToDate(opts: { out: string; inputs: string; record?: string; digests?: import("./digestRecord.mjs").DigestRecord }): { upToDate: true; record: UpToDateRecord } | { upToDate: false; reason: string };
export declare function writeRecord(opts: { out: string; inputs: string; env: string; files: { path: string; content: string }[]; printed?: Printed | null; record?: string }): void;
export declare function dropRecord(out: string, file?: string): void;
