export declare const SEMI_SPACE_CAP: number;
export declare function growthFactor(semi: number, cap?: number): number;
export declare function capYoungGeneration(): void;
export declare function steerYoungGeneration(): boolean;
export declare function atDefaultGrowth<T>(fn: () => T): T;
