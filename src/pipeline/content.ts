// A file's content as the tree writer takes it: text, bytes, or bytes in parts (the Ops index:
// megabytes made of one part per dashboard, most of them the same objects from one --watch rebuild
// to the next, so comparing and writing it never joins them into one buffer).

export type Content = string | Uint8Array | readonly Uint8Array[];

/** The content as a list of byte parts (text encoded as UTF-8). */
export function partsOf(c: Content): readonly Uint8Array[] {
  return typeof c === "string" ? [Buffer.from(c, "utf8")] : c instanceof Uint8Array ? [c] : c;
}

/** Its length in bytes. */
export function byteLength(c: Content): number {
  if (typeof c === "string") return Buffer.byteLength(c, "utf8");
  if (c instanceof Uint8Array) return c.byteLength;
  let n = 0;
  for (const p of c) n += p.byteLength;
  return n;
}

const view = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** Whether two contents hold the same bytes; parts that are the same object are not compared. */
export function sameBytes(a: Content, b: Content): boolean {
  if (typeof a === "string" && typeof b === "string") return a === b;
  const pa = partsOf(a);
  const pb = partsOf(b);
  // Cut at the same places: part by part (the same object is the same bytes).
  if (pa.length === pb.length && pa.every((p, i) => p.byteLength === pb[i].byteLength)) return pa.every((p, i) => p === pb[i] || view(p).equals(pb[i]));
  // Cut elsewhere: the bytes decide.
  if (byteLength(a) !== byteLength(b)) return false;
  return Buffer.concat(pa.map(view)).equals(Buffer.concat(pb.map(view)));
}
