/**
 * Runs specs against targets: the runtime specs in one vitest run (each spec loaded once per
 * target, see `specId()`), the type-level specs through the compiler in a worker thread at the
 * same time. Returns every outcome in one flat list.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { TestModule } from "vitest/node";
import type { Step, Workbook } from "./layout";
import type { TestOutcome } from "./outcome";
import { parseSpecId, redirectPlugin, runOptions, specId, stepsFor, type Target } from "./targets";
import { checkTypesInThread } from "./typecheck-thread";

export interface RunRequest {
  readonly workbook: Workbook;
  /** Each target runs the specs of `steps`, except a mistake, which runs only its own step's. */
  readonly targets: readonly Target[];
  readonly steps: readonly Step[];
}

export interface RunResult {
  readonly outcomes: TestOutcome[];
  /** Errors raised outside any test (an unhandled rejection, a crashed worker). */
  readonly errors: string[];
}

const firstLines = (text: string, count = 6): string => text.split("\n").slice(0, count).join("\n");

const describeError = (e: { name?: string; message: string }): string =>
  firstLines(`${e.name ?? "Error"}: ${e.message}`);

/** The outcomes of one spec module as vitest reported it (one per test, or one load failure). */
export function moduleOutcomes(module: TestModule): TestOutcome[] {
  const { file, target } = parseSpecId(module.moduleId, module.project.name);
  const base = { target, file, kind: "runtime" } as const;
  const tests = [...module.children.allTests()];
  const loadErrors = module.errors().map(describeError);
  if (tests.length === 0 && loadErrors.length > 0) {
    // The spec could not even be loaded: a syntax error in the stub, a missing export…
    const name = "(the spec file could not be loaded)";
    return [
      { ...base, name, line: undefined, state: "failed", messages: loadErrors, durationMs: 0 },
    ];
  }
  return tests.map((test): TestOutcome => {
    const result = test.result();
    const messages = [...loadErrors, ...(result.errors ?? []).map(describeError)];
    const state = result.state === "skipped" ? "skipped" : result.state;
    const failed = state === "failed" || state === "pending" || loadErrors.length > 0;
    return {
      ...base,
      name: test.fullName,
      line: test.location?.line,
      state: state === "skipped" ? "skipped" : failed ? "failed" : "passed",
      messages: failed ? messages : [],
      durationMs: test.diagnostic()?.duration ?? 0,
    };
  });
}

/** The type specs a target checks: the steps' `*.test-d.ts`, or the reference's. */
function typeSpecs(workbook: Workbook, target: Target, steps: readonly Step[]): string[] {
  if (target.kind !== "reference") return stepsFor(target, steps).flatMap((s) => s.typeSpecs);
  return referenceFiles(workbook, steps, /\.test-d\.ts$/);
}

/**
 * The reference's own spec files for the patterns of `steps` (anywhere under `patterns/<id>/`),
 * and the tooling's under `kata/` when every step is selected. Fixtures are not specs.
 */
function referenceFiles(workbook: Workbook, steps: readonly Step[], name: RegExp): string[] {
  const under = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir, { recursive: true, encoding: "utf8" })
          .filter((f) => name.test(f) && !f.split(/[\\/]/).includes("fixtures"))
          .map((f) => join(dir, f))
      : [];
  const patterns = new Set(steps.map((s) => s.pattern.id));
  const everything = workbook.catalog.every((p) => patterns.has(p.id));
  return [
    ...[...patterns].flatMap((id) => under(join(workbook.patternsDir, id))),
    ...(everything ? under(join(workbook.root, "kata")) : []),
  ].sort();
}

/** Runs the request. Failing tests are outcomes, not exceptions; only a broken set-up throws. */
export async function runSpecs(request: RunRequest): Promise<RunResult> {
  const { workbook, targets, steps } = request;
  const typeOutcomes = checkTypesInThread(
    targets.map((target) => ({ workbook, target, files: typeSpecs(workbook, target, steps) })),
  );
  // One spec module per (spec file, target) pair; see `specId()`.
  const runtime = targets.flatMap((target) =>
    target.kind === "reference"
      ? referenceFiles(workbook, steps, /\.spec\.ts$/).map((file) => ({
          project: "reference",
          file,
        }))
      : stepsFor(target, steps).flatMap((step) =>
          step.specs.map((file) => ({ project: "exercises", file: specId(file, target) })),
        ),
  );

  const outcomes: TestOutcome[] = [];
  const errors: string[] = [];
  if (runtime.length > 0) {
    // Imported only now, after the type worker has started, so that both load at once.
    const { createVitest } = await import("vitest/node");
    const plugins = [redirectPlugin(workbook, targets)];
    const vitest = await createVitest(
      "test",
      {
        config: false,
        root: workbook.root,
        watch: false,
        projects: [
          { plugins, test: { ...runOptions, name: "exercises", include: [] } },
          // The reference's specs drive real servers and nested runs: give them more time.
          { plugins, test: { ...runOptions, name: "reference", include: [], testTimeout: 10_000 } },
        ],
        reporters: [
          {
            onTestRunEnd(modules, unhandled) {
              for (const module of modules) outcomes.push(...moduleOutcomes(module));
              for (const error of unhandled) errors.push(describeError(error));
            },
          },
        ],
      },
      { logLevel: "silent" },
    );
    try {
      const specifications = runtime.map(({ project, file }) =>
        vitest.getProjectByName(project).createSpecification(file),
      );
      await vitest.runTestSpecifications(specifications);
    } finally {
      await vitest.close();
    }
  }
  outcomes.push(...(await typeOutcomes));
  return { outcomes, errors };
}
