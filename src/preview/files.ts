// The files of a preview: per dashboard <uid>.svg, <uid>.png, <uid>.html and <uid>/panel-<id>.svg,
// and index.html. Paths and bytes depend only on the renders, so two runs write the same tree.
import { svgToPng, type RenderedDashboard } from "./dashboard.js";
import { dashboardPage, indexPage } from "./html.js";

export interface PreviewFile {
  path: string;
  content: string | Uint8Array;
}

export function dashboardFiles(d: RenderedDashboard, opts: { png?: boolean; errors?: readonly string[]; pageExtra?: string } = {}): PreviewFile[] {
  const errors = opts.errors ?? d.panels.flatMap((p) => p.errors);
  return [
    { path: `${d.uid}.svg`, content: d.svg },
    ...(opts.png === false ? [] : [{ path: `${d.uid}.png`, content: svgToPng(d.svg) }]),
    { path: `${d.uid}.html`, content: dashboardPage(d, errors, opts.pageExtra) },
    ...d.panels.map((p) => ({ path: `${d.uid}/panel-${p.id}.svg`, content: p.svg })),
  ];
}

export function previewFiles(rendered: readonly RenderedDashboard[], opts: { png?: boolean } = {}): PreviewFile[] {
  const sorted = [...rendered].sort((a, b) => a.uid.localeCompare(b.uid));
  return [...sorted.flatMap((d) => dashboardFiles(d, opts)), { path: "index.html", content: indexPage(sorted) }];
}
