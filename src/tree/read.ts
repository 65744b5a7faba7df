// Reads an emitted provisioning tree: its files (the manifest and temp files left out, unreadable
// files reported by name), each parsed as the JSON or YAML its name says and read as Grafana reads
// it (the `$` rule of src/emit/dollars.ts). lint, diff and push all read trees through here.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml, parseDocument } from "yaml";
import { invalidUtf8Offset } from "../pipeline/sources.mjs";
import { lineColumn, locateJsonError } from "../model/jsonLocation.js";
import { asGrafanaReads, literalDollars, type ExpandString } from "../emit/dollars.js";
import { writtenYaml } from "../emit/stable.js";

export interface TreeFile {
  /** Relative to the tree root, with "/" separators. */
  path: string;
  content: string;
}

/** A file of a tree on disk that cannot be read (permissions, not UTF-8, too large). */
export interface UnreadableFile {
  path: string;
  message: string;
  /** Set when the bytes are not UTF-8: the first offending byte. */
  utf8Offset?: number;
  /** Set when the file system refused: its error (naming the path). */
  error?: NodeJS.ErrnoException;
}

/** Larger than any dashboard or rule file Grafana or Prometheus would accept in practice. */
export const MAX_TREE_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Every file below `dir`, as the build emits them (skips the manifest and temp files). A file or
 * folder that cannot be read goes to `unreadable` when given (else the error is thrown). With
 * `each`, every file is handed to it as it is read instead (and none is kept).
 */
export function readTree(dir: string, unreadable?: UnreadableFile[], each?: (f: TreeFile) => void): TreeFile[] {
  const out: TreeFile[] = [];
  const rel = (full: string) => relative(dir, full).split("\\").join("/");
  const attempt = (full: string, read: () => void) => {
    if (!unreadable) return read();
    try {
      read();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (typeof err.code !== "string") throw e;
      unreadable.push({ path: rel(full) || ".", message: `cannot be read: ${err.code === "EACCES" || err.code === "EPERM" ? "permission denied" : err.message}`, error: err });
    }
  };
  const walk = (d: string) => {
    let names: string[] = [];
    attempt(d, () => (names = readdirSync(d).sort()));
    for (const name of names) {
      const full = join(d, name);
      let isDir: boolean | undefined;
      attempt(full, () => (isDir = statSync(full).isDirectory()));
      if (isDir === undefined) continue;
      if (isDir) walk(full);
      else if (!name.startsWith(".") && !name.includes(".tmp-")) {
        attempt(full, () => {
          const size = statSync(full).size;
          if (unreadable && size > MAX_TREE_FILE_BYTES) {
            unreadable.push({ path: rel(full), message: `${size} bytes is more than the limit of ${MAX_TREE_FILE_BYTES}` });
            return;
          }
          const bytes = readFileSync(full);
          const bad = unreadable ? invalidUtf8Offset(bytes) : -1;
          if (bad >= 0) unreadable!.push({ path: rel(full), message: `byte offset ${bad} is not valid UTF-8`, utf8Offset: bad });
          else if (each) each({ path: rel(full), content: bytes.toString("utf8") });
          else out.push({ path: rel(full), content: bytes.toString("utf8") });
        });
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Files of a tree that do not parse as the JSON or YAML their name says, with the line where it breaks. */
export function unparseableFiles(files: TreeFile[]): (UnreadableFile & { line?: number })[] {
  return files.flatMap((f) => {
    const err = parseFailure(f);
    return err ? [{ path: f.path, ...err }] : [];
  });
}

function parseFailure(f: TreeFile): { message: string; line?: number } | undefined {
  if (f.path.endsWith(".json")) {
    try {
      JSON.parse(f.content);
      return undefined;
    } catch {
      const { offset, reason } = locateJsonError(f.content);
      const { line, column } = lineColumn(f.content, offset);
      return { message: `not valid JSON at line ${line}, column ${column}: ${reason}`, line };
    }
  }
  if (/\.ya?ml$/.test(f.path)) {
    const doc = parseDocument(f.content, { uniqueKeys: false, prettyErrors: false });
    const first = doc.errors[0];
    if (!first) return undefined;
    return { message: `not valid YAML: ${first.message.split("\n")[0]}`, line: f.content.slice(0, first.pos[0]).split("\n").length };
  }
  return undefined;
}

/** The value a file's content parses to (JSON or YAML by its name), as written; throws when it does not parse. */
export function parseTreeText(f: TreeFile): unknown {
  if (f.path.endsWith(".json")) return JSON.parse(f.content);
  if (/\.ya?ml$/i.test(f.path)) {
    // A text this process has just emitted needs no parse (src/emit/stable.ts).
    const written = writtenYaml(f.content);
    if (written) return written.value;
    // The build wrote these files; duplicate keys cannot occur, so skip looking for them.
    return (parseYaml(f.content, { uniqueKeys: false, prettyErrors: false }) as unknown) ?? null;
  }
  return undefined;
}

/**
 * A file as Grafana reads it: parsed, then `$$` and variables handled per file kind (src/emit/dollars.ts).
 * Without `expand`, "$$" reads as "$" and variables stay as written. undefined when it does not parse.
 */
export function readTreeFile(f: TreeFile, expand: ExpandString = literalDollars): unknown {
  let doc: unknown;
  try {
    doc = parseTreeText(f);
  } catch {
    return undefined;
  }
  return doc === undefined ? undefined : asGrafanaReads(f.path, doc, expand);
}

/** readTreeFile, saying why when the file does not parse (with the line where it breaks). */
export function readTreeDocument(
  f: TreeFile,
  expand: ExpandString = literalDollars,
): { ok: true; doc: unknown } | { ok: false; message: string; line?: number } {
  let doc: unknown;
  try {
    doc = parseTreeText(f);
  } catch {
    return { ok: false, ...(parseFailure(f) ?? { message: "does not parse" }) };
  }
  return { ok: true, doc: doc === undefined ? undefined : asGrafanaReads(f.path, doc, expand) };
}
