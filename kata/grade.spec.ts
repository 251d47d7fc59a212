/**
 * Grading, on submissions made from the classroom fixture: one solved, one half-solved, one that
 * tampered with its specs and one that loops for ever. The teacher's copy is a git repository of
 * its own; grading must use its committed specs, never a working copy's. (The command line,
 * `npm run grade` with --ref, is driven in grade.e2e.ts.)
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitAll, fixtureCopy, removeCopies, write } from "./fixture-copies";
import { type GradeReport, grade, renderScore, renderSummary, toJunit } from "./grade";
import { validate } from "./json-schema";
import { repoRoot } from "./layout";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "");
const schema = JSON.parse(readFileSync(join(repoRoot, "kata/grade.schema.json"), "utf8"));

let teacher: string;
let solved: string;
let half: string;
let tampered: string;
let loops: string;
let reports: GradeReport[];

const solve = (root: string, step: string, module: string) =>
  cpSync(
    join(root, "solutions/greeter", step, module),
    join(root, "exercises/greeter", step, module),
  );

const step = (report: GradeReport | undefined, id: string) =>
  report?.patterns.flatMap((p) => p.steps).find((s) => s.id === id);

beforeAll(async () => {
  teacher = fixtureCopy("grade-teacher");
  commitAll(teacher);
  // An uncommitted edit in the teacher's working copy must not count either.
  write(
    teacher,
    "exercises/greeter/02-count/counter.spec.ts",
    'import { it } from "vitest";\nit("passes", () => {});\n',
  );

  solved = fixtureCopy("grade-solved");
  solve(solved, "01-greet", "greet.ts");
  solve(solved, "02-count", "counter.ts");

  half = fixtureCopy("grade-half");
  solve(half, "01-greet", "greet.ts");

  tampered = fixtureCopy("grade-tampered");
  // Makes the counting test vacuous, deletes the type-level spec, adds a spec of its own…
  const spec = join(tampered, "exercises/greeter/02-count/counter.spec.ts");
  writeFileSync(spec, readFileSync(spec, "utf8").replace("toEqual([1, 2, 3])", "toBeDefined()"));
  rmSync(join(tampered, "exercises/greeter/01-greet/greet.test-d.ts"));
  write(
    tampered,
    "exercises/greeter/02-count/extra.spec.ts",
    'import { it } from "vitest";\nit("x", () => {});\n',
  );
  // …and answers with a counter that always says 1.
  write(
    tampered,
    "exercises/greeter/02-count/counter.ts",
    "export const createCounter = () => () => 1;\n",
  );

  // An infinite loop on the second call: the first test hangs, and grading still runs the other.
  loops = fixtureCopy("grade-loops");
  write(
    loops,
    "exercises/greeter/02-count/counter.ts",
    "export function createCounter() {\n  let n = 0;\n  return () => {\n    n++;\n    while (n > 1) {}\n    return n;\n  };\n}\n",
  );

  reports = await grade({
    submissions: [solved, half, tampered, loops],
    repository: teacher,
    hangLimitMs: 400,
  });
}, 90_000);

afterAll(removeCopies);

describe("grade()", () => {
  it("scores a solved, a half-solved and a tampered submission", () => {
    expect(reports.map((r) => [r.name.replace(/-\d+$/, ""), r.score])).toEqual([
      [".run-grade-solved", { stepsSolved: 2, steps: 2, testsPassed: 5, tests: 5 }],
      [".run-grade-half", { stepsSolved: 1, steps: 2, testsPassed: 3, tests: 5 }],
      [".run-grade-tampered", { stepsSolved: 0, steps: 2, testsPassed: 1, tests: 5 }],
      [".run-grade-loops", { stepsSolved: 0, steps: 2, testsPassed: 1, tests: 5 }],
    ]);
  });

  it("fails a test that loops for ever, and still runs the tests after it", () => {
    expect(step(reports[3], "greeter/02-count")?.tests).toEqual([
      expect.objectContaining({ status: "failed", message: expect.stringMatching(/^Timeout: /) }),
      expect.objectContaining({
        name: "createCounter() > gives each counter its own count",
        status: "passed",
      }),
    ]);
  });

  it("runs the committed specs, never the working copy's, and names every tampered file", () => {
    const [, , cheat] = reports;
    expect(cheat?.tampered).toEqual([
      { file: "exercises/greeter/01-greet/greet.test-d.ts", change: "deleted" },
      { file: "exercises/greeter/02-count/counter.spec.ts", change: "modified" },
      { file: "exercises/greeter/02-count/extra.spec.ts", change: "added" },
    ]);
    expect(step(cheat, "greeter/02-count")?.tests).toEqual([
      expect.objectContaining({
        name: "createCounter() > counts from one",
        status: "failed",
        message: expect.stringContaining("expected [ 1, 1, 1 ] to deeply equal [ 1, 2, 3 ]"),
      }),
      expect.objectContaining({
        name: "createCounter() > gives each counter its own count",
        status: "passed",
      }),
    ]);
    // The deleted type-level spec ran anyway, from git.
    expect(step(cheat, "greeter/01-greet")?.tests.map((t) => t.kind)).toEqual([
      "runtime",
      "runtime",
      "type",
    ]);
    expect(reports[0]?.tampered).toEqual([]);
  });

  it("writes reports that match the documented schema", () => {
    for (const report of reports) {
      expect(validate(JSON.parse(JSON.stringify(report)), schema)).toEqual([]);
    }
    expect(reports[0]?.specs.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("names the first failing assertion of each test, with the spec's relative path and line", () => {
    expect(step(reports[1], "greeter/02-count")?.tests[0]).toEqual({
      name: "createCounter() > counts from one",
      file: "exercises/greeter/02-count/counter.spec.ts",
      line: 5,
      kind: "runtime",
      status: "failed",
      message: "Error: TODO(greeter/02): implement createCounter()",
      durationMs: expect.any(Number),
    });
  });
});

describe("the schema check", () => {
  it("rejects a report that breaks the schema", () => {
    const report = JSON.parse(JSON.stringify(reports[0]));
    report.score.tests = -1;
    report.patterns[0].steps[0].status = "nearly";
    delete report.gradedAt;
    expect(validate(report, schema)).toEqual([
      '$: missing required property "gradedAt"',
      "$.score.tests: -1 is below 0",
      expect.stringContaining('$.patterns[0].steps[0].status: "nearly" is not one of'),
    ]);
  });
});

describe("toJunit()", () => {
  it("gives a testsuite per step and one for tampering, with failures counted", () => {
    const xml = toJunit(reports[2] as GradeReport);
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="kata: [^"]+" tests="8" failures="7"/,
    );
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml).toContain('<testsuite name="tampering" tests="3" failures="3"');
    expect(xml).toContain('name="createCounter() &gt; counts from one"');
  });
});

describe("the score and summary tables", () => {
  it("fit in 80 columns and show tampering", () => {
    const score = plain(renderScore(reports[2] as GradeReport));
    expect(score).toContain("Tampered (3):");
    expect(score).toMatch(/total +0\/2 +1\/5 +20% of tests/);
    const summary = plain(renderSummary(reports));
    expect(summary).toMatch(/\.run-grade-tampered-\d+ +0\/2 +1\/5 +20% +3 files/);
    for (const text of [score, summary]) {
      expect(Math.max(...text.split("\n").map((l) => l.length))).toBeLessThanOrEqual(80);
    }
  });
});
