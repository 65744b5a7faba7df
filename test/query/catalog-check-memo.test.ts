// The catalog check answers each expression once per catalog and set of extra names, comparing the
// names by content: the build's alert checks and lint's rule-file rules hand over equal names in
// objects of their own, and must not check every rule expression twice.
import { afterEach, describe, expect, it, vi } from "vitest";
import { catalog } from "../../catalog/index.js";
import { Checker, checkExpressionAgainstCatalog } from "../../src/query/catalogCheck.js";

afterEach(() => vi.restoreAllMocks());

// A recording rule's series; the expressions below are unique to this file, so no other test's memo answers them.
const RECORDED = "job:memo_test_calls:rate5m";

describe("checkExpressionAgainstCatalog memo", () => {
  it("checks an expression once for equal extra names held in different objects", () => {
    const infer = vi.spyOn(Checker.prototype, "infer");
    const expr = `sum by (model) (${RECORDED}{model="a"}) > 1`;
    const first = checkExpressionAgainstCatalog(expr, catalog, { [RECORDED]: ["model"], "other:series": ["x"] });
    const calls = infer.mock.calls.length;
    expect(calls).toBeGreaterThan(0);
    // Same content, keys in another order, a new object.
    const second = checkExpressionAgainstCatalog(expr, catalog, { "other:series": ["x"], [RECORDED]: ["model"] });
    expect(infer.mock.calls.length).toBe(calls);
    expect(second).toEqual(first);
    expect(first).toEqual([]);
  });

  it("keeps extra names that differ apart: labels, label order and unchecked names", () => {
    const expr = `sum by (region) (${RECORDED}{region="eu"})`;
    const withLabel = checkExpressionAgainstCatalog(expr, catalog, { [RECORDED]: ["region"] });
    const without = checkExpressionAgainstCatalog(expr, catalog, { [RECORDED]: ["model", "zone"] });
    const reordered = checkExpressionAgainstCatalog(expr, catalog, { [RECORDED]: ["zone", "model"] });
    const anyLabels = checkExpressionAgainstCatalog(expr, catalog, [RECORDED]);
    const none = checkExpressionAgainstCatalog(expr, catalog, {});
    expect(withLabel).toEqual([]);
    expect(without.map((i) => `${i.code}:${i.label}`)).toEqual(["unknown-label:region", "unknown-label:region"]);
    // The message lists the series' labels in the order given.
    expect(without[0].message).toContain("job, instance, model, zone");
    expect(reordered[0].message).toContain("job, instance, zone, model");
    expect(anyLabels).toEqual([]);
    expect(none.map((i) => i.code)).toEqual(["unknown-metric"]);
  });
});
