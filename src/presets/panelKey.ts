// A panel's identity: its id is derived from it (src/pipeline/panelIds.ts), so links to the panel
// survive edits elsewhere on the dashboard. By default the identity is the panel's title; a key set
// here keeps the id when the title changes, or tells apart two panels with one title.

/** Field carried on the built panel until the pipeline reads it; never emitted. */
export const PANEL_KEY_FIELD = "__panelKey";

/** Sets the identity key of a panel or row builder (the SDK keeps the built object in `internal`). */
export function withPanelKey<B extends object>(builder: B, key: string): B {
  const internal = (builder as unknown as { internal?: Record<string, unknown> }).internal;
  if (!internal || typeof internal !== "object") throw new Error(`withPanelKey("${key}"): not a Foundation SDK panel or row builder`);
  internal[PANEL_KEY_FIELD] = key;
  return builder;
}
