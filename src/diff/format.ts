// Pretty-printing of queries for review, in the spirit of `promtool promql format`: an expression
// that fits on a line stays as written; a longer one is broken at top-level binary operators
// (operands indented, operator on its own line) and inside long call or aggregation brackets.
// LogQL pipelines break before each `|` stage. Label matchers and ranges are never broken.
import { tokenize } from "./text.js";

export type QueryLanguage = "promql" | "logql" | "traceql" | "other";

const WIDTH = 80;

interface Tok {
  kind: "tok";
  text: string;
}
interface Group {
  kind: "group";
  open: string;
  close: string;
  children: Node[];
}
type Node = Tok | Group;

const PAIRS: Record<string, string> = { "(": ")", "{": "}", "[": "]" };

function parse(tokens: string[]): Node[] {
  const root: Node[] = [];
  const stack: { group?: Group; list: Node[] }[] = [{ list: root }];
  for (const t of tokens) {
    const top = stack[stack.length - 1];
    if (PAIRS[t]) {
      const g: Group = { kind: "group", open: t, close: PAIRS[t], children: [] };
      top.list.push(g);
      stack.push({ group: g, list: g.children });
    } else if (stack.length > 1 && t === top.group!.close) {
      stack.pop();
    } else {
      top.list.push({ kind: "tok", text: t });
    }
  }
  // Unclosed groups: the closing bracket is simply missing from the text.
  for (const s of stack.slice(1)) s.group!.close = "";
  return root;
}

const flat = (nodes: Node[]): string =>
  nodes.map((n) => (n.kind === "tok" ? n.text : n.open + flat(n.children) + n.close)).join("");

const BINARY = new Set(["+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=", "and", "or", "unless", "atan2"]);
const MODIFIERS = new Set(["bool", "on", "ignoring", "group_left", "group_right"]);

const trimNodes = (nodes: Node[]): Node[] => {
  let s = 0;
  let e = nodes.length;
  while (s < e && nodes[s].kind === "tok" && !(nodes[s] as Tok).text.trim()) s++;
  while (e > s && nodes[e - 1].kind === "tok" && !(nodes[e - 1] as Tok).text.trim()) e--;
  return nodes.slice(s, e);
};

/** Splits a sequence at top-level tokens for which `isSep` holds; separators keep following modifiers. */
function splitAt(nodes: Node[], isSep: (t: string, prev: Node | undefined) => boolean): { parts: Node[][]; seps: Node[][] } {
  const parts: Node[][] = [[]];
  const seps: Node[][] = [];
  let prev: Node | undefined;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.kind === "tok" && isSep(n.text, prev)) {
      const sep: Node[] = [n];
      // Operator modifiers (on(...), group_left(...), bool) stay with the operator.
      let j = i + 1;
      for (;;) {
        let k = j;
        while (k < nodes.length && nodes[k].kind === "tok" && !(nodes[k] as Tok).text.trim()) k++;
        const m = nodes[k];
        if (m && m.kind === "tok" && MODIFIERS.has(m.text.toLowerCase())) {
          sep.push(...nodes.slice(j, k + 1));
          j = k + 1;
          let g = j;
          while (g < nodes.length && nodes[g].kind === "tok" && !(nodes[g] as Tok).text.trim()) g++;
          if (nodes[g]?.kind === "group" && (nodes[g] as Group).open === "(") {
            sep.push(...nodes.slice(j, g + 1));
            j = g + 1;
          }
          continue;
        }
        break;
      }
      seps.push(sep);
      parts.push([]);
      i = j - 1;
      prev = n;
      continue;
    }
    parts[parts.length - 1].push(n);
    if (n.kind === "group" || n.text.trim()) prev = n;
  }
  return { parts: parts.map(trimNodes), seps: seps.map(trimNodes) };
}

function isBinary(lang: QueryLanguage) {
  return (t: string, prev: Node | undefined) => {
    const low = t.toLowerCase();
    if (lang === "logql" && t === "|") return true;
    if (!BINARY.has(low)) return false;
    // A sign after an operator, a comma or at the start is unary.
    if (!prev) return false;
    if (prev.kind === "tok" && (BINARY.has(prev.text.toLowerCase()) || prev.text === ",")) return false;
    return true;
  };
}

function printSeq(nodes: Node[], indent: number, lang: QueryLanguage): string {
  nodes = trimNodes(nodes);
  const text = flat(nodes);
  if (indent + text.length <= WIDTH) return text;
  const { parts, seps } = splitAt(nodes, isBinary(lang));
  const pad = " ".repeat(indent);
  if (parts.length > 1 && parts.every((p) => p.length)) {
    if (lang === "logql") {
      // Stream selector, then one stage per line.
      return [printSeq(parts[0], indent, lang), ...parts.slice(1).map((p, i) => `${pad}  ${flat(seps[i])} ${printSeq(p, indent + 4, lang)}`)].join("\n");
    }
    const inner = " ".repeat(indent + 2);
    const lines: string[] = [];
    parts.forEach((p, i) => {
      lines.push(inner + printSeq(p, indent + 2, lang));
      if (i < seps.length) lines.push(pad + flat(seps[i]));
    });
    return lines.join("\n").slice(indent);
  }
  // One operand, e.g. `sum by (le) (...)` or `f(a, b)`: print inline and break the last call bracket.
  let last = -1;
  nodes.forEach((n, i) => {
    if (n.kind === "group" && n.open === "(" && n.children.length) last = i;
  });
  let out = "";
  nodes.forEach((n, i) => {
    const piece = n.kind === "tok" ? n.text : n.open + flat(n.children) + n.close;
    if (i === last && n.kind === "group") {
      const { parts: args } = splitAt(n.children, (t) => t === ",");
      const inner = " ".repeat(indent + 2);
      out += `(\n${args.map((a) => inner + printSeq(a, indent + 2, lang)).join(",\n")}\n${" ".repeat(indent)})`;
    } else {
      out += piece;
    }
  });
  return out;
}

/** The query laid out over several lines when it does not fit in 80 columns. */
export function formatQuery(expr: string, lang: QueryLanguage = "promql"): string {
  const oneLine = expr.trim();
  if (lang === "other" || lang === "traceql") return oneLine;
  if (oneLine.includes("\n")) return oneLine;
  return printSeq(parse(tokenize(oneLine)), 0, lang)
    .split("\n")
    .map((l) => l.replace(/\s+$/, ""))
    .join("\n");
}
