/**
 * The vitest config StrykerJS runs for the kata's own specs (`npm run mutation:kata`, see
 * stryker.kata.config.mjs): every runtime spec in `exercises/`, with its import of the stub beside
 * it redirected to the answer key in `solutions/`, as verify does (kata/targets.ts). A mutant in an
 * answer key can only be killed by the specs of its own step: no other spec imports that key.
 * `npx vitest run --config vitest.kata-mutation.config.ts` runs the same specs without Stryker.
 */
import { join } from "node:path";
import { defineConfig, type Plugin } from "vitest/config";
import { redirect, runOptions } from "./kata/targets";

const root = import.meta.dirname;
const workbook = {
  root,
  exercisesDir: join(root, "exercises"),
  solutionsDir: join(root, "solutions"),
  patternsDir: join(root, "patterns"),
  catalog: [],
};

const toAnswerKeys: Plugin = {
  name: "kata-answer-keys",
  enforce: "pre",
  async resolveId(source, importer) {
    if (!importer || !source.startsWith(".")) return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    if (!resolved || resolved.external) return null;
    return redirect(workbook, { kind: "solutions" }, importer, resolved.id) ?? null;
  },
};

export default defineConfig({
  plugins: [toAnswerKeys],
  test: {
    include: ["exercises/**/*.spec.ts"],
    // The kata's options, but isolated: Stryker reruns the specs per mutant, and a mutant that
    // runs on import needs its modules loaded afresh.
    ...runOptions,
    isolate: true,
  },
});
