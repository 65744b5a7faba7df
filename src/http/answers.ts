// Checking a server's answer before believing it: the error for an answer that is not the API's,
// the first schema problem in words, and quoting a body safely (control characters escaped).
import type { z } from "zod";

export type Schema<T = unknown> = z.ZodType<T, z.ZodTypeDef, unknown>;

/** A server answer that is not what Grafana's API gives: never retried, never read as data. */
export class ResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResponseError";
  }
}

/** The first problem in a failed parse, e.g. "[0].uid: Expected string, received number". */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unexpected shape";
  const where = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "");
  return `${where ? `${where}: ` : ""}${issue.message.replace(/^Required$/, "missing")}`;
}

export function isJsonType(contentType: string | undefined): boolean {
  return !!contentType && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());
}

/** Control characters and line breaks as \u escapes: text from a server cannot drive the terminal. */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The first `max` characters of a body, quoted so control characters and line breaks show. */
export function snippet(text: string, max = 200): string {
  const chars = [...text];
  return `"${escapeControls(chars.slice(0, max).join(""))}"${chars.length > max ? "…" : ""}`;
}
