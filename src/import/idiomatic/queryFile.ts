// The queries of an idiomatic import, written apart from the layout as dashboards/*/queries.ts are:
// one named function per distinct expression (named after its panel), label selectors that several
// queries share factored out into named constants.
import { commentValue, jsString } from "../escape.js";

const RESERVED = new Set(["delete", "new", "default", "function", "class", "return", "const", "var", "in", "do", "if"]);

function camel(words: string): string {
  const parts = words
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, 5);
  const c = parts.map((p, i) => (i ? p.charAt(0).toUpperCase() + p.slice(1) : p)).join("");
  const name = /^[0-9]/.test(c) ? `q${c}` : c || "query";
  return RESERVED.has(name) ? `${name}Query` : name;
}

/** Text inside a template literal: backslashes, backticks, `${` and control characters escaped. */
function templateText(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/`/g, "\\`")
    .replace(/\$\{/g, "\\${")
    .replace(
      /[\u0000-\u001f\u007f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
}

// A label-matcher block `{…}` (quoted values may hold braces); not Grafana's `${var}`.
const SELECTOR = /(?<!\$)\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*=(?:[^{}"]|"(?:[^"\\]|\\.)*")*\}/g;
/** A selector becomes a constant when this many queries use it. */
const SHARED_MIN_USES = 3;

export class QueryFile {
  private readonly byExpr = new Map<string, string>();
  private readonly names = new Set<string>();
  private readonly entries: { name: string; expr: string }[] = [];

  /** The call that returns `expr` in the dashboard code, e.g. `q.cpuBusy()`. */
  add(expr: string, hint: string): string {
    let name = this.byExpr.get(expr);
    if (!name) {
      const base = camel(hint);
      name = base;
      for (let n = 2; this.names.has(name); n++) name = `${base}${n}`;
      this.names.add(name);
      this.byExpr.set(expr, name);
      this.entries.push({ name, expr });
    }
    return `q.${name}()`;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The source of queries.ts. */
  render(title: string): string {
    const uses = new Map<string, number>();
    for (const { expr } of this.entries)
      for (const m of new Set(expr.match(SELECTOR) ?? [])) uses.set(m, (uses.get(m) ?? 0) + 1);
    const shared = [...uses]
      .filter(([sel, n]) => n >= SHARED_MIN_USES && sel.length >= 12)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const constNames = new Map<string, string>();
    const taken = new Set(this.names);
    for (const [sel] of shared) {
      const labels = [...sel.matchAll(/([A-Za-z_]\w*)\s*(?:=~|!~|!=|=)/g)].map((m) => m[1]);
      const base = camel(`sel ${labels.join(" ")}`);
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
      taken.add(name);
      constNames.set(sel, name);
    }
    const lines = [
      `// Every query of the ${commentValue(title)} dashboard, one named function each, apart from the layout.`,
      "export function queries() {",
      ...[...constNames].map(([sel, name]) => `const ${name} = ${jsString(sel)};`),
      "return {",
    ];
    for (const { name, expr } of this.entries) {
      const parts = constNames.size ? expr.split(SELECTOR) : [expr];
      const found = constNames.size ? (expr.match(SELECTOR) ?? []) : [];
      if (!found.some((s) => constNames.has(s))) {
        lines.push(`${name}: () => ${jsString(expr)},`);
        continue;
      }
      let body = "";
      parts.forEach((p, i) => {
        body += templateText(p);
        const sel = found[i];
        if (sel !== undefined) body += constNames.has(sel) ? `\${${constNames.get(sel)}}` : templateText(sel);
      });
      lines.push(`${name}: () => \`${body}\`,`);
    }
    lines.push("};", "}");
    return lines.join("\n");
  }
}
