// The gallery (index.html: every dashboard's picture, linking to its page) and one page per
// dashboard with one image per panel at its grid position. Static files: no script, nothing fetched
// from elsewhere; the served page adds a small reload script (serve.ts).
import type { RenderedDashboard } from "./dashboard.js";
import { windowLabel } from "./dashboard.js";
import { THEME, escapeXml as esc } from "./theme.js";

const STYLE = `body{margin:0;background:${THEME.canvas};color:${THEME.text};font-family:${THEME.font}}
a{color:#6e9fff}header{padding:12px 16px}h1{font-size:20px;margin:0 0 4px}.sub{color:${THEME.textWeak};font-size:12px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:16px;padding:16px}
.card{background:${THEME.panel};border:1px solid ${THEME.border};padding:8px}.card img{width:100%;display:block}
.canvas{position:relative;margin:0 16px 16px}.canvas img{position:absolute;display:block}
.errors{margin:0 16px 12px;padding:8px 12px;border:1px solid #D10E5C;background:#2a1219;color:#ffb3c4;white-space:pre-wrap;font-size:13px}`;

export function indexPage(dashboards: readonly Pick<RenderedDashboard, "uid" | "title" | "window">[], extra = ""): string {
  const cards = dashboards
    .map((d) => `<div class="card"><a href="${enc(d.uid)}.html"><img src="${enc(d.uid)}.png" alt="${esc(d.title)}"></a><div><a href="${enc(d.uid)}.html">${esc(d.title)}</a> <span class="sub">${esc(d.uid)}</span></div></div>`)
    .join("\n");
  return page("Dashboard previews", `<header><h1>Dashboard previews</h1><div class="sub">${dashboards.length} dashboards${dashboards[0] ? ` · ${esc(windowLabel(dashboards[0].window))}` : ""}</div></header>\n${extra}<div class="grid">\n${cards}\n</div>`);
}

/** `errors`: problems to show above the panels (failed queries, a failed rebuild), each naming where. */
export function dashboardPage(d: RenderedDashboard, errors: readonly string[] = [], extra = ""): string {
  const panels = d.panels
    .map((p) => `<img src="${enc(d.uid)}/panel-${p.id}.svg" alt="${esc(p.title || p.type)}" data-panel="${p.id}" data-type="${esc(p.type)}" style="left:${p.x}px;top:${p.y}px;width:${p.width}px;height:${p.height}px">`)
    .join("\n");
  const height = Math.max(0, ...d.panels.map((p) => p.y + p.height));
  const box = errors.length ? `<div class="errors" id="errors">${errors.map(esc).join("\n")}</div>` : "";
  return page(
    d.title,
    `<header><h1>${esc(d.title)}</h1><div class="sub"><a href="index.html">all dashboards</a> · ${esc(d.uid)} · ${esc(windowLabel(d.window))}</div></header>\n${box}${extra}<div class="canvas" style="height:${height}px">\n${panels}\n</div>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>\n<body>\n${body}\n</body></html>\n`;
}

const enc = (s: string) => encodeURIComponent(s);
