/**
 * Student code cannot take the runner down. A copy of the classroom fixture gets one step per
 * way of breaking things — an infinite loop in a test, an infinite loop at import time,
 * `process.exit()`, a syntax error, a type error — and one honest step after them, which must
 * still be graded. The hang limit is cut to 400 ms to keep this quick. (Grading's policy of running
 * the tests after a hung one is in grade.spec.ts.)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureCopy, greeterSteps, removeCopies, write } from "./fixture-copies";
import { loadWorkbook, type Step, steps } from "./layout";
import type { Fingerprints } from "./mistakes";
import type { TestOutcome } from "./outcome";
import { contentKey } from "./runner/cache";
import { Session, type StepsRun } from "./session";

const counter = (body: string) => `export function createCounter(): () => number {\n${body}\n}\n`;

const broken: Record<string, string> = {
  "02-count": counter(
    "  let count = 0;\n  return () => {\n    count++;\n    while (count > 1) {}\n    return count;\n  };",
  ),
  "03-exit": counter("  process.exit(3);\n  return () => 0;"),
  "04-import-loop": `while (Date.now() > 0) {}\n${counter("  return () => 0;")}`,
  "05-honest": counter("  let count = 0;\n  return () => ++count;"),
};

let root: string;
let all: Step[];
let session: Session;
let run: StepsRun;

const of = (dir: string): TestOutcome[] => run.outcomes.filter((o) => o.file.includes(`/${dir}/`));

beforeAll(async () => {
  root = fixtureCopy("session");
  greeterSteps(root, broken);
  // A type error: runtime tests pass (types are stripped), the compiler does not.
  write(
    root,
    "exercises/greeter/01-greet/greet.ts",
    'export function greet(name: string): string {\n  const n: number = name;\n  return "Hello, " + n + "!";\n}\n',
  );
  const workbook = await loadWorkbook(root);
  all = steps(workbook);
  session = await Session.open({ workbook, hangLimitMs: 400, cache: false });
  run = await session.run(all);
}, 60_000);

afterAll(async () => {
  await session?.close();
  removeCopies();
});

describe("a session running broken student code", () => {
  it("fails a test caught in an infinite loop with a timeout, and skips the rest of its file", () => {
    expect(of("02-count").map((o) => [o.name, o.state, o.messages[0]])).toEqual([
      [
        "createCounter() > counts from one",
        "failed",
        expect.stringMatching(/^Timeout: .*infinite loop\?\), so its process was stopped\.$/),
      ],
      [
        "createCounter() > gives each counter its own count",
        "skipped",
        expect.stringMatching(/^Not run: an earlier test in this file was stopped/),
      ],
    ]);
  });

  it("fails a spec whose module loops at import time, as a file that could not be loaded", () => {
    expect(of("04-import-loop")).toEqual([
      expect.objectContaining({
        name: "(the spec file could not be loaded)",
        state: "failed",
        messages: [expect.stringMatching(/infinite loop at the top level/)],
      }),
    ]);
  });

  it("turns process.exit() into a failing test instead of dying", () => {
    for (const o of of("03-exit")) {
      expect(o.messages[0]).toMatch(/process\.exit unexpectedly called with "3"/);
    }
    expect(of("03-exit")).toHaveLength(2);
  });

  it("reports a type error with file, line and column, and still runs the step's tests", () => {
    expect(run.problems).toEqual([
      {
        file: expect.stringMatching(/01-greet\/greet\.ts$/),
        line: 2,
        column: 9,
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
    ]);
    const runtime = of("01-greet").filter((o) => o.kind === "runtime");
    expect(runtime.map((o) => o.state)).toEqual(["passed", "passed"]);
  });

  it("still runs the honest step after all of them", () => {
    expect(of("05-honest").map((o) => o.state)).toEqual(["passed", "passed"]);
    expect(run.errors).toEqual([]);
  });

  it("reports a syntax error by file and line and keeps serving the next run", async () => {
    const greet = join(root, "exercises/greeter/01-greet/greet.ts");
    writeFileSync(
      greet,
      'export function greet(name: string): string {\n  return "Hello, " + name + "!";;)\n}\n',
    );
    const again = await session.run(all.slice(0, 1));
    expect(again.problems[0]).toMatchObject({
      line: 2,
      message: expect.stringMatching(/^TS1\d+: /),
    });
    expect(again.outcomes.find((o) => o.kind === "runtime")).toMatchObject({
      name: "(the spec file could not be loaded)",
      messages: [expect.stringMatching(/^SyntaxError: .*greet\.ts:2:\d+\)$/)],
    });

    writeFileSync(
      greet,
      'export function greet(name: string): string {\n  return "Hello, " + name + "!";\n}\n',
    );
    const fixed = await session.run(all.slice(0, 1));
    expect(fixed.problems).toEqual([]);
    expect(fixed.outcomes.map((o) => o.state)).toEqual(["passed", "passed", "passed"]);
  }, 30_000);
});

describe("a session given the untouched stubs' record", () => {
  it("shows an untouched step's recorded failures without running it, and runs a step whose record is malformed or whose files changed by a byte", async () => {
    const copy = fixtureCopy("session-record");
    const workbook = await loadWorkbook(copy);
    const [greet, count] = steps(workbook) as [Step, Step];
    const recorded = (s: Step) => ({
      tests: [],
      mistakes: [],
      stub: {
        key: contentKey(s),
        failures: [
          {
            file: basename(s.specs[0] as string),
            name: "recorded",
            line: 5,
            messages: ["as recorded"],
            failedAt: { line: 5, column: 5 },
          },
        ],
      },
    });
    // The counter's record is as verify writes it. The greeter's was edited by hand into what
    // verify never writes, so it is not trusted: the step runs though its files are the stub's.
    const asHandedOut = recorded(greet);
    const edited = { ...asHandedOut, stub: { key: contentKey(greet), failures: "all" } };
    const fingerprints = {
      steps: { [greet.id]: edited, [count.id]: recorded(count) },
    } as unknown as Fingerprints;
    const own = await Session.open({ workbook, fingerprints, cache: false });
    try {
      const found = await own.run([greet, count]);
      expect(found.outcomes.filter((o) => o.file.includes("02-count"))).toEqual([
        expect.objectContaining({
          name: "recorded",
          state: "failed",
          messages: ["as recorded"],
          // The board shows the spec's line, read now from the (unchanged) spec file.
          failedAt: { line: 5, column: 5, source: 'it("counts from one", () => {' },
        }),
      ]);
      expect(
        found.outcomes.filter((o) => o.file.includes("01-greet")).map((o) => o.name),
      ).toContain("greet() > greets by name");
    } finally {
      await own.close();
    }
    // A byte more in the greeter's module: it runs, though its record is well formed now.
    write(
      copy,
      "exercises/greeter/01-greet/greet.ts",
      `${readFileSync(greet.modules[0] as string)}\n`,
    );
    const fixed = { steps: { [greet.id]: asHandedOut, [count.id]: recorded(count) } };
    const again = await Session.open({ workbook, fingerprints: fixed, cache: false });
    try {
      const rerun = await again.run([greet]);
      expect(rerun.outcomes.map((o) => o.name)).toContain("greet() > greets by name");
    } finally {
      await again.close();
    }
  }, 60_000);
});
