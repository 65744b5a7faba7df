export declare const BUNDLE_DIR: string;
export declare const KEEP_RECENT: number;
export declare const MIN_AGE_MS: number;
export declare function bundlePath(digest: string, dir?: string): string;
export declare function claimBundle(bundle: string): boolean;
export declare function writeBundle(bundle: string, write: (tmp: string) => Promise<boolean>): Promise<boolean>;
export declare function pruneBundles(dir?: string, opts?: { keep?: number; minAgeMs?: number; now?: number }): string[];
export declare function removeLegacyBundles(root?: string): void;
export declare function sourcesDigest(root: string, dashboardsDir: string, extraFiles?: string[], digests?: import("./digestRecord.mjs").DigestRecord): string;
export declare function sourcesDigests(
  root: string,
  dashboardsDir: string,
  opts?: { extraFiles?: string[]; withTool?: true; digests?: import("./digestRecord.mjs").DigestRecord; files?: Map<string, string> },
): { bundle: string; tool: string };
export declare function sidecarPath(bundle: string, kind: "meta.json" | "map" | "vendor.json" | "files.json"): string;
export declare function writeSidecar(bundle: string, kind: "meta.json" | "map" | "vendor.json" | "files.json", text: string): void;
