export declare function debugRequested(argv?: string[], env?: NodeJS.ProcessEnv): boolean;
export declare function isSystemError(e: unknown): e is NodeJS.ErrnoException & { syscall: string; path?: string; dest?: string };
export declare function systemErrorLine(e: NodeJS.ErrnoException): string;
export declare function describeFailure(e: unknown, opts?: { debug?: boolean }): { text: string; exitCode: number };
export declare function runCommand(main: () => Promise<number>, opts?: { debug?: boolean }): Promise<number>;
