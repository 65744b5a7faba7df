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
  // Cut elsewhere: the bytes decide, compared where the parts of each side overlap (joining them
  // copied megabytes twice: the Ops index in parts against its file read whole).
  if (byteLength(a) !== byteLength(b)) return false;
  let i = 0;
  let j = 0;
  let at = 0; // offset in pa[i]
  let bt = 0; // offset in pb[j]
  while (i < pa.length && j < pb.length) {
    const x = view(pa[i]);
    const y = view(pb[j]);
    const n = Math.min(x.byteLength - at, y.byteLength - bt);
    if (n > 0 && x.compare(y, bt, bt + n, at, at + n) !== 0) return false;
    at += n;
    bt += n;
    if (at === x.byteLength) i++, (at = 0);
    if (bt === y.byteLength) j++, (bt = 0);
  }
  return true;
}
