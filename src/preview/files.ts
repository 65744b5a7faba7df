// The files of a preview: per dashboard <uid>.svg, <uid>.png, <uid>.html and <uid>/panel-<id>.svg,
// and index.html. Paths and bytes depend only on the renders, so two runs write the same tree.
import { svgToPng, type RenderedDashboard } from "./dashboard.js";
import { dashboardPage, indexPage } from "./html.js";

export interface PreviewFile {
  path: string;
  content: string | Uint8Array;
}

/** `png`: false for none, the PNG's bytes when already made (pngPool.ts), else rendered here. */
export function dashboardFiles(d: RenderedDashboard, opts: { png?: boolean | Uint8Array; errors?: readonly string[]; pageExtra?: string } = {}): PreviewFile[] {
  const errors = opts.errors ?? d.panels.flatMap((p) => p.errors);
  return [
    { path: `${d.uid}.svg`, content: d.svg },
    ...(opts.png === false ? [] : [{ path: `${d.uid}.png`, content: opts.png instanceof Uint8Array ? opts.png : svgToPng(d.svg) }]),
    { path: `${d.uid}.html`, content: dashboardPage(d, errors, opts.pageExtra) },
    ...d.panels.map((p) => ({ path: `${d.uid}/panel-${p.id}.svg`, content: p.svg })),
  ];
}

/** `pngs`: the PNGs already made, by uid (the others are rendered here unless `png` is false). */
export function previewFiles(rendered: readonly RenderedDashboard[], opts: { png?: boolean; pngs?: ReadonlyMap<string, Uint8Array> } = {}): PreviewFile[] {
  const sorted = [...rendered].sort((a, b) => a.uid.localeCompare(b.uid));
  const png = (uid: string) => (opts.png === false ? false : (opts.pngs?.get(uid) ?? true));
  return [...sorted.flatMap((d) => dashboardFiles(d, { png: png(d.uid) })), { path: "index.html", content: indexPage(sorted) }];
}
