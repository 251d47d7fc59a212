// @ts-check
/**
 * Mutation testing of the reference implementations: `npm run mutation`. Scores and surviving
 * mutants: reports/mutation/index.html and mutation.json; the summary is docs/mutation.md.
 *
 * One pattern (mutate replaces the list below, so it repeats the exclusions; an incremental file
 * of its own, or the partial run would overwrite the whole run's):
 *   npx stryker run --incrementalFile reports/stryker-observer.json \
 *     --mutate "patterns/observer/**\/*.ts,!**\/*.spec.ts,!**\/*.test-d.ts,!**\/demos/**,!**\/index.ts"
 */

/**
 * The adapters to a real Redis (RedisBroker and what relays through it, the Redis Streams log,
 * the BullMQ queue). Their specs start a server per file, which per mutant would take hours (a
 * pubsub run with them projected two and a half hours at one worker); verify runs those specs
 * against real servers instead. vitest.mutation.config.ts leaves out the same specs.
 */
export const serviceAdapters = [
  "patterns/pubsub/redis-broker.ts",
  "patterns/pubsub/chat/relay.ts",
  "patterns/observer-async/event-log/redis-stream-log.ts",
  "patterns/observer-async/bullmq-queue.ts",
];

/** Code the specs run, not the reference: a client, child-process scripts, a shared suite. */
export const specSupport = [
  "patterns/pubsub/chat/spec-client.ts",
  "patterns/observer-async/bullmq-spec-worker.ts",
  "patterns/observer-async/event-log/kill-writer.ts",
  "patterns/observer-async/event-log/conformance.ts",
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  mutate: [
    "patterns/**/*.ts",
    "!patterns/**/*.spec.ts",
    "!patterns/**/*.test-d.ts",
    "!patterns/**/*.e2e.ts",
    "!patterns/**/demos/**",
    "!patterns/**/index.ts",
    ...specSupport.map((file) => `!${file}`),
    ...serviceAdapters.map((file) => `!${file}`),
  ],
  // The sandbox (.stryker-tmp/) gets only what the reference specs need: an allow-list, so that
  // files other work writes at the root meanwhile (grade.json, bench.json…) are neither copied
  // nor raced for. node_modules is linked, not copied.
  ignorePatterns: [
    "/*",
    "!/patterns",
    "!/package.json",
    "!/tsconfig.json",
    "!/vitest.mutation.config.ts",
    // The modules of kata/ the reference specs import.
    "!/kata",
    "/kata/*",
    "!/kata/spec-helpers.ts",
    "!/kata/services.ts",
    "/patterns/*/demos",
    "**/*.e2e.ts",
  ],
  // Each mutant runs only the tests that cover it (a Stryker default, stated because the speed of
  // the whole run rests on it). Two workers: this machine has two cores.
  coverageAnalysis: "perTest",
  concurrency: 2,
  // A run reuses the results of mutants whose code and covering specs did not change since the
  // last one (kept in reports/, which git ignores): a full run takes minutes, a re-run after
  // editing one spec seconds. `npx stryker run --force` starts afresh.
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 95, low: 90, break: 90 },
};

export default config;
