// Values formatted as Grafana formats them. Expected strings are Grafana's own documented outputs:
// the cases of packages/grafana-data/src/valueFormats/valueFormats.test.ts and the unit picker's
// examples (percentunit 0.0123 → 1.23%, bytes in KiB/MiB/GiB, seconds in ms/s/min).
import { describe, expect, it } from "vitest";
import { formatValue, toFixed } from "../../src/preview/units.js";

describe("Grafana's value formats", () => {
  it.each([
    ["currencyUSD", 2, 1532.82, "$1.53K"],
    ["ms", 4, 0.0024, "0.0024 ms"],
    ["ms", 0, 100, "100 ms"],
    ["ms", 2, 1250, "1.25 s"],
    ["ms", 1, 10000086.123, "2.8 hour"],
    ["ms", 0, 1200, "1 s"],
  ] as const)("%s with %s decimals: %s → %s (Grafana's test cases)", (unit, decimals, value, expected) => {
    expect(formatValue(value, unit, decimals)).toBe(expected);
  });

  it.each([
    ["percentunit", 0.0123, "1.23%"],
    ["percentunit", 1, "100%"],
    ["percent", 42, "42%"],
    ["bytes", 512, "512 B"],
    ["bytes", 1536, "1.50 KiB"],
    ["bytes", 256 * 2 ** 20, "256 MiB"],
    ["bytes", 3 * 2 ** 30, "3 GiB"],
    ["s", 0.25, "250 ms"],
    ["s", 0.0005, "500 µs"],
    ["s", 12, "12 s"],
    ["s", 90, "1.50 min"],
    ["s", 7200, "2 hour"],
    ["s", 0, "0 s"],
    ["ms", 250, "250 ms"],
    ["reqps", 42, "42 req/s"],
    ["reqps", 1500, "1.50K req/s"],
    ["cpm", 3, "3 cpm"],
    ["Bps", 1500, "1.50 kB/s"],
    ["short", 98765, "98.8 K"],
    ["short", 2_500_000, "2.50 Mil"],
    ["currencyUSD", -12.5, "-$12.5"],
  ] as const)("%s: %s → %s", (unit, value, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });

  it("custom units: suffix: and prefix: keep their text, an unknown id becomes a suffix", () => {
    // Grafana adds a space before the suffix text, which here starts with one too (collapsed when drawn).
    expect(formatValue(12.5, "suffix: calls/s")).toBe("12.5  calls/s");
    expect(formatValue(3, "prefix:~")).toBe("~3");
    expect(formatValue(3, "widgets")).toBe("3 widgets");
  });

  it("toFixed rounds and pads as Grafana's does", () => {
    expect([toFixed(100), toFixed(100.4), toFixed(100.5)]).toEqual(["100", "100", "101"]);
    expect([toFixed(100, 1), toFixed(100.37, 1), toFixed(100.63, 1), toFixed(100.4, 2)]).toEqual(["100.0", "100.4", "100.6", "100.40"]);
    expect(toFixed(186.123, -2)).toBe("186");
  });
});
