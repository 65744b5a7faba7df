// Grafana's dark theme as far as a preview needs it: canvas and panel colours, text, grid lines, the
// classic series palette and the named colours thresholds and overrides use.
import type { Threshold } from "./model.js";

export const THEME = {
  canvas: "#111217",
  panel: "#181b1f",
  border: "#2a2d33",
  text: "#ccccdc",
  textWeak: "#8e8e9d",
  grid: "#2c3038",
  font: "Inter, Helvetica, Arial, sans-serif",
  fontSize: 12,
  titleHeight: 32,
} as const;

/** Grafana's classic palette, in order (palette-classic). */
export const PALETTE = [
  "#73BF69", "#F2CC0C", "#8AB8FF", "#FF780A", "#F2495C", "#5794F2", "#B877D9", "#705DA0",
  "#37872D", "#FADE2A", "#447EBC", "#C15C17", "#890F02", "#0A437C", "#6D1F62", "#584477",
];

const NAMED: Record<string, string> = {
  green: "#73BF69", "dark-green": "#37872D", "semi-dark-green": "#56A64B", "light-green": "#96D98D",
  red: "#F2495C", "dark-red": "#C4162A", "semi-dark-red": "#E02F44", "light-red": "#FF7383",
  yellow: "#FADE2A", "dark-yellow": "#E0B400", "semi-dark-yellow": "#F2CC0C", "light-yellow": "#FFEE52",
  orange: "#FF9830", "dark-orange": "#FA6400", "semi-dark-orange": "#FF780A", "light-orange": "#FFB357",
  blue: "#5794F2", "dark-blue": "#1F60C4", "semi-dark-blue": "#3274D9", "light-blue": "#8AB8FF",
  purple: "#B877D9", "dark-purple": "#8F3BB8", "semi-dark-purple": "#A352CC", "light-purple": "#CA95E5",
  text: THEME.text, transparent: "transparent",
};

/** A colour as Grafana names it ("green", "semi-dark-red", "#aabbcc") → a CSS colour. */
export function resolveColor(name: string | undefined, fallback = PALETTE[0]): string {
  if (!name) return fallback;
  if (NAMED[name]) return NAMED[name];
  return /^(#[0-9a-fA-F]{3,8}|rgba?\([\d\s.,%]+\))$/.test(name) ? name : fallback;
}

/** The colour of the highest threshold step at or below `value` (the base step's value is null). */
export function thresholdColor(steps: readonly Threshold[] | undefined, value: number, fallback = PALETTE[0]): string {
  if (!steps?.length) return fallback;
  let color = steps[0].color;
  for (const s of steps) if (s.value === null || value >= s.value) color = s.color;
  return resolveColor(color, fallback);
}

export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

/** Text safe inside SVG/HTML markup. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Cut `s` to about `width` px at `fontSize` (an average glyph is ~0.58 em), with an ellipsis. */
export function fitText(s: string, width: number, fontSize: number): string {
  const max = Math.max(1, Math.floor(width / (fontSize * 0.58)));
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}
