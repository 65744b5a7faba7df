// The shapes that make a synthetic panel look like a real one: traffic that follows the day, and a
// few error bursts at places fixed by the seed (so two renders of the same window are identical).

const DAY = 86400;

/** Traffic multiplier at unix second t: low at 04:00 UTC, high at 16:00, with a small half-hour ripple. */
export function diurnal(t: number): number {
  const day = Math.sin((2 * Math.PI * (t - 10 * 3600)) / DAY);
  const ripple = Math.sin((2 * Math.PI * t) / 1800);
  return 1 + 0.45 * day + 0.08 * ripple;
}

/**
 * 0 outside a burst, rising to 1 inside; two bursts per window, each about 4 % of it long, placed
 * by the seed in the second and fourth fifths (the recent end of a window is where a reader looks).
 */
export function burst(i: number, samples: number, seed: number): number {
  const width = Math.max(2, Math.round(samples * 0.04));
  const centres = [0.3, 0.78].map((f, j) => Math.round(samples * (f + 0.1 * (frac(seed * 0.618034 + j * 0.414214) - 0.5))));
  let out = 0;
  for (const c of centres) {
    const d = Math.abs(i - c) / width;
    if (d < 1) out = Math.max(out, 1 - d * d);
  }
  return out;
}

const ERROR_VALUE = /^(5\d\d|5xx|4\d\d|4xx|error|errors|err|fail|failed|failure|timeout|timed_?out|exception|internal|rate_limit|api_error)$/i;

/** Series that count failures: by name (llm_errors_total) or by a label value (status="500"). */
export function isErrorSeries(name: string, labels: Record<string, string>): boolean {
  return /(error|fail|refused|rejected)/.test(name) || Object.values(labels).some((v) => ERROR_VALUE.test(v));
}

function frac(x: number): number {
  return x - Math.floor(x);
}
