// How much the property tests try: a small fixed-seed budget in `npm test`, more under `npm run fuzz`
// (FUZZ_RUNS=<n>, optionally FUZZ_SEED=<n> to explore other inputs; a failure prints its seed and path;
// FUZZ_CODES=1 or =full lists why generated builds were refused).
export const FUZZ = process.env.FUZZ_RUNS !== undefined;

/** `runs` in `npm test`; FUZZ_RUNS (divided by `cost` for properties that start a process per run) when fuzzing. */
export function budget(runs: number, cost = 1): { numRuns: number; seed: number } {
  const scale = Number(process.env.FUZZ_RUNS);
  return { numRuns: Number.isFinite(scale) && scale > 0 ? Math.max(runs, Math.floor(scale / cost)) : runs, seed: Number(process.env.FUZZ_SEED ?? 20261201) };
}

/** Per-test timeout: vitest's default in `npm test`, ten minutes when fuzzing. */
export const FUZZ_TIMEOUT = FUZZ ? 600_000 : undefined;
