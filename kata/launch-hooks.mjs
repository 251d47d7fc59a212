/**
 * Node module hooks for ./launch.mjs: a package imported from the kata's TypeScript (vitest,
 * typescript, …) is resolved as if from outside tsx's namespace, so that tsx leaves its modules
 * to Node. Should tsx name its namespace differently one day, nothing matches here and the only
 * cost is speed.
 */
const NAMESPACE = /[?&]tsx-namespace=/;
const RELATIVE_OR_URL = /^(?:\.{1,2}\/|\/|[a-z][a-z0-9+.-]*:)/i;

export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent && NAMESPACE.test(parent) && !RELATIVE_OR_URL.test(specifier)) {
    return next(specifier, { ...context, parentURL: parent.replace(/[?#].*$/, "") });
  }
  return next(specifier, context);
}
