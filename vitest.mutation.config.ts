/**
 * The vitest config StrykerJS runs (`npm run mutation`, see stryker.config.mjs): the reference
 * implementations' own runtime specs, nothing else. The kata's specs in `exercises/` test the
 * stubs and answer keys, not `patterns/`, so they could not kill a mutant there; type-level specs
 * (`*.test-d.ts`) are not runtime tests; browser tests (`*.e2e.ts`) are too slow to repeat per
 * mutant. `npx vitest run --config vitest.mutation.config.ts` runs the same specs without Stryker.
 */
import type { RunnerTestCase, RunnerTestFile } from "vitest";
import { defineConfig } from "vitest/config";
import type { Reporter, Vitest } from "vitest/node";

/**
 * Works around stryker-js#6150 (vitest runner 9.6.1 and 10.0.0): Stryker scores a mutant from the
 * tests vitest collected, and a spec file that fails to load (a mutant in code that runs on import,
 * such as a `token("mailer")` at the top of a spec, throws) collects none, so the mutant "survives"
 * although the suite caught it. This reporter gives such a file one failed test carrying the load
 * error; a file that loaded is left as it is. Stryker reads the files after the run ends.
 */
function loadFailuresAsFailedTests(): Reporter {
  let vitest: Vitest | undefined;
  return {
    onInit(ctx) {
      vitest = ctx;
    },
    onTestRunEnd() {
      for (const file of vitest?.state.getFiles() ?? []) {
        if (file.result?.state !== "fail" || hasTests(file)) continue;
        const name = "(the spec file could not be loaded)";
        // Stryker reads only the fields below; a test context is built by vitest alone, and
        // nothing runs this test.
        const failed = {
          type: "test",
          id: `${file.id}_load`,
          name,
          fullName: `${file.name} > ${name}`,
          fullTestName: name,
          mode: "run",
          file,
          suite: file,
          meta: {},
          timeout: 0,
          annotations: [],
          artifacts: [],
          result: { state: "fail", errors: file.result.errors ?? [] },
        } as unknown as RunnerTestCase;
        file.tasks.push(failed);
      }
    },
  };
}

const hasTests = (suite: RunnerTestFile | RunnerTestFile["tasks"][number]): boolean =>
  suite.type === "test" || ("tasks" in suite && suite.tasks.some(hasTests));

/**
 * Specs that get 60 s per test, a bound on a hang rather than a race with the clock: those that
 * drive real sockets or tools (the chat server, Prometheus's promtool), and those with stress
 * tests (100 000 subscribe/unsubscribe cycles, ten thousand observers), which Stryker's
 * instrumented code runs ten times slower; on a busy machine the dry run of the 100 000-cycle
 * trie test took more than 10 s. A spec that fails the dry run with "Test timed out in 2000ms"
 * belongs here.
 */
const slowSpecs = [
  "patterns/pubsub/chat/server.spec.ts",
  "patterns/pubsub/broker.spec.ts",
  "patterns/pubsub/trie.spec.ts",
  "patterns/observer/subject.spec.ts",
  "patterns/pubsub/metrics.spec.ts",
  "patterns/observer-async/event-log/*.spec.ts",
  "patterns/observer-async/job-metrics.spec.ts",
  "patterns/observer-async/dashboard/*.spec.ts",
  "patterns/pubsub/chat/metrics.spec.ts",
];

/** Specs that start a Redis server per file: see `serviceAdapters` in stryker.config.mjs. */
const redisSpecs = [
  "patterns/pubsub/redis-broker.spec.ts",
  "patterns/pubsub/chat/distributed.spec.ts",
  "patterns/observer-async/event-log/redis-stream-log.spec.ts",
  "patterns/observer-async/bullmq-queue.spec.ts",
];

export default defineConfig({
  test: {
    exclude: ["**/node_modules/**", "**/*.e2e.ts", "patterns/**/demos/**", ...redisSpecs],
    // The options of the kata's reference project (kata/targets.ts `runOptions`), so that a spec
    // behaves here as under `npm run verify`, except isolation: Stryker reruns the specs for each
    // mutant, and a mutant that runs on import needs its modules loaded afresh.
    pool: "threads",
    isolate: true,
    restoreMocks: true,
    unstubGlobals: true,
    projects: [
      {
        extends: true,
        // The kata's 2 s per test: a mutant that leaves a promise pending (every async spec uses
        // fake timers, so nothing else can be slow) fails its test in 2 s, a kill, instead of
        // running into Stryker's own timeout, which also costs a restart of the worker.
        test: {
          name: "reference",
          include: ["patterns/**/*.spec.ts"],
          exclude: slowSpecs,
          testTimeout: 2_000,
          hookTimeout: 2_000,
        },
      },
      {
        extends: true,
        test: { name: "slow", include: slowSpecs, testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
    // Inside Stryker's workers only the workaround reports: nobody reads their output.
    reporters:
      process.env.STRYKER_MUTATOR_WORKER === undefined
        ? ["default", loadFailuresAsFailedTests()]
        : [loadFailuresAsFailedTests()],
  },
});
