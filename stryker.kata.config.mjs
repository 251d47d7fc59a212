// @ts-check
/**
 * Mutation testing of the kata's specs: `npm run mutation:kata`. StrykerJS plants bugs in the
 * answer keys (`solutions/<pattern>/<step>/<module>.ts`, never the mistakes) and runs the kata
 * specs of that step against each (vitest.kata-mutation.config.ts redirects the specs' stub import
 * to the answer key). A surviving mutant is a wrong answer a student could hand in and see green.
 * Report: reports/mutation-kata/index.html and mutation.json; `npm run mutation:report` writes the
 * scores per step and every survivor (with its reason from docs/mutation-equivalent.json) into
 * docs/mutation.md. Incremental: a rerun retests only mutants whose key or covering specs changed.
 *
 * One pattern or step (an incremental file of its own, so the partial run keeps the whole one's):
 *   npx stryker run stryker.kata.config.mjs --incrementalFile reports/stryker-kata-singleton.json \
 *     --mutate "solutions/singleton/*\/*.ts" --concurrency 1
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.kata-mutation.config.ts" },
  mutate: ["solutions/*/*/*.ts"],
  ignorePatterns: [
    "/*",
    "!/exercises",
    "!/solutions",
    "!/kata",
    "!/patterns",
    "!/package.json",
    "!/tsconfig.json",
    "!/vitest.kata-mutation.config.ts",
    "/kata/fixtures",
    "**/*.e2e.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  incremental: true,
  incrementalFile: "reports/stryker-kata-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation-kata/index.html" },
  jsonReporter: { fileName: "reports/mutation-kata/mutation.json" },
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: ".stryker-tmp",
};

export default config;
