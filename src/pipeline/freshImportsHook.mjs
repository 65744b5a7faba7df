// Module resolve hook for watch mode: a module imported as "<file>?gen=N" passes "?gen=N" on to the
// local files it imports (the project's and definition files elsewhere), so each rebuild evaluates a
// fresh copy of the definitions, config and catalog, while node_modules and the engine's
// compiled-schema cache stay loaded once.
const GEN = /[?&]gen=(\d+)/;

let stable = [];

export function initialize(data) {
  stable = data.stable;
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
    return { ...result, url: `${url}?gen=${gen}` };
  }
  return result;
}
