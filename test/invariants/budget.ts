// How much the property tests try: a small fixed-seed budget in `npm test`, more under `npm run fuzz`
// (FUZZ_RUNS=<n>, optionally FUZZ_SEED=<n> to explore other inputs; a failure prints its seed and path;
// FUZZ_CODES=1 or =full lists why generated builds were refused).
export const FUZZ = process.env.FUZZ_RUNS !== undefined;

export function budget(runs: number): { numRuns: number; seed: number } {
  const scale = Number(process.env.FUZZ_RUNS);
  return { numRuns: Number.isFinite(scale) && scale > 0 ? Math.max(runs, scale) : runs, seed: Number(process.env.FUZZ_SEED ?? 20261201) };
}
