export declare function checksum(data: string | Uint8Array, layout: string): number;
