export declare function codeCachePath(file: string): string;
export declare const REFRESH_FACTOR: number;
export declare const cacheUse: Map<string, "accepted" | "rejected" | "missing">;
export declare function writeCaches(options?: { atExit?: boolean }): void;
export declare function loadCommonJs(file: string): unknown;
export declare function runBundle(file: string): Promise<void>;
export declare function staleCodeCaches(dir: string, opts: { minAgeMs: number; now?: number }): string[];
/** Bytes of a cache file's checksum, and of its whole header (checksum and bytecode stamp). */
export declare const SUM: number;
export declare const HEAD: number;
