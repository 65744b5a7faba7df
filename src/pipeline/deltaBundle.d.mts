import type { Problem } from "../errors.js";
export declare const MAX_DELTA_SHARE: number;
export declare function deltaPath(digest: string, base: string, dir?: string): string;
export interface SplitSources {
  engine: string;
  area: Record<string, string>;
}
export declare function splitSources(files: Map<string, string>, opts: { root: string; dashboardsDir: string; tool: string; lock: string }): SplitSources;
export declare function rememberBase(bundle: string, key: string, split: () => SplitSources, dir?: string): void;
export interface Delta {
  delta: string;
  base: string;
  made: boolean;
  definitions?: string[];
}
export declare function existingDelta(digest: string, key: string, dir?: string): Delta | undefined;
export declare function makeDelta(opts: { root: string; dashboardsDir: string; digest: string; key: string; split: SplitSources; dir?: string }): Promise<Delta | { problems: Problem[] } | undefined>;
