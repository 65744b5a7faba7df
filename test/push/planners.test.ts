// The push's planners: every kind has one, each phase has one owner and one rank, and whatever an
// object waits for is planned (and applied) before it.
import { describe, expect, it } from "vitest";
import { PLANNERS } from "../../src/push/planners/index.js";
import { KINDS } from "../../src/push/types.js";

describe("planner registry", () => {
  it("covers every kind", () => {
    expect(new Set(PLANNERS.map((p) => p.kind))).toEqual(new Set(KINDS));
  });

  it("each phase belongs to one planner and has its own rank", () => {
    const phases = PLANNERS.flatMap((p) => Object.entries(p.phases));
    expect(new Set(phases.map(([name]) => name)).size).toBe(phases.length);
    expect(new Set(phases.map(([, rank]) => rank)).size).toBe(phases.length);
  });

  it("applies what others live in or name first, and deletes datasources last", () => {
    const rank = Object.fromEntries(PLANNERS.flatMap((p) => Object.entries(p.phases)));
    expect(rank.folders).toBeLessThan(rank.dashboards);
    expect(rank["dashboards-delete"]).toBeLessThan(rank.dashboards);
    expect(rank["contact-points"]).toBeLessThan(rank["rule-groups"]);
    expect(rank["contact-points"]).toBeLessThan(rank.policies);
    expect(rank["folders-delete"]).toBeGreaterThan(rank["rule-groups-delete"]);
    expect(Math.max(...Object.values(rank))).toBe(rank["datasources-delete"]);
  });

  it("plans folders before what reads their tasks, and folder pruning after every deletion", () => {
    const order = PLANNERS.map((p) => p.phases);
    const at = (phase: string) => order.findIndex((ph) => phase in ph);
    expect(at("folders")).toBeLessThan(at("dashboards"));
    expect(at("contact-points")).toBeLessThan(at("rule-groups"));
    expect(at("folders-delete")).toBe(PLANNERS.length - 1);
  });
});
