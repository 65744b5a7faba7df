export declare function findRepoRoot(start: string): string;
export declare const REPO_ROOT: string;
export declare const CACHE_DIR: string;
export declare const ROOT_FROM_LAUNCHER: unique symbol;
