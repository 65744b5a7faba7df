// Alert label and annotation templates, checked the way Prometheus parses them (Go's text/template
// with Prometheus' function map): actions close, strings end, blocks balance, variables are defined,
// and every function called exists. Prometheus refuses a rule file whose template does not parse, and
// an unknown function is a parse error, so the build refuses it first, naming the alert and the key.

/** Prometheus' template functions (template/template.go, Prometheus 2.x) and Go's text/template builtins. */
export const PROMETHEUS_TEMPLATE_FUNCTIONS: ReadonlySet<string> = new Set([
  // Prometheus
  "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper", "toLower",
  "graphLink", "tableLink", "sortByLabel", "humanize", "humanize1024", "humanizeDuration", "humanizePercentage",
  "humanizeTimestamp", "toTime", "pathPrefix", "externalURL", "parseDuration", "stripPort", "stripDomain",
  // text/template
  "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge",
  "html", "js", "urlquery", "call",
]);

/** Variables Prometheus defines before an alert template runs. */
const PREDEFINED_VARIABLES = ["$", "$labels", "$externalLabels", "$externalURL", "$value"];
/** Grafana-managed rules have these too: $values holds each query's value by refId. */
export const GRAFANA_TEMPLATE_VARIABLES = ["$values"];

const KEYWORDS = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"]);
const LITERALS = new Set(["true", "false", "nil"]);

type Token =
  | { kind: "ident" | "field" | "variable" | "string" | "number" | "char"; text: string }
  | { kind: "pipe" | "open" | "close" | "declare" | "assign" | "comma"; text: string };

class TemplateSyntaxError extends Error {}

const fail = (message: string): never => {
  throw new TemplateSyntaxError(message);
};

/** Tokens of one action's body (between "{{" and "}}", trim markers removed). */
function tokenize(body: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== '"') {
        if (body[j] === "\n") fail("unterminated quoted string");
        j += body[j] === "\\" ? 2 : 1;
      }
      if (j >= body.length) fail("unterminated quoted string");
      tokens.push({ kind: "string", text: body.slice(i, j + 1) });
      i = j + 1;
    } else if (c === "`") {
      const j = body.indexOf("`", i + 1);
      if (j < 0) fail("unterminated raw quoted string");
      tokens.push({ kind: "string", text: body.slice(i, j + 1) });
      i = j + 1;
    } else if (c === "'") {
      const m = /^'(?:\\.|[^\\'\n])+'/u.exec(body.slice(i)) ?? fail("unterminated character constant");
      tokens.push({ kind: "char", text: m[0] });
      i += m[0].length;
    } else if (c === "|") {
      tokens.push({ kind: "pipe", text: c });
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c === "(" ? "open" : "close", text: c });
      i++;
    } else if (c === ",") {
      tokens.push({ kind: "comma", text: c });
      i++;
    } else if (body.startsWith(":=", i)) {
      tokens.push({ kind: "declare", text: ":=" });
      i += 2;
    } else if (c === "=") {
      tokens.push({ kind: "assign", text: "=" });
      i++;
    } else if (c === "$") {
      const m = /^\$\w*(?:\.\w+)*/u.exec(body.slice(i))!;
      tokens.push({ kind: "variable", text: m[0] });
      i += m[0].length;
    } else if (c === ".") {
      const m = /^\.(?:\w+(?:\.\w+)*)?/u.exec(body.slice(i))!;
      if (/^\.\d/.test(m[0])) {
        const n = /^\.\d[\w.+-]*/.exec(body.slice(i))!;
        tokens.push({ kind: "number", text: n[0] });
        i += n[0].length;
      } else {
        tokens.push({ kind: "field", text: m[0] });
        i += m[0].length;
      }
    } else if (/[0-9+-]/.test(c)) {
      const m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*)?\.?\d*(?:[eE][+-]?\d+)?i?)/.exec(body.slice(i));
      if (!m || !/\d/.test(m[0]) || !Number.isFinite(Number(m[0].replace(/_/g, "").replace(/i$/, "")))) fail(`bad number syntax: "${body.slice(i, i + 10)}"`);
      tokens.push({ kind: "number", text: m![0] });
      i += m![0].length;
      if (i < body.length && /[\w.]/.test(body[i])) fail(`bad number syntax: "${m![0]}${body[i]}"`);
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^\w+(?:\.\w+)*/u.exec(body.slice(i))!;
      tokens.push({ kind: "ident", text: m[0] });
      i += m[0].length;
    } else {
      fail(`unexpected "${c}" in action`);
    }
  }
  return tokens;
}

interface Scope {
  kind: "if" | "range" | "with" | "define" | "block" | "root";
  variables: Set<string>;
  sawElse?: boolean;
}

function isDeclared(name: string, scopes: Scope[]): boolean {
  return scopes.some((s) => s.variables.has(name));
}

/** Checks a pipeline: optional declaration, then commands separated by "|". */
function checkPipeline(tokens: Token[], scopes: Scope[], where: string): void {
  if (tokens.length === 0) fail(`missing value for ${where}`);
  let rest = tokens;
  // $x := … or $i, $x := … (range)
  const declare = rest.findIndex((t) => t.kind === "declare" || t.kind === "assign");
  if (declare > 0 && rest.slice(0, declare).every((t) => t.kind === "variable" || t.kind === "comma")) {
    const names = rest.slice(0, declare).filter((t) => t.kind === "variable").map((t) => t.text);
    if (names.length === 0 || names.length > 2 || names.some((n) => n.includes("."))) fail("bad variable declaration");
    if (rest[declare].kind === "assign") names.forEach((n) => isDeclared(n, scopes) || fail(`undefined variable "${n}"`));
    rest = rest.slice(declare + 1);
    if (rest.length === 0) fail("missing value in declaration");
    checkCommands(rest, scopes);
    for (const n of names) scopes[scopes.length - 1].variables.add(n);
    return;
  }
  checkCommands(rest, scopes);
}

function checkCommands(tokens: Token[], scopes: Scope[]): void {
  let depth = 0;
  let stage: Token[] = [];
  let stageNo = 1;
  const endStage = () => {
    if (stage.length === 0) fail("missing command in pipeline");
    if (stageNo > 1 && ["string", "number", "char"].includes(stage[0].kind)) fail(`non executable command in pipeline stage ${stageNo}`);
    if (stageNo > 1 && stage[0].kind === "field" && stage[0].text === ".") fail(`non executable command in pipeline stage ${stageNo}`);
    if (stageNo > 1 && stage[0].kind === "ident" && LITERALS.has(stage[0].text)) fail(`non executable command in pipeline stage ${stageNo}`);
    stage = [];
    stageNo++;
  };
  for (const t of tokens) {
    if (t.kind === "open") depth++;
    if (t.kind === "close" && --depth < 0) fail("unexpected right paren");
    if (t.kind === "pipe" && depth === 0) {
      endStage();
      continue;
    }
    if (t.kind === "declare" || t.kind === "assign" || t.kind === "comma") fail(`unexpected "${t.text}" in operand`);
    if (t.kind === "ident") {
      const name = t.text.split(".")[0];
      if (KEYWORDS.has(name)) fail(`unexpected keyword "${name}" in operand`);
      if (!LITERALS.has(name) && !PROMETHEUS_TEMPLATE_FUNCTIONS.has(name)) fail(`function "${name}" not defined`);
    }
    if (t.kind === "variable") {
      const name = t.text.split(".")[0];
      if (!isDeclared(name, scopes)) fail(`undefined variable "${name}"`);
    }
    stage.push(t);
  }
  if (depth > 0) fail("unclosed left paren");
  // Parenthesised groups must not be empty: "( )".
  tokens.forEach((t, i) => t.kind === "open" && tokens[i + 1]?.kind === "close" && fail("missing value in parenthesised pipeline"));
  // Go's parser takes "{{ $value | }}": a pipe before the closing delimiter ends the pipeline.
  if (stage.length > 0 || tokens[tokens.length - 1]?.kind !== "pipe") endStage();
}

function checkAction(tokens: Token[], scopes: Scope[]): void {
  const head = tokens[0];
  const word = head?.kind === "ident" && KEYWORDS.has(head.text) ? head.text : null;
  const top = scopes[scopes.length - 1];
  switch (word) {
    case null:
      checkPipeline(tokens, scopes, "command");
      return;
    case "if":
    case "with":
    case "range": {
      const scope: Scope = { kind: word, variables: new Set() };
      scopes.push(scope);
      checkPipeline(tokens.slice(1), scopes, word);
      return;
    }
    case "else": {
      if (!["if", "with", "range"].includes(top.kind)) fail("unexpected {{else}}");
      if (top.sawElse) fail("expected end; found {{else}}");
      const chained = tokens[1];
      if (chained) {
        if (chained.kind !== "ident" || (chained.text !== "if" && chained.text !== "with")) fail("unexpected token after else");
        top.variables = new Set();
        checkPipeline(tokens.slice(2), scopes, chained.text);
      } else {
        top.sawElse = true;
        top.variables = new Set();
      }
      return;
    }
    case "end":
      if (tokens.length > 1) fail("unexpected token in end");
      if (top.kind === "root") fail("unexpected {{end}}");
      scopes.pop();
      return;
    case "break":
    case "continue":
      if (tokens.length > 1) fail(`unexpected token in {{${word}}}`);
      if (!scopes.some((s) => s.kind === "range")) fail(`{{${word}}} outside {{range}}`);
      return;
    case "template":
    case "define":
    case "block": {
      if (tokens[1]?.kind !== "string") fail(`${word} needs a quoted template name`);
      if (word === "define" && tokens.length > 2) fail("unexpected token in define clause");
      if (word !== "define" && tokens.length > 2) checkPipeline(tokens.slice(2), scopes, word);
      if (word !== "template") scopes.push({ kind: word, variables: new Set(["$"]) });
      return;
    }
  }
}

/** Why the template does not parse as Prometheus parses it, or null when it does. */
export function templateSyntaxError(text: string, extraVariables: readonly string[] = []): string | null {
  const scopes: Scope[] = [{ kind: "root", variables: new Set([...PREDEFINED_VARIABLES, ...extraVariables]) }];
  try {
    let i = 0;
    while (true) {
      const open = text.indexOf("{{", i);
      if (open < 0) break;
      let start = open + 2;
      // "{{- " trims space before the action; "{{-3}}" is the number -3.
      if (/^-[ \t\r\n]/.test(text.slice(start, start + 2))) start += 2;
      // A comment starts right after the delimiter (and trim marker) and ends right before the closing one.
      if (text.startsWith("/*", start)) {
        const close = text.indexOf("*/", start + 2);
        if (close < 0) fail("unclosed comment");
        const tail = /^(?: -)?\}\}/.exec(text.slice(close + 2)) ?? fail("comment ends before closing delimiter");
        i = close + 2 + tail[0].length;
        continue;
      }
      const end = findClose(text, start);
      const trimRight = end >= 2 && /\s-$/.test(text.slice(end - 2, end));
      const body = text.slice(start, trimRight ? end - 2 : end);
      checkAction(tokenize(body), scopes);
      i = end + 2;
    }
    if (scopes.length > 1) fail(`unexpected EOF: {{${scopes[scopes.length - 1].kind}}} has no {{end}}`);
    return null;
  } catch (e) {
    if (e instanceof TemplateSyntaxError) return e.message;
    throw e;
  }
}

/** Index of the "}}" closing the action that starts at `from`, skipping quoted strings. */
function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (text.startsWith("}}", i)) return i;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      if (j >= text.length || text[j] !== c) fail(c === '"' ? "unterminated quoted string" : "unterminated character constant");
      i = j + 1;
    } else if (c === "`") {
      const j = text.indexOf("`", i + 1);
      if (j < 0) fail("unterminated raw quoted string");
      i = j + 1;
    } else i++;
  }
  return fail(`unbalanced template braces: "{{" at character ${from - 2} has no "}}"`);
}
