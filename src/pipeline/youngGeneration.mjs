// A one-shot build's young generation, capped at semi-spaces of 8 MiB instead of V8's 16. The
// launcher cannot pass --max-semi-space-size (V8 reads it only when the heap is made), so it steers
// --semi-space-growth-factor, which V8 reads at each growth: V8's doubling until the space reaches
// the cap, then no growth. The space is looked at after each collection (a growth happens only in
// one) and, synchronously, at the launcher's steps and before each batch of dashboards (a
// collection's report waits for the event loop). At 1,000 dashboards: ~16 MiB off the peak for
// about the same collector time (the build allocates little that lives long).
import { PerformanceObserver } from "node:perf_hooks";
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

export const SEMI_SPACE_CAP = 8 * 1024 * 1024;
const STEERED = Symbol.for("grafana-as-code.youngGeneration");

/** The size of one semi-space now (the new space is two of them). */
function semiSpace() {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
  return space ? space.space_size / 2 : 0;
}

/** The growth factor for a semi-space of `semi` bytes: V8's 2 below half the cap, then what reaches it, then 1. */
export function growthFactor(semi, cap = SEMI_SPACE_CAP) {
  if (semi >= cap || semi <= 0) return 1;
  return semi * 2 <= cap ? 2 : Math.max(1, Math.floor(cap / semi));
}

/** The launcher, first: the young generation is capped from now on (a growth already past the cap stays). */
export function capYoungGeneration() {
  // `factor`: the growth factor last set (V8's 2 until steered); 1 once the cap is reached, for good.
  globalThis[STEERED] = { factor: 2 };
  if (steerYoungGeneration()) return;
  const observer = new PerformanceObserver(() => {
    if (steerYoungGeneration()) observer.disconnect();
  });
  observer.observe({ entryTypes: ["gc"] });
}

/** Sets the growth factor for the space as it is now; true once it stays. Nothing unless the launcher capped it. */
export function steerYoungGeneration() {
  const state = globalThis[STEERED];
  if (!state) return false;
  if (state.factor === 1) return true;
  state.factor = growthFactor(semiSpace());
  setFlagsFromString(`--semi-space-growth-factor=${state.factor}`);
  return state.factor === 1;
}

/**
 * Runs `fn` with the growth factor at V8's default (2). V8 checks code-cache data against the flags
 * that differ from their defaults, so a cache read or made while the factor is steered to 1 would be
 * rejected by, or made for, no other run: every cache is read and made with it at the default.
 */
export function atDefaultGrowth(fn) {
  const state = globalThis[STEERED];
  if (!state || state.factor === 2) return fn();
  setFlagsFromString("--semi-space-growth-factor=2");
  try {
    return fn();
  } finally {
    setFlagsFromString(`--semi-space-growth-factor=${state.factor}`);
  }
}
