// Length-preserving replacement of Grafana macros and template variables, so a query can be parsed
// before Grafana interpolates it and every parser position still points into the original text.

export type QueryLanguage = "promql" | "logql" | "traceql";

// Grafana's own variable syntax (public/app/features/variables/utils.ts): $var, [[var]] / [[var:fmt]],
// ${var}, ${var.field}, ${var:fmt}. Macros such as $__rate_interval are variables to this pattern too.
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/y;

type Slot = "text" | "duration" | "label" | "field" | "number";

// Placeholders of exactly n characters (n >= 2: the shortest reference is "$x").
// Leading zeros keep durations and numbers valid at any length: all three lezer grammars accept
// "000000000000001m" (the length of $__rate_interval), as Prometheus, Loki and Tempo do.
const PLACEHOLDER: Record<Slot, (n: number) => string> = {
  text: (n) => "x".repeat(n),
  duration: (n) => "1m".padStart(n, "0"),
  label: (n) => "v".padEnd(n, "_"), // never a keyword (by, or, sum, ...)
  field: (n) => ".v".padEnd(n, "_"), // a TraceQL attribute, e.g. by(.v__)
  number: (n) => "1".padStart(n, "0"),
};

const GROUPING_KEYWORD: Record<QueryLanguage, RegExp> = {
  promql: /\b(by|without|on|ignoring|group_left|group_right)\s*$/,
  logql: /\b(by|without|on|ignoring|group_left|group_right)\s*$/,
  traceql: /\b(by|select)\s*$/,
};

/** Replace Grafana macros and template variables with length-preserving placeholders valid in context. */
export function expandGrafanaVariables(expr: string, lang: QueryLanguage): string {
  let out = "";
  let quote: string | null = null; // delimiter of the string we are in
  let comment = false;
  const open: ("(" | "by(" | "[" | "{")[] = []; // innermost last; "by(" = a label list

  for (let i = 0; i < expr.length; ) {
    const ch = expr[i];
    if (comment) {
      comment = ch !== "\n";
      out += ch;
      i++;
      continue;
    }
    if (quote && ch === "\\" && quote !== "`") {
      out += expr.slice(i, i + 2); // an escaped character never ends or starts anything
      i += 2;
      continue;
    }
    VARIABLE.lastIndex = i;
    const m = ch === "$" || ch === "[" ? VARIABLE.exec(expr) : null;
    if (m) {
      const slot = quote ? "text" : slotFor(lang, out, expr.slice(i + m[0].length), open.at(-1));
      out += PLACEHOLDER[slot](m[0].length);
      i += m[0].length;
      continue;
    }
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || ch === "`") {
      quote = ch;
    } else if (ch === "#" && lang !== "traceql") {
      comment = true;
    } else if (ch === "/" && expr[i + 1] === "/" && lang === "traceql") {
      comment = true;
    } else if (ch === "(") {
      open.push(GROUPING_KEYWORD[lang].test(out) ? "by(" : "(");
    } else if (ch === "[" || ch === "{") {
      open.push(ch);
    } else if (ch === ")" || ch === "]" || ch === "}") {
      open.pop();
    }
    out += ch;
    i++;
  }
  return out;
}

/** What a reference outside a string must become, judged from the text around it. */
function slotFor(lang: QueryLanguage, before: string, after: string, innermost: string | undefined): Slot {
  const inWord = /[\w.:]$/.test(before) || /^\w/.test(after); // e.g. span.$attr, ${prefix}_total
  if (lang === "traceql") {
    if (innermost === "by(") return "field";
    if (/\b(duration|traceDuration|span:duration|trace:duration)\s*(=|!=|>=?|<=?)\s*$/.test(before)) return "duration";
    return inWord ? "label" : "number";
  }
  if (innermost === "[" || /\boffset\s*-?\s*$/.test(before)) return "duration"; // x[$__rate_interval], offset $shift
  if (innermost === "by(" || innermost === "{" || inWord) return "label";
  if (/^\s*(=~|!~|!=|=(?!=))/.test(after) || /^[{[]/.test(after)) return "label"; // $label="x", $metric{...}
  return "number"; // thresholds, k of topk, quantiles, $__range_s
}
