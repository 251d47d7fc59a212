/**
 * TypeScript for the kata's tooling, loaded with `require`. Imported as an ES module, its 9 MB
 * of CommonJS are first scanned for named exports and pass through tsx's loader hooks: 0.6 s of
 * CPU more for every process that loads it (the compiler's, once per `npm test`, verify run and
 * graded submission). Types come from `TS`.
 */
import { createRequire } from "node:module";
import type TS from "typescript";

export const ts: typeof TS = createRequire(import.meta.url)("typescript");
export type { TS };
