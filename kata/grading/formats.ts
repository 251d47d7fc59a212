/**
 * One graded submission in every format a classroom reads, all made from its grade.json:
 *
 * | file                | for                         | schema                                       |
 * | ------------------- | --------------------------- | -------------------------------------------- |
 * | `grade.json`        | this workbook               | kata/grade.schema.json                       |
 * | `junit.xml`         | CI servers, most LMSs       | counts agree with grade.json                 |
 * | `results.json`      | Exercism (version 3)        | kata/grading/schemas/exercism.schema.json    |
 * | `gradescope.json`   | Gradescope's results.json   | kata/grading/schemas/gradescope.schema.json  |
 * | `classroom.json`    | GitHub Classroom's reporter | kata/grading/schemas/classroom.schema.json   |
 *
 * Gradescope wants its file named `results.json` in `/autograder/results/`: `npm run grade --
 * --gradescope <file>` writes it there too (docs/classroom.md).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GradeReport, GradeStep, GradeTest } from "./report";
import { stepsOf } from "./report";

export const FILES = {
  grade: "grade.json",
  junit: "junit.xml",
  exercism: "results.json",
  gradescope: "gradescope.json",
  classroom: "classroom.json",
} as const;

const xml = (text: string): string =>
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** What a report says outside its tests: protection, tampering, errors and warnings. */
function notes(report: GradeReport): string[] {
  return [
    `protection: ${report.protection.detail}`,
    ...(report.run === "graded" ? [] : [`run: ${report.run}`]),
    ...report.tampered.map((t) =>
      t.change === "refused"
        ? `tampered: ${t.file}:${t.line ?? 1} ${t.reason ?? "was refused"}; its tests failed`
        : `tampered: ${t.file} was ${t.change}; the committed spec was run instead`,
    ),
    ...report.warnings.map((w) => `warning: ${w}`),
    ...report.errors.map((e) => `error: ${e}`),
  ];
}

const compileText = (step: GradeStep): string =>
  step.compileErrors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`).join("\n");

/**
 * The report as JUnit XML: a testsuite per step with exactly the report's tests, so that its
 * counts are grade.json's. Compile errors go in the step's `system-err`; tampering, errors and the
 * protection in the `system-err` of a last suite, "grading", which has no tests.
 */
export function toJunit(report: GradeReport): string {
  const suites: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const step of stepsOf(report)) {
    const cases = step.tests.map((test) => {
      const head =
        `    <testcase classname="${xml(step.id)}" name="${xml(test.name)}" file="${xml(test.file)}"` +
        `${test.line ? ` line="${test.line}"` : ""} time="${seconds(test.durationMs)}"`;
      if (test.status === "passed") return `${head}/>`;
      const message = test.message ?? "";
      if (test.status === "skipped") {
        return `${head}>\n      <skipped message="${xml(message)}"/>\n    </testcase>`;
      }
      return `${head}>\n      <failure message="${xml(message.split("\n")[0] ?? "")}">${xml(message)}</failure>\n    </testcase>`;
    });
    const stepFailures = step.tests.filter((t) => t.status === "failed").length;
    const stepSkipped = step.tests.filter((t) => t.status === "skipped").length;
    failures += stepFailures;
    skipped += stepSkipped;
    const time = step.tests.reduce((n, t) => n + t.durationMs, 0);
    const err =
      step.compileErrors.length > 0
        ? [`    <system-err>${xml(`does not compile:\n${compileText(step)}`)}</system-err>`]
        : [];
    suites.push(
      [
        `  <testsuite name="${xml(step.id)}" tests="${step.tests.length}" failures="${stepFailures}" errors="0" skipped="${stepSkipped}" time="${seconds(time)}">`,
        `    <properties><property name="status" value="${step.status}"/></properties>`,
        ...cases,
        ...err,
        "  </testsuite>",
      ].join("\n"),
    );
  }
  suites.push(
    [
      '  <testsuite name="grading" tests="0" failures="0" errors="0" skipped="0" time="0.000">',
      "    <properties>",
      `      <property name="protection" value="${report.protection.kind}"/>`,
      `      <property name="run" value="${report.run}"/>`,
      `      <property name="specs" value="${xml(`${report.specs.ref} ${report.specs.commit}`)}"/>`,
      `      <property name="tampered" value="${report.tampered.length}"/>`,
      "    </properties>",
      `    <system-err>${xml(notes(report).join("\n"))}</system-err>`,
      "  </testsuite>",
    ].join("\n"),
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${xml(`kata: ${report.name}`)}" tests="${report.score.tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.durationMs)}">\n` +
    `${suites.join("\n")}\n</testsuites>\n`
  );
}

/** The `it(…)` block a test came from, read from the pristine spec (best effort). */
export type TestCode = (test: GradeTest) => string;

/** A test's source from the spec files in `root` (the grading area), or its name. */
export function testCodeFrom(root: string): TestCode {
  const cache = new Map<string, string[]>();
  return (test) => {
    const line = test.line;
    if (!line) return test.name;
    let lines = cache.get(test.file);
    if (!lines) {
      try {
        lines = readFileSync(join(root, test.file), "utf8").split("\n");
      } catch {
        lines = [];
      }
      cache.set(test.file, lines);
    }
    const first = lines[line - 1];
    if (first === undefined) return test.name;
    const indent = /^\s*/.exec(first)?.[0] ?? "";
    const end = lines.findIndex((l, i) => i >= line && l.startsWith(`${indent}})`));
    return lines.slice(line - 1, end < 0 ? line : end + 1).join("\n");
  };
}

type Status = "pass" | "fail" | "error";

/** Exercism's results.json, version 3: a test per test, the step's place in the catalog as task_id. */
export function toExercism(report: GradeReport, code: TestCode = (t) => t.name) {
  const tests = stepsOf(report).flatMap((step, index) =>
    step.tests.map((test) => ({
      name: `${step.id} › ${test.name}`,
      status: (test.status === "passed"
        ? "pass"
        : test.status === "skipped"
          ? "error"
          : "fail") as Status,
      message: test.status === "passed" ? null : (test.message ?? "not run"),
      output: null,
      test_code: code(test),
      task_id: index + 1,
    })),
  );
  const broken = report.run !== "graded" || report.errors.length > 0;
  const status: Status =
    report.run !== "graded"
      ? "error"
      : tests.every((t) => t.status === "pass") && !broken
        ? "pass"
        : "fail";
  return {
    version: 3 as const,
    status,
    ...(status === "error" ? { message: report.errors.join("\n") || report.run } : {}),
    tests,
  };
}

const stepOutput = (step: GradeStep): string => {
  const failed = step.tests.filter((t) => t.status !== "passed");
  return [
    `${step.passed}/${step.total} tests pass${step.status === "does-not-compile" ? "; it does not compile" : ""}.`,
    ...step.compileErrors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`),
    ...failed.map((t) => `✗ ${t.name}\n  ${(t.message ?? "not run").split("\n")[0]}`),
  ].join("\n");
};

/** Gradescope's results.json: a point per step, earned when the step is solved. */
export function toGradescope(report: GradeReport) {
  return {
    score: report.score.stepsSolved,
    max_score: report.score.steps,
    execution_time: Math.round(report.durationMs / 1000),
    output: notes(report).join("\n"),
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: stepsOf(report).map((step, index) => ({
      name: `${step.id}: ${step.title}`,
      number: String(index + 1),
      score: step.status === "solved" ? 1 : 0,
      max_score: 1,
      status: step.status === "solved" ? "passed" : "failed",
      output: stepOutput(step),
      visibility: "visible",
    })),
  };
}

/**
 * GitHub Classroom's runner result, as its autograding reporter reads it (base64 in the
 * `<ID>_RESULTS` variable; see kata/classroom/workflow.yml): a point per solved step.
 */
export function toClassroom(report: GradeReport) {
  return {
    version: 1 as const,
    status: (report.run !== "graded"
      ? "error"
      : report.score.stepsSolved === report.score.steps
        ? "pass"
        : "fail") as Status,
    max_score: report.score.steps,
    tests: stepsOf(report).map((step) => ({
      name: `${step.id}: ${step.title}`,
      status: (step.status === "solved" ? "pass" : "fail") as Status,
      score: step.status === "solved" ? 1 : 0,
      message: stepOutput(step),
      test_code: `npm test -- ${step.id}`,
      filename: step.tests[0]?.file ?? "",
      line_no: 0,
      execution_time: `${(step.tests.reduce((n, t) => n + t.durationMs, 0) / 1000).toFixed(2)}s`,
    })),
  };
}

/** Writes `text` to `file` whole or not at all: a crash mid-write leaves the old file or none. */
function writeWhole(file: string, text: string): void {
  // A fresh name, created exclusively: a link planted in a submission's folder is never followed.
  const part = `${file}.${randomBytes(6).toString("hex")}.part`;
  writeFileSync(part, text, { flag: "wx" });
  renameSync(part, file);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Writes every format of `report` into `folder`. */
export function writeReports(report: GradeReport, folder: string, code?: TestCode): void {
  mkdirSync(folder, { recursive: true });
  writeWhole(join(folder, FILES.junit), toJunit(report));
  writeWhole(join(folder, FILES.exercism), json(toExercism(report, code)));
  writeWhole(join(folder, FILES.gradescope), json(toGradescope(report)));
  writeWhole(join(folder, FILES.classroom), json(toClassroom(report)));
  // Last: its presence says the others are there.
  writeWhole(join(folder, FILES.grade), json(report));
}
