// Where each value of a JSON text is: JSON Pointer → byte range, so findings point at the line of a
// dashboard file and --fix can rewrite one value without touching the rest of the file. The text has
// already parsed with JSON.parse; this scan only records offsets (iterative, so depth cannot blow the stack).

export interface Span {
  /** Offset of the value's first character. */
  start: number;
  /** Offset just after the value. */
  end: number;
  /** For a member of an object: offset of its key's opening quote. */
  keyStart?: number;
}

const escapeToken = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

export function jsonSpans(text: string): Map<string, Span> {
  const spans = new Map<string, Span>();
  type Frame = { pointer: string; kind: "object" | "array"; index: number; key?: string; keyStart?: number };
  const stack: Frame[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const readString = (): string => {
    const from = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(from, i)) as string;
  };
  /** The pointer and key offset of the value about to start, per the innermost container. */
  const nextPointer = (): { pointer: string; keyStart?: number } => {
    const top = stack[stack.length - 1];
    if (!top) return { pointer: "" };
    if (top.kind === "array") return { pointer: `${top.pointer}/${top.index++}` };
    return { pointer: `${top.pointer}/${escapeToken(top.key!)}`, keyStart: top.keyStart };
  };
  const open: { pointer: string; start: number; keyStart?: number }[] = [];
  ws();
  while (i < text.length) {
    const c = text[i];
    if (c === "}" || c === "]") {
      stack.pop();
      const o = open.pop()!;
      i++;
      spans.set(o.pointer, { start: o.start, end: i, keyStart: o.keyStart });
    } else if (c === ",") {
      i++;
    } else if (stack.length && stack[stack.length - 1].kind === "object" && stack[stack.length - 1].key === undefined) {
      // a key
      const top = stack[stack.length - 1];
      top.keyStart = i;
      top.key = readString();
      ws();
      i++; // the colon
    } else {
      const { pointer, keyStart } = nextPointer();
      const top = stack[stack.length - 1];
      if (top?.kind === "object") top.key = undefined;
      const start = i;
      if (c === "{" || c === "[") {
        stack.push({ pointer, kind: c === "{" ? "object" : "array", index: 0 });
        open.push({ pointer, start, keyStart });
        i++;
      } else {
        if (c === '"') readString();
        else while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
        spans.set(pointer, { start, end: i, keyStart });
      }
    }
    ws();
  }
  return spans;
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** A line index for many lookups: offsets of line starts. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
