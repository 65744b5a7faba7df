export declare const VENDOR_GLOBAL: string;
export declare function vendorPath(root: string, dir: string, specifiers: Iterable<string>, esbuildVersion: string): string;
export declare function bundleVendor(root: string, specifiers: Iterable<string>, outfile: string): Promise<void>;
export declare function loadVendor(root: string, bundle: string): Promise<void>;
