// Grafana's value formatting (packages/grafana-data/src/valueFormats) for the unit ids dashboards
// here use, so an axis, a stat or a table cell reads exactly as it will in Grafana: "1.23%", "512 MiB",
// "250 ms", "1.5 min", "$1.53K". An id this file does not know is written as a suffix, as Grafana does.

export interface Formatted {
  prefix?: string;
  text: string;
  suffix?: string;
}

type Formatter = (value: number, decimals?: number) => Formatted;

export function formattedToString(f: Formatted): string {
  return `${f.prefix ?? ""}${f.text}${f.suffix ?? ""}`;
}

/** `value` in `unit` with `decimals` (undefined: Grafana's automatic precision). */
export function formatValue(value: number, unit: string | undefined, decimals?: number): string {
  return formattedToString(formatterFor(unit)(value, decimals));
}

export function formatterFor(unit: string | undefined): Formatter {
  if (!unit) return fixedUnit("");
  const known = FORMATS[unit];
  if (known) return known;
  const colon = unit.indexOf(":");
  if (colon > 0) {
    const key = unit.slice(0, colon);
    const sub = unit.slice(colon + 1);
    if (key === "prefix") return fixedUnit(sub, true);
    if (key === "suffix") return fixedUnit(sub);
    if (key === "count") return countUnit(sub);
    if (key === "currency") return currency(sub);
  }
  return fixedUnit(unit);
}

/** Grafana's toFixed: automatic precision from the magnitude, trailing zeros up to `decimals`. */
export function toFixed(value: number, decimals?: number): string {
  if (value === Number.NEGATIVE_INFINITY || value === Number.POSITIVE_INFINITY) return value.toLocaleString("en-US");
  const dec = decimals ?? decimalsFor(value);
  if (value === 0) return value.toFixed(Math.max(0, dec));
  const factor = dec ? 10 ** Math.max(0, dec) : 1;
  const formatted = String(Math.round(value * factor) / factor);
  if (formatted.includes("e")) return formatted;
  const point = formatted.indexOf(".");
  const precision = point === -1 ? 0 : formatted.length - point - 1;
  if (precision < dec) return (precision ? formatted : formatted + ".") + String(factor).slice(1, dec - precision + 1);
  return formatted;
}

function decimalsFor(value: number): number {
  const log10 = Math.floor(Math.log(Math.abs(value)) / Math.LN10);
  let dec = -log10 + 1;
  const norm = value / 10 ** -dec;
  if (norm > 2.25) ++dec; // Grafana's "2.5 needs one more digit"
  if (value % 1 === 0) dec = 0;
  return Math.max(0, dec);
}

function fixedUnit(unit: string, asPrefix = false): Formatter {
  return (value, decimals) => {
    const text = toFixed(value, decimals);
    if (!unit) return { text };
    return asPrefix ? { prefix: unit, text } : { text, suffix: ` ${unit}` };
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function scaledUnits(factor: number, suffixes: string[], offset = 0): Formatter {
  return (value, decimals) => {
    if (!Number.isFinite(value)) return { text: value.toLocaleString("en-US") };
    const index = Math.floor(Math.log10(Math.abs(value)) / Math.log10(factor));
    const suffix = suffixes[clamp(offset + index, 0, suffixes.length - 1)];
    return { text: toFixed(value / factor ** clamp(index, -offset, suffixes.length - offset - 1), decimals), suffix };
  };
}

function countUnit(symbol: string): Formatter {
  const scale = scaledUnits(1000, ["", "K", "M", "B", "T"]);
  return (value, decimals) => {
    const v = scale(value, decimals);
    return { ...v, suffix: `${v.suffix ?? ""} ${symbol}` };
  };
}

function currency(symbol: string): Formatter {
  const scale = scaledUnits(1000, ["", "K", "M", "B", "T"]);
  return (value, decimals) => {
    const v = scale(Math.abs(value), decimals);
    return { ...v, prefix: value < 0 ? `-${symbol}` : symbol };
  };
}

const binary = (unit: string) => scaledUnits(1024, ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"].map((p) => ` ${p}${unit}`));
const decimal = (unit: string) => scaledUnits(1000, ["", "k", "M", "G", "T", "P", "E", "Z", "Y"].map((p) => ` ${p}${unit}`));

/** A time in `base` seconds, scaled to the largest unit below it (Grafana's toSeconds / toMilliSeconds). */
function duration(base: number): Formatter {
  const steps: [number, string][] = [
    [1e-9, " ns"],
    [1e-6, " µs"],
    [1e-3, " ms"],
    [1, " s"],
    [60, " min"],
    [3600, " hour"],
    [86400, " day"],
    [604800, " week"],
  ];
  return (value, decimals) => {
    if (value === 0) return { text: "0", suffix: base === 1 ? " s" : " ms" };
    const seconds = Math.abs(value) * base;
    // Milliseconds never go below ms (Grafana's toMilliSeconds), nor use weeks.
    const usable = base === 1 ? steps : steps.filter(([s]) => s >= 1e-3 && s !== 604800);
    let chosen = usable[0];
    for (const step of usable) if (seconds >= step[0]) chosen = step;
    if (seconds >= (base === 1 ? 31536000 : 31536000)) chosen = [base === 1 ? 3.15569e7 : 31536000, " year"];
    return { text: toFixed((value * base) / chosen[0], decimals), suffix: chosen[1] };
  };
}

const FORMATS: Record<string, Formatter> = {
  none: fixedUnit(""),
  short: scaledUnits(1000, ["", " K", " Mil", " Bil", " Tri", " Quadr", " Quint", " Sext", " Sept"]),
  percent: (v, d) => ({ text: toFixed(v, d), suffix: "%" }),
  percentunit: (v, d) => ({ text: toFixed(100 * v, d), suffix: "%" }),
  bytes: binary("B"),
  bits: binary("b"),
  decbytes: decimal("B"),
  Bps: decimal("B/s"),
  bps: decimal("bps"),
  s: duration(1),
  ms: duration(1e-3),
  reqps: countUnit("req/s"),
  rps: countUnit("rd/s"),
  wps: countUnit("wr/s"),
  ops: countUnit("ops/s"),
  cps: countUnit("c/s"),
  cpm: countUnit("cpm"),
  currencyUSD: currency("$"),
  currencyEUR: currency("€"),
  currencyGBP: currency("£"),
};
