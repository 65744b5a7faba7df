// Module resolve hook for watch mode: a module imported as "<file>?gen=N" passes "?gen=N" on to the
// local files it imports (the project's and definition files elsewhere), so each rebuild evaluates a
// fresh copy of the definitions, config and catalog, while node_modules and the engine's
// compiled-schema cache stay loaded once.
// A definition imported as "<file>?gen=N&def=D" (a save of definitions only: the engine stays
// loaded) passes "&def=D" on to what it imports outside the engine (helpers beside it), so they are
// evaluated afresh, while the engine's modules it imports (src/) stay those of generation N.
const GEN = /[?&]gen=(\d+)/;
const DEF = /[?&]def=(\d+)/;

let stable = [];
let engine = [];

export function initialize(data) {
  stable = data.stable;
  engine = data.engine ?? [];
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  const gen = context.parentURL && GEN.exec(context.parentURL)?.[1];
  const url = result.url;
  if (
    gen &&
    url.startsWith("file:") &&
    !url.includes("/node_modules/") &&
    !url.includes("?") &&
    !stable.some((s) => url.startsWith(s))
  ) {
    const def = DEF.exec(context.parentURL)?.[1];
    return { ...result, url: def && !engine.some((e) => url.startsWith(e)) ? `${url}?gen=${gen}&def=${def}` : `${url}?gen=${gen}` };
  }
  return result;
}
