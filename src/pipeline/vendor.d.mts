export declare const VENDOR_GLOBAL: string;
export declare function vendorPath(root: string, dir: string, specifiers: Iterable<string>, esbuildVersion: string): string;
export declare function vendorGroupPath(index: string, n: number): string;
export declare function bundleVendor(root: string, specifiers: Iterable<string>, index: string): Promise<void>;
export declare function loadVendor(root: string, bundle: string): Promise<void>;
export declare function bundleRun(
  bundleDefinitions: typeof import("./sources.mjs").bundleDefinitions,
  opts: { root: string; dashboardsDir: string; outfile: string; entry?: string; bundle: string },
): ReturnType<typeof import("./sources.mjs").bundleDefinitions>;
export declare function loadedPackages(): string[];
