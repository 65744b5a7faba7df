// The navigation menu and links between dashboards come from the definitions: their declared uid,
// title and nav entry, with no list of dashboards kept anywhere else.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.js";
import { withNav } from "../../dashboards/_shared/nav.js";
import { linkTo } from "../../dashboards/_shared/panels.js";
import { defineDashboard, type NavEntry } from "../../src/definitions.js";
import { buildDashboards } from "../../src/pipeline/dashboards.js";
import { baseDashboard } from "../../src/presets/dashboard.js";
import { statPanel } from "../../src/presets/panels.js";
import { prom } from "../../src/presets/targets.js";

const config = loadConfig("dev");

function board(uid: string, title: string, nav?: NavEntry, linkTarget?: string) {
  return defineDashboard({
    uid,
    title,
    folder: "services",
    nav,
    build: (ctx, self) => {
      const d = withNav(baseDashboard(ctx, { ...self, description: "d" }), ctx, self);
      if (linkTarget) {
        const stat = statPanel({ title: "S", unit: "reqps", description: "s", targets: [prom("sum(up)")] });
        d.withPanel(linkTo(stat, ctx, linkTarget));
      }
      return d;
    },
  });
}

const links = (json: { links?: { url?: string; title?: string; tooltip?: string }[] }) =>
  (json.links ?? []).filter((l) => l.url).map((l) => [l.url, l.title, l.tooltip]);

describe("navigation from the definitions", () => {
  it("lists every definition with a nav entry in nav.order, under its menu title, and uses the declared uid and title", () => {
    const built = buildDashboards(
      [board("zeta", "Zeta overview", { order: 1, title: "Zeta" }), board("alpha", "Alpha", { order: 2 }), board("off", "Off menu")],
      config,
    );
    const byUid = Object.fromEntries(built.map((b) => [b.json.uid, b.json]));
    expect(byUid.zeta.title).toBe("Zeta overview");
    expect(links(byUid.zeta)).toEqual([["/d/alpha", "Alpha", "Open the Alpha dashboard"]]);
    expect(links(byUid.alpha)).toEqual([["/d/zeta", "Zeta", "Open the Zeta dashboard"]]);
    expect(links(byUid.off)).toEqual([
      ["/d/zeta", "Zeta", "Open the Zeta dashboard"],
      ["/d/alpha", "Alpha", "Open the Alpha dashboard"],
    ]);
  });

  it("a new definition joins the menu of the others", () => {
    const built = buildDashboards([board("a", "A", { order: 1 }), board("b", "B", { order: 3 }), board("new", "New", { order: 2 })], config);
    expect(links(built.find((b) => b.json.uid === "a")!.json).map(([url]) => url)).toEqual(["/d/new", "/d/b"]);
  });

  it("a link to a uid no definition has fails the build naming the dashboard and the uid", () => {
    expect(() => buildDashboards([board("a", "A", { order: 1 }, "no-such-board")], config)).toThrow(
      /dashboard "a".*no dashboard definition has uid "no-such-board"/,
    );
  });
});
