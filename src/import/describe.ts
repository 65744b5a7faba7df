// Names for places in a dashboard, as messages print them: `panel "CPU" query A`, `variable "job"`.
import { formatPath, type Path } from "./normalise.js";

/** A readable name for the object at `abs`: `panel "CPU" query A`, `annotation "Deploys"`. */
export function describe(abs: Path, root: unknown): string {
  const parts: string[] = [];
  let node = root as Record<string | number, unknown> | undefined;
  for (let i = 0; i < abs.length; i++) {
    const k = abs[i];
    node = node && typeof node === "object" ? (node[k] as Record<string | number, unknown>) : undefined;
    if (typeof k !== "number" || !node || typeof node !== "object") continue;
    const parent = abs[i - 1];
    if (parent === "panels") {
      parts.length = 0;
      parts.push(`${node.type === "row" ? "row" : "panel"} "${String(node.title ?? "")}"`);
    } else if (parent === "targets") parts.push(`query ${String(node.refId ?? k)}`);
    else if (parent === "list" && abs[i - 2] === "annotations") parts.push(`annotation "${String(node.name ?? "")}"`);
    else if (parent === "list" && abs[i - 2] === "templating") parts.push(`variable "${String(node.name ?? "")}"`);
    else if (parent === "links") parts.push(`link "${String(node.title ?? "")}"`);
    else if (parent === "overrides") parts.push(`override ${k}`);
  }
  let lastIndex = -1;
  abs.forEach((k, i) => {
    if (typeof k === "number") lastIndex = i;
  });
  const rest = abs.slice(lastIndex + 1);
  if (rest.length) parts.push(formatPath(rest));
  return parts.join(" ") || formatPath(abs) || "dashboard";
}
