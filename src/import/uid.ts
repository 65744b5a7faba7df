// The uid of an imported dashboard that has none (Grafana exports such dashboards when "Export for
// sharing externally" is used or the JSON was written by hand): a slug of the title, unique among the
// dashboards the repository already defines.
import { createHash } from "node:crypto";
import { join, relative, resolve } from "node:path";
import { definitionFiles } from "../pipeline/collect.js";
import { importDefinition } from "../pipeline/importDefinition.js";

/** Grafana's uid: 1-40 characters of a-z, A-Z, 0-9, `_` and `-`. */
export const UID_PATTERN = /^[a-zA-Z0-9_-]{1,40}$/;
export const UID_MAX = 40;

/** The slug of a title: lower case, accents dropped, every other run of characters a single `-`. */
export function slugify(title: string): string {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** At most `max` characters, cut at a word boundary when there is one. */
function cut(base: string, max: number): string {
  if (base.length <= max) return base;
  let s = base.slice(0, max);
  if (base[max] !== "-" && s.includes("-")) s = s.slice(0, s.lastIndexOf("-"));
  return s.replace(/-+$/, "");
}

/**
 * A uid for `title`, not in `taken`: its slug (≤ 40 characters); `-2`, `-3`, … appended on a
 * collision; for a title with no letters or digits of a-z (e.g. all CJK), `dashboard-` and a hash of it.
 * The same title and the same repository give the same uid.
 */
export function deriveUid(title: string, taken: { has(uid: string): boolean }): string {
  const slug = slugify(title);
  const base = slug
    ? cut(slug, UID_MAX)
    : `dashboard-${createHash("sha256").update(title, "utf8").digest("hex").slice(0, 10)}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const uid = `${cut(base, UID_MAX - suffix.length)}${suffix}`;
    if (!taken.has(uid)) return uid;
  }
}

/**
 * The uids of the dashboards defined in `dir` (dashboards/ of the repository), each with its file
 * relative to `root`, found as the build finds them. A file that does not load is skipped: its uid
 * cannot be known, and the build will report the file itself.
 */
export async function repositoryDashboardUids(dir: string, root: string, except?: string): Promise<Map<string, string>> {
  const uids = new Map<string, string>();
  const files = definitionFiles(dir).filter((f) => !except || resolve(f) !== resolve(except));
  const loaded = await Promise.allSettled(files.map((f) => importDefinition(f)));
  loaded.forEach((r, i) => {
    if (r.status !== "fulfilled") return;
    const exported = r.value.default;
    for (const def of Array.isArray(exported) ? exported : [exported]) {
      const uid = (def as { uid?: unknown } | undefined)?.uid;
      if (typeof uid === "string" && !uids.has(uid)) uids.set(uid, relative(root, files[i]));
    }
  });
  return uids;
}

export function dashboardsDir(root: string): string {
  return join(root, "dashboards");
}
