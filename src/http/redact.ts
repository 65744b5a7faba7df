// Masking secrets in anything printed: each secret in its plain, URL-encoded and JSON-escaped forms.

/** Replaces every secret with ***; longest first so one secret inside another is still covered. */
export function makeRedactor(secrets: (string | undefined)[]): (s: string) => string {
  const list = [...new Set(secrets.filter((x): x is string => !!x && x.length >= 3))].sort((a, b) => b.length - a.length);
  // Also the forms a secret takes on the wire.
  const forms = new Set<string>();
  for (const x of list) {
    forms.add(x);
    forms.add(encodeURIComponent(x));
    forms.add(JSON.stringify(x).slice(1, -1));
  }
  const all = [...forms].sort((a, b) => b.length - a.length);
  return (s: string) => {
    let out = s;
    for (const x of all) out = out.split(x).join("***");
    return out;
  };
}
