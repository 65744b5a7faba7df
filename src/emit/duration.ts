// Prometheus durations ("1h30m", "90s", "0s"), as Grafana parses them for rule intervals and `for`.
const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

export function parseDurationSeconds(input: string | number): number {
  if (typeof input === "number") return input;
  const s = input.trim();
  if (s === "0") return 0;
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (s.length === 0 || matched !== s.length) throw new Error(`not a duration: "${input}"`);
  return total;
}

/** The canonical form Prometheus prints (model.Duration.String()): "1h30m", "0s". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  let ms = Math.round(seconds * 1000);
  let out = "";
  for (const [unit, size] of [
    ["y", 31536000000],
    ["w", 604800000],
    ["d", 86400000],
    ["h", 3600000],
    ["m", 60000],
    ["s", 1000],
    ["ms", 1],
  ] as const) {
    if (ms >= size) {
      out += `${Math.floor(ms / size)}${unit}`;
      ms %= size;
    }
  }
  return out;
}
