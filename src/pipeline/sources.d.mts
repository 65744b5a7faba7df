import type { Problem } from "../errors.js";
export declare const SOURCE_DIRS: string[];
export declare function definitionFiles(dir: string): string[];
export declare function sourceFiles(dirs: string[]): string[];
export declare function invalidUtf8Offset(bytes: Uint8Array): number;
export declare function utf8Problems(files: string[], root: string): Problem[];
export declare function esbuildProblems(errors: unknown[], root: string): Problem[];
export declare function cycleProblems(metafile: unknown, definitions: string[], root: string): Problem[];
export interface IncrementalBundle {
  ctx?: unknown;
  entry?: string;
}
export declare function disposeIncremental(incremental: IncrementalBundle): Promise<void>;
export declare function bundleDefinitions(opts: { root: string; dashboardsDir: string; outfile?: string; entry?: string; incremental?: IncrementalBundle; vendor?: Set<string> | false }): Promise<{ problems: Problem[]; metafile?: { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> }; sourceMap?: string }>;
export declare const DELTA_DEFINITIONS: string;
export declare const DELTA_ENTRY: string;
export declare function bundleDeltaDefinitions(opts: { root: string; definitions: string[]; outfile: string; vendor: Set<string> }): Promise<{ problems: Problem[]; metafile?: { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> }; code?: Uint8Array; sourceMap?: string }>;
