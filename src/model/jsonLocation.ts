// Where a JSON text stops being JSON, as a line and column: JSON.parse's messages differ between
// Node versions and do not always say where. Imported dashboards and emitted trees both report it.

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return { line, column };
}

/** Where the first syntax error of a JSON text is (the text is known not to parse). */
export function locateJsonError(s: string): { offset: number; reason: string } {
  let i = 0;
  class Stop extends Error {
    constructor(
      readonly offset: number,
      readonly reason: string,
    ) {
      super(reason);
    }
  }
  const show = (at: number) => (at >= s.length ? "end of input" : `${JSON.stringify(s[at])}`);
  const fail = (reason?: string): never => {
    throw new Stop(i, reason ?? `unexpected ${show(i)}`);
  };
  const ws = () => {
    while (i < s.length && " \t\n\r".includes(s[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (s[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < s.length && s[i] !== '"') {
      if (s.charCodeAt(i) < 0x20) fail(`control character in a string (${JSON.stringify(s[i])})`);
      if (s[i] === "\\") {
        i++;
        if (s[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) fail("bad \\u escape");
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(s[i] ?? "")) fail(`bad escape \\${s[i] ?? ""}`);
      }
      i++;
    }
    if (i >= s.length) fail("unterminated string");
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i));
    if (!m || !m[0] || m[0] === "-") fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === "{") {
      i++;
      ws();
      if (s[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') fail(`expected a property name in double quotes, found ${show(i)}`);
        string();
        ws();
        if (s[i] !== ":") fail(`expected ":" after a property name, found ${show(i)}`);
        i++;
        value();
        ws();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "}") {
          i++;
          return;
        }
        fail(`expected "," or "}" after a property value, found ${show(i)}`);
      }
    } else if (c === "[") {
      i++;
      ws();
      if (s[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "]") {
          i++;
          return;
        }
        fail(`expected "," or "]" after an array element, found ${show(i)}`);
      }
    } else if (c === '"') string();
    else if (c === "t") literal("true");
    else if (c === "f") literal("false");
    else if (c === "n") literal("null");
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) number();
    else fail(i >= s.length ? "unexpected end of input" : `unexpected ${show(i)}`);
  };
  try {
    value();
    ws();
    if (i < s.length) fail(`unexpected ${show(i)} after the end of the JSON value`);
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, reason: e.reason };
    throw e;
  }
  return { offset: 0, reason: "not valid JSON" };
}
