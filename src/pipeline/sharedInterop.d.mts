/** The bundle's text with esbuild's __toESM memoised per module (unchanged when its helper is not found once). */
export declare function shareInterop(text: string): string;
