/**
 * Runs one of the kata's TypeScript entry points: `node kata/launch.mjs kata/cli.ts test`.
 *
 * tsx compiles the kata's own modules and no others. Registered for every module
 * (`node --import tsx`), its hooks rewrite each JavaScript module Node loads as well: vitest took
 * 1.15 s to load instead of 0.31 s, and TypeScript 1.05 s instead of 0.7 s, the larger part of a
 * cold `npm test`. So tsx is registered under a namespace that the entry's own imports inherit,
 * and ./launch-hooks.mjs resolves packages as if from outside it.
 */
import { register as registerHooks } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write("Usage: node kata/launch.mjs <entry.ts> [arguments…]\n");
  process.exit(2);
}
const file = resolve(entry);
// The entry sees the command line it would see had Node started it.
process.argv = [process.argv[0], file, ...args];
const tsx = register({ namespace: "kata" });
registerHooks("./launch-hooks.mjs", import.meta.url);
await tsx.import(pathToFileURL(file).href, import.meta.url);
