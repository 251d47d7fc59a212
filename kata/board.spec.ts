/**
 * The board and the step list, from outcomes made up here: what a student reads after every run
 * must fit in 80 columns and say what to do next.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderBoard, renderList, type StepStatus, stepStatuses, wrap } from "./board";
import type { CompileProblem } from "./compile";
import { loadWorkbook, repoRoot, type Step, steps, type Workbook } from "./layout";
import type { Fingerprints } from "./mistakes";
import type { TestOutcome } from "./outcome";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "");
const widest = (text: string): number =>
  Math.max(
    ...plain(text)
      .split("\n")
      .map((l) => l.length),
  );

let workbook: Workbook;
let greet: Step;
let count: Step;

beforeAll(async () => {
  workbook = await loadWorkbook(join(repoRoot, "kata/fixtures/classroom"));
  [greet, count] = steps(workbook) as [Step, Step];
}, 60_000);

const outcome = (
  step: Step,
  name: string,
  state: TestOutcome["state"],
  message = "",
): TestOutcome => ({
  target: "exercises",
  file: step.specs[0] ?? "",
  name,
  line: 5,
  kind: "runtime",
  state,
  messages: message ? [message] : [],
  durationMs: 1,
});

describe("stepStatuses()", () => {
  it("solves a step whose every test passes and whose modules compile", () => {
    const [first, second] = stepStatuses(
      [greet, count],
      [outcome(greet, "a", "passed"), outcome(count, "b", "passed")],
      [{ file: count.modules[0] ?? "", line: 2, column: 3, message: "TS2322: nope" }],
    );
    expect(first).toMatchObject({ solved: true, passed: 1 });
    expect(second).toMatchObject({ solved: false, passed: 1 });
    expect(second?.problems).toHaveLength(1);
  });

  it("never solves a step without tests", () => {
    expect(stepStatuses([greet], [])[0]?.solved).toBe(false);
  });

  it("does not mistake a step for another whose folder name starts the same", () => {
    const lookalike = {
      ...outcome(greet, "x", "passed"),
      file: `${greet.exerciseDir}-extra/x.spec.ts`,
    };
    expect(stepStatuses([greet], [lookalike])[0]?.outcomes).toEqual([]);
  });
});

describe("renderBoard()", () => {
  const longName = `greet() > ${"greets a person whose name is very long indeed ".repeat(3)}`;
  const statuses = (): StepStatus[] =>
    stepStatuses(
      [greet, count],
      [
        outcome(
          greet,
          longName,
          "failed",
          `AssertionError: expected '${"x".repeat(120)}' to be 'y'`,
        ),
        outcome(greet, "greet() > greets anyone", "skipped", "Not run: an earlier test hung"),
        outcome(count, "createCounter() > counts", "failed", "Error: TODO(greeter/02)"),
      ],
    );

  it("shows progress, then the first unsolved step's failures, in 80 columns", () => {
    const board = plain(renderBoard(statuses()));
    expect(board).toContain("Greeter  ░░░░░░░░░░░░  0/2 steps solved");
    expect(board).toContain("0/2 steps solved · 0/3 tests passing");
    expect(board).toContain("Next: Greeter, step 1 of 2: Greet");
    expect(board).toContain("greets a person whose name");
    expect(board).toContain("○ greet() > greets anyone");
    expect(board).toContain("Hint:         npm run kata -- hint greeter/01-greet");
    expect(widest(board)).toBeLessThanOrEqual(80);
  });

  it("wraps to a narrower width when asked", () => {
    expect(widest(renderBoard(statuses(), [], { width: 60 }))).toBeLessThanOrEqual(60);
  });

  it("says a step does not compile, with file, line and column", () => {
    const problem: CompileProblem = {
      file: greet.modules[0] ?? "",
      line: 3,
      column: 9,
      message: "TS2322: Type 'string' is not assignable to type 'number'.",
    };
    const board = plain(
      renderBoard(stepStatuses([greet], [outcome(greet, "a", "passed")], [problem]), [], {
        root: workbook.root,
      }),
    );
    expect(board).toMatch(
      /✗ does not compile\n {4}exercises\/greeter\/01-greet\/greet\.ts:3:9\n {4}TS2322: Type 'string'/,
    );
  });

  it("shows the focused step, its hints and its output in watch mode", () => {
    const board = plain(
      renderBoard(statuses(), [], {
        focus: count,
        hints: 5,
        logs: ["counting…"],
        mode: "watch",
        root: workbook.root,
      }),
    );
    expect(board).toContain("Next: Greeter, step 2 of 2: Count");
    expect(board).toContain("Hint 1/1: Keep the count in a closure.");
    expect(board).toContain("Output of the tests:\n    counting…");
    expect(board).not.toContain("npm test --");
  });

  it("never counts the tests of a step that does not compile as passing", () => {
    const problem: CompileProblem = {
      file: greet.modules[0] ?? "",
      line: 3,
      column: 9,
      message: "TS2322: Type 'string' is not assignable to type 'number'.",
    };
    const board = plain(
      renderBoard(
        stepStatuses(
          [greet],
          [outcome(greet, "a", "passed"), outcome(greet, "b", "passed")],
          [problem],
        ),
        [],
        { width: 200 },
      ),
    );
    expect(board).toContain("0/1 steps solved · 1 step does not compile");
    expect(board).not.toMatch(/2\/2 tests passing/);
    expect(board).toContain(
      "Its tests ran on the code as it is (2/2 pass), but the step is solved only once it compiles.",
    );
  });

  it("shows where the failing expect is, its source and the difference, not only the it( line", () => {
    const failed: TestOutcome = {
      ...outcome(
        greet,
        "greet() > greets by name",
        "failed",
        "AssertionError: expected 'Ada!' to be 'Hello, Ada!'",
      ),
      failedAt: { line: 6, column: 24, source: 'expect(greet("Ada")).toBe("Hello, Ada!");' },
      diff: "- Expected\n+ Received\n\n- Hello, Ada!\n+ Ada!",
    };
    const board = plain(renderBoard(stepStatuses([greet], [failed]), [], { root: workbook.root }));
    expect(board).toContain(
      [
        "  ✗ greet() > greets by name",
        "    exercises/greeter/01-greet/greet.spec.ts:6",
        '    › expect(greet("Ada")).toBe("Hello, Ada!");',
        "    AssertionError: expected 'Ada!' to be 'Hello, Ada!'",
        "    - Expected",
        "    + Received",
        "    - Hello, Ada!",
        "    + Ada!",
      ].join("\n"),
    );
  });

  it("reports a filtered run on the steps it ran, never as the whole kata solved", () => {
    const one = stepStatuses([greet], [outcome(greet, "a", "passed")]);
    const board = plain(renderBoard(one, [], { total: 28 }));
    expect(board).toContain("ran 1 of the kata's 28 steps: 1 solved · 1/1 tests passing");
    expect(board).toContain("Greeter  ████████████  ran 1 of 2: 1 solved");
    expect(board).toContain("The step you ran is solved.");
    expect(board).toContain("The kata's other 27 steps did not run: npm test runs them all.");
    expect(board).not.toContain("Every step is solved");
    expect(board).not.toContain("1/1 steps solved");

    const unsolved = plain(
      renderBoard(stepStatuses([greet], [outcome(greet, "a", "failed")]), [], { total: 28 }),
    );
    expect(unsolved).toContain("ran 1 of the kata's 28 steps: 0 solved");
    expect(unsolved).not.toContain("0/1 steps solved");
  });

  it("congratulates when every step is solved", () => {
    const solved = stepStatuses(
      [greet, count],
      [outcome(greet, "a", "passed"), outcome(count, "b", "passed")],
    );
    expect(plain(renderBoard(solved))).toContain("Every step is solved. Well done!");
  });
});

describe("renderBoard() and the catalogued mistakes", () => {
  const names = [
    "greet() > greets by name",
    "greet() > greets anyone",
    "the greet type > takes only strings",
  ];
  const prints: Fingerprints = {
    steps: {
      "greeter/01-greet": {
        tests: names,
        mistakes: [
          {
            name: "rude",
            hint: "A greeting starts with a word of greeting.",
            failing: names.slice(0, 2),
          },
          { name: "loose-type", hint: null, failing: names.slice(2) },
        ],
      },
    },
  };
  const failing = (...failed: string[]) =>
    stepStatuses(
      [greet],
      names.map((n) => outcome(greet, n, failed.includes(n) ? "failed" : "passed", "x")),
    );

  it("names the mistake whose fingerprint the failures match, with its hint", () => {
    const board = plain(
      renderBoard(failing(...names.slice(0, 2)), [], { fingerprints: prints, width: 200 }),
    );
    expect(board).toContain(
      'This looks like a known mistake, "rude": A greeting starts with a word of greeting.',
    );
  });

  it("points at the step's hints for a mistake without one", () => {
    const board = plain(
      renderBoard(failing(names[2] ?? ""), [], { fingerprints: prints, width: 200 }),
    );
    expect(board).toContain(
      'This looks like a known mistake: "loose type". The step\'s hints may help: npm run kata -- hint greeter/01-greet',
    );
  });

  it("names nothing for an untouched stub, which fails every test", () => {
    const board = plain(renderBoard(failing(...names), [], { fingerprints: prints }));
    expect(board).toContain("✗ greet() > greets by name");
    expect(board).not.toContain("This looks like");
  });
});

describe("renderBoard() in a narrow terminal", () => {
  it.each([40, 50])("keeps to %i columns and breaks paths only between folders", (width) => {
    const failed = {
      ...outcome(greet, "greet() > greets by name", "failed", "AssertionError: nope"),
      file: join(greet.exerciseDir, "a-rather-long-spec-name.spec.ts"),
    };
    const titled = {
      ...greet,
      entry: { ...greet.entry, title: "Lazily built, reset between tests" },
    };
    const board = plain(
      renderBoard(stepStatuses([titled], [failed]), [], { root: workbook.root, width }),
    );
    expect(widest(board)).toBeLessThanOrEqual(width);
    const path = "exercises/greeter/01-greet/a-rather-long-spec-name.spec.ts:5";
    const at = board.split("\n").findIndex((l) => l.trim().startsWith("exercises/greeter"));
    const pieces = board
      .split("\n")
      .slice(at, at + 3)
      .map((l) => l.trim());
    let joined = "";
    for (const piece of pieces) {
      if (joined === path) break;
      // Each line ends where the path has a break: after a folder, or at its end.
      expect(
        joined + piece === path || (piece.endsWith("/") && path.startsWith(joined + piece)),
      ).toBe(true);
      joined += piece;
    }
    expect(joined).toBe(path);
  });
});

describe("renderList()", () => {
  it("gives each step one line with its status, within the width", () => {
    const list = plain(
      renderList(
        stepStatuses(
          [greet, count],
          [outcome(greet, "a", "passed")],
          [{ file: count.modules[0] ?? "", line: 1, column: 1, message: "TS1005: ';' expected." }],
        ),
        31,
      ),
    );
    expect(list.split("\n")).toEqual([
      expect.stringMatching(/^✓ greeter\/01-greet +1\/1 {2}Gr…$/),
      expect.stringMatching(/^✗ greeter\/02-count +✗ tsc {2}Co…$/),
    ]);
    expect(widest(list)).toBeLessThanOrEqual(31);
  });
});

describe("wrap()", () => {
  it("breaks at spaces, indents every line and cuts words longer than a line", () => {
    expect(wrap("aaa bbb ccc", 9, "  ", "- ")).toEqual(["- aaa bbb", "  ccc"]);
    expect(wrap("abcdefghij", 6, "", "")).toEqual(["abcdef", "ghij"]);
    expect(wrap("one\ntwo", 80, "> ")).toEqual(["> one", "> two"]);
  });

  it("cuts a path too long for a line after a folder, not in the middle of a name", () => {
    expect(wrap("exercises/singleton/01-one-instance/singleton.spec.ts", 24, "")).toEqual([
      "exercises/singleton/",
      "01-one-instance/",
      "singleton.spec.ts",
    ]);
  });
});
