export declare const DIGEST_RECORD_DIR: string;
export declare const RACY_MARGIN_NS: bigint;
export declare function fileDigest(path: string, bytes: Uint8Array | string): string;
export declare function digestRecordPath(key: string, dir?: string): string;
export declare class DigestRecord {
  constructor(file?: string, opts?: { key?: string; racyMarginNs?: bigint });
  /** Files read (not answered from the record) so far. */
  readonly reads: number;
  of(path: string, st?: import("node:fs").BigIntStats): string;
  save(): boolean;
}
export declare function statOrUndefined(path: string): import("node:fs").BigIntStats | undefined;
export declare function filesIn(dir: string): [string, import("node:fs").BigIntStats][];
