/**
 * Runs specs against targets for verify and `npm run check`: the runtime specs on the kata's
 * runner (each spec loaded once per target, see `specId()`), the type-level specs through the
 * compiler at the same time. A `SpecRunner` serves several runs (verify's answer keys, stubs
 * and reference; at the same time its mistakes, on a second lane; then any mistake run again)
 * with one compiler process and a vitest per lane, each started once.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Step, Workbook } from "./layout";
import type { TestOutcome } from "./outcome";
import { CompilerProcess } from "./runner/compiler";
import { type RuntimeJob, RuntimeRunner } from "./runner/runtime";
import { specId, stepsFor, type Target } from "./targets";

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

/** How far a run has got: spec modules finished of those it runs (runtime specs only). */
export type Progress = (done: number, total: number) => void;

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

/**
 * Whether a spec file asks for a process of its own (`@kata-own-process` in its text) where
 * processes are shared: a spec that forces full garbage collections, whose cost grows with the
 * heap, and a shared process's heap holds every module that ran before (0.3 s a collection
 * there, a few milliseconds in a fresh process); a spec that changes the process for good.
 */
const ownProcess = (file: string): boolean => readFileSync(file, "utf8").includes(OWN_PROCESS);
const OWN_PROCESS = "@kata-own-process";

/** One spec module per (spec file, target) pair; see `specId()`. */
function jobsOf(workbook: Workbook, targets: readonly Target[], steps: readonly Step[]) {
  return targets.flatMap((target) =>
    target.kind === "reference"
      ? referenceFiles(workbook, steps, /\.spec\.ts$/).map(
          (moduleId): RuntimeJob => ({
            project: "reference",
            moduleId,
            alone: ownProcess(moduleId),
          }),
        )
      : stepsFor(target, steps).flatMap((step) =>
          step.specs.map(
            (file): RuntimeJob => ({
              project: "exercises",
              moduleId: specId(file, target),
              alone: ownProcess(file),
            }),
          ),
        ),
  );
}

/**
 * The kata's runner (kata/runner/) opened for the workbook's own code: the runtime specs in
 * child processes that a hang cannot outlast (a mistake with an infinite loop fails its test;
 * verify goes on), the type-level specs in the compiler's process at the same time. Failing
 * tests are outcomes, not exceptions; only a broken set-up throws.
 */
export class SpecRunner {
  readonly #workbook: Workbook;
  readonly #targets: readonly Target[];
  readonly #compiler = new CompilerProcess();
  readonly #lanes = new Map<string, Promise<RuntimeRunner>>();

  /** `targets`: every target any run of this runner will ask for (imports follow them). */
  constructor(workbook: Workbook, targets: readonly Target[]) {
    this.#workbook = workbook;
    this.#targets = targets;
  }

  /**
   * The runtime runner of a lane. Each lane has one test process, reused from file to file
   * (isolation would cost a process per spec module, four times the run), which runs its files
   * one after the other in the same order every time: what one file leaks into the next is then
   * the same on every run, and so is every fingerprint. Two lanes run at once, one per core.
   * Generous limits: verify runs on busy machines (a load of 20 on two cores has been seen), the
   * reference's specs start real servers, and a test that merely waits is stopped by its own
   * timeout long before these. They only bound a true hang.
   */
  #runner(lane: string): Promise<RuntimeRunner> {
    let runtime = this.#lanes.get(lane);
    if (!runtime) {
      runtime = RuntimeRunner.open({
        workbook: this.#workbook,
        targets: this.#targets,
        isolate: false,
        cache: false,
        hangLimitMs: 60_000,
        fileLimitMs: 20 * 60_000,
      });
      this.#lanes.set(lane, runtime);
    }
    return runtime;
  }

  /** Runs `request` on the lane named `lane`; runs on different lanes may overlap. */
  async run(request: RunRequest, progress?: Progress, lane = "main"): Promise<RunResult> {
    const { workbook, targets, steps } = request;
    const typeOutcomes = this.#compiler.typecheck(
      targets.map((target) => ({ workbook, target, files: typeSpecs(workbook, target, steps) })),
    );
    typeOutcomes.catch(() => {});
    const jobs = jobsOf(workbook, targets, steps);
    const outcomes: TestOutcome[] = [];
    const errors: string[] = [];
    if (jobs.length > 0) {
      const runner = await this.#runner(lane);
      const result = await runner.run(jobs, progress);
      outcomes.push(...result.outcomes);
      errors.push(...result.errors);
    }
    outcomes.push(...(await typeOutcomes));
    return { outcomes, errors };
  }

  async close(): Promise<void> {
    this.#compiler.close();
    for (const lane of this.#lanes.values()) {
      const runtime = await lane.catch(() => undefined);
      await runtime?.close();
    }
  }
}

/** One run on a runner of its own. */
export async function runSpecs(request: RunRequest, progress?: Progress): Promise<RunResult> {
  const runner = new SpecRunner(request.workbook, request.targets);
  try {
    return await runner.run(request, progress);
  } finally {
    await runner.close();
  }
}
