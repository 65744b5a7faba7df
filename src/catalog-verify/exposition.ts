// A strict reader of a /metrics exposition: Prometheus text format 0.0.4 and OpenMetrics 1.0.
// The input is untrusted: any line it cannot read is an error naming its line number, never a
// guess. Only what the catalog check needs is kept: samples' names and label names, and the
// families' declared types.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  line: number;
}

export interface Exposition {
  format: "prometheus" | "openmetrics";
  samples: Sample[];
  /** Declared by # TYPE, by family name. */
  types: Map<string, string>;
}

export class ExpositionError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "ExpositionError";
  }
}

/** Larger than any real /metrics page; protects the process from a hostile endless body. */
export const MAX_EXPOSITION_BYTES = 32 * 1024 * 1024;
const MAX_LINE = 64 * 1024;

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped", "unknown", "gaugehistogram", "stateset", "info"]);
const VALUE = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]?Inf|NaN)$/;

/** Shows a piece of hostile input safely: printable ASCII only, cut short. */
export function excerpt(s: string, max = 40): string {
  const shown = [...s.slice(0, max)].map((c) => (c >= " " && c <= "~" ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`)).join("");
  return s.length > max ? `${shown}…` : shown;
}

/** Reads `{a="x",b="y"}` starting at text[0] === "{"; returns the labels and the rest after "}". */
function readLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  const skip = () => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  for (;;) {
    skip();
    if (text[i] === "}") return { labels, rest: text.slice(i + 1) };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name) throw new ExpositionError(line, `expected a label name or "}" at "${excerpt(text.slice(i))}"`);
    if (name in labels) throw new ExpositionError(line, `label ${name} appears twice`);
    i += name.length;
    skip();
    if (text[i] !== "=") throw new ExpositionError(line, `expected "=" after label ${name}`);
    i++;
    skip();
    if (text[i] !== '"') throw new ExpositionError(line, `the value of label ${name} must be a quoted string`);
    i++;
    let value = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new ExpositionError(line, `the value of label ${name} is not closed with a quote`);
      if (c === '"') break;
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "\\" || e === '"') value += e;
        else if (e === "n") value += "\n";
        else throw new ExpositionError(line, `unknown escape "\\${excerpt(e ?? "")}" in the value of label ${name}`);
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    i++;
    labels[name] = value;
    skip();
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text[i] === "}") return { labels, rest: text.slice(i + 1) };
    throw new ExpositionError(line, `expected "," or "}" after the value of label ${name}`);
  }
}

function readSample(text: string, line: number, openMetrics: boolean): Sample {
  const name = NAME.exec(text)?.[0];
  if (!name) throw new ExpositionError(line, `expected a metric name at "${excerpt(text)}"`);
  let rest = text.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.startsWith("{")) ({ labels, rest } = readLabels(rest, line));
  // OpenMetrics exemplar: value [timestamp] # {labels} value [timestamp]
  let exemplar: string | undefined;
  const hash = rest.indexOf(" # ");
  if (hash >= 0) {
    if (!openMetrics) throw new ExpositionError(line, "exemplars (\" # {...}\") exist only in OpenMetrics (# EOF missing?)");
    exemplar = rest.slice(hash + 3);
    rest = rest.slice(0, hash);
  }
  const parts = rest.trim().split(/[ \t]+/);
  if (!rest.startsWith(" ") && !rest.startsWith("\t")) throw new ExpositionError(line, `expected a space and a value after ${name}`);
  if (parts.length < 1 || parts.length > 2 || parts[0] === "") throw new ExpositionError(line, `expected "<value> [timestamp]" after ${name}, got "${excerpt(rest.trim())}"`);
  if (!VALUE.test(parts[0])) throw new ExpositionError(line, `"${excerpt(parts[0])}" is not a number`);
  if (parts[1] !== undefined && !/^-?\d+(?:\.\d+)?$/.test(parts[1])) throw new ExpositionError(line, `"${excerpt(parts[1])}" is not a timestamp`);
  if (exemplar !== undefined) {
    if (!exemplar.startsWith("{")) throw new ExpositionError(line, "an exemplar starts with a label set");
    const { rest: after } = readLabels(exemplar, line);
    const ev = after.trim().split(/[ \t]+/);
    if (ev.length < 1 || ev.length > 2 || !VALUE.test(ev[0])) throw new ExpositionError(line, "an exemplar needs a value");
  }
  return { name, labels, line };
}

/** Parses an exposition; the first line it cannot read throws ExpositionError with its line number. */
export function parseExposition(text: string): Exposition {
  if (text.length > MAX_EXPOSITION_BYTES) throw new ExpositionError(1, `larger than ${MAX_EXPOSITION_BYTES} bytes`);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const openMetrics = lines.some((l) => l === "# EOF");
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  let eof = false;
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    const l = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (eof) throw new ExpositionError(line, "content after # EOF");
    if (l.length > MAX_LINE) throw new ExpositionError(line, `longer than ${MAX_LINE} characters`);
    if (l.includes("\u0000")) throw new ExpositionError(line, "contains a NUL byte (binary data?)");
    if (l === "# EOF") {
      eof = true;
      return;
    }
    if (l.trim() === "") {
      if (openMetrics) throw new ExpositionError(line, "OpenMetrics allows no empty lines");
      return;
    }
    if (l.startsWith("#")) {
      const m = /^# (TYPE|HELP|UNIT) (\S+)(?: (.*))?$/.exec(l);
      if (!m) {
        if (openMetrics) throw new ExpositionError(line, `unknown comment "${excerpt(l)}" (OpenMetrics allows # TYPE, # HELP, # UNIT, # EOF)`);
        return; // the text format allows free comments
      }
      const [, kind, family, arg] = m;
      if (!NAME.test(family) || NAME.exec(family)![0] !== family) throw new ExpositionError(line, `"${excerpt(family)}" is not a metric name`);
      if (kind === "TYPE") {
        if (!arg || !TYPES.has(arg)) throw new ExpositionError(line, `unknown metric type "${excerpt(arg ?? "")}" for ${family}`);
        if (types.has(family)) throw new ExpositionError(line, `second # TYPE line for ${family}`);
        types.set(family, arg);
      }
      return;
    }
    samples.push(readSample(l, line, openMetrics));
  });
  if (openMetrics && !eof) throw new ExpositionError(lines.length, "OpenMetrics must end with # EOF");
  return { format: openMetrics ? "openmetrics" : "prometheus", samples, types };
}
