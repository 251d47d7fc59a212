/**
 * The grader's pure parts, fast: which files a grade reads (pristine.ts), the report formats and
 * their schemas (Ajv), the class summary and its fingerprint adapter. Grading itself, in sandboxed
 * processes, and every attack a student might try on it are in grade.e2e.ts.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "./command";
import { commitAll, fixtureCopy, removeCopies, write } from "./fixture-copies";
import { toClassroom, toExercism, toGradescope, toJunit } from "./grading/formats";
import {
  findSubmission,
  isGiven,
  MAX_MODULE_BYTES,
  MAX_MODULES,
  MAX_SUBMISSION_BYTES,
  readPristine,
  studentFiles,
  tampering,
} from "./grading/pristine";
import {
  type GradeReport,
  type GradeStep,
  type GradeTest,
  patternsOf,
  type RawRun,
  scoreOf,
} from "./grading/report";
import { RESULT_PREFIX, resultOf } from "./grading/sandbox";
import {
  classSummaryCsv,
  gradesCsv,
  matchMistakes,
  readFingerprints,
  renderClassSummary,
  summarize,
} from "./grading/summary";
import { printable, renderScore, renderSummary } from "./grading/tables";
import { readSchema, validate } from "./json-schema";
import { loadWorkbook, repoRoot, steps } from "./layout";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "");
const schema = (name: string) => readSchema(join(repoRoot, name));
const gradeSchema = schema("kata/grade.schema.json");

afterAll(removeCopies);

const test = (name: string, status: GradeTest["status"], line = 5): GradeTest => ({
  name,
  file: "exercises/greeter/01-greet/greet.spec.ts",
  line,
  kind: "runtime",
  status,
  message: status === "passed" ? null : "AssertionError: expected 'Hi' to be 'Hello'",
  durationMs: 1.5,
});

const greet = (tests: GradeTest[], compileErrors: GradeStep["compileErrors"] = []): GradeStep => {
  const passed = tests.filter((t) => t.status === "passed").length;
  return {
    id: "greeter/01-greet",
    title: "Greet",
    status:
      compileErrors.length > 0
        ? "does-not-compile"
        : passed === tests.length
          ? "solved"
          : "failing",
    passed,
    total: tests.length,
    compileErrors,
    tests,
  };
};

/** A report with two steps: greet as given, count solved. */
function report(name: string, first: GradeStep, extra: Partial<GradeReport> = {}): GradeReport {
  const count: GradeStep = {
    id: "greeter/02-count",
    title: "Count",
    status: "solved",
    passed: 2,
    total: 2,
    compileErrors: [],
    tests: [
      test("createCounter() > counts from one", "passed"),
      test("createCounter() > gives each counter its own count", "passed", 11),
    ].map((t) => ({ ...t, file: "exercises/greeter/02-count/counter.spec.ts" })),
  };
  const steps = [first, count];
  return {
    version: 2,
    submission: `/class/${name}`,
    name,
    gradedAt: "2026-12-06T23:00:00.000Z",
    specs: { repository: "/teacher", ref: "HEAD", commit: "a".repeat(40) },
    protection: { kind: "bubblewrap", detail: "bubblewrap: …" },
    run: "graded",
    score: {
      stepsSolved: steps.filter((s) => s.status === "solved").length,
      steps: 2,
      testsPassed: steps.reduce((n, s) => n + s.passed, 0),
      tests: steps.reduce((n, s) => n + s.total, 0),
    },
    tampered: [],
    warnings: [],
    errors: [],
    durationMs: 1234,
    patterns: [
      {
        id: "greeter",
        title: "Greeter",
        solved: steps.filter((s) => s.status === "solved").length,
        total: 2,
        steps,
      },
    ],
    ...extra,
  };
}

const solved = report(
  "ada",
  greet([test("greet() > greets by name", "passed"), test("greet() > greets anyone", "passed", 9)]),
);
const rude = report(
  "bob",
  greet([test("greet() > greets by name", "failed"), test("greet() > greets anyone", "failed", 9)]),
  { tampered: [{ file: "exercises/greeter/01-greet/greet.spec.ts", change: "modified" }] },
);
const broken = report(
  "cy",
  greet(
    [test("greet() > greets by name", "passed"), test("greet() > greets anyone", "skipped", 9)],
    [
      {
        file: "exercises/greeter/01-greet/greet.ts",
        line: 2,
        column: 9,
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
    ],
  ),
  { protection: { kind: "none", detail: "no sandbox" } },
);

describe("what a grade reads", () => {
  it("takes the specs, the catalog and the given code at the ref, never an answer key or the tooling", () => {
    const teacher = fixtureCopy("grade-pristine");
    write(teacher, "kata/tool.ts", "export {};\n");
    write(teacher, "patterns/greeter/solutions/key.ts", "export {};\n");
    commitAll(teacher);
    writeFileSync(
      join(teacher, "exercises/greeter/02-count/counter.spec.ts"),
      "// edited after the commit\n",
    );
    const pristine = readPristine(teacher);
    expect([...pristine.files.keys()].sort()).toEqual([
      "exercises/catalog.ts",
      "exercises/greeter/01-greet/greet.spec.ts",
      "exercises/greeter/01-greet/greet.test-d.ts",
      "exercises/greeter/02-count/counter.spec.ts",
    ]);
    expect(pristine.files.get("exercises/greeter/02-count/counter.spec.ts")?.toString()).toContain(
      "counts from one",
    );
    expect([...pristine.given.keys()]).toEqual(["patterns/greeter/README.md"]);
    expect(pristine.fingerprints).toBeUndefined();
    expect(
      ["solutions/a/b.ts", "kata/x.ts", "tsconfig.json", "patterns/x/mistakes/y.ts"].filter(
        isGiven,
      ),
    ).toEqual([]);
  });

  it("takes only the student's modules from a submission, and names every tampered spec", () => {
    const teacher = fixtureCopy("grade-tamper-teacher");
    commitAll(teacher);
    const student = fixtureCopy("grade-tamper-student");
    rmSync(join(student, "exercises/greeter/01-greet/greet.test-d.ts"));
    write(student, "exercises/greeter/02-count/extra.spec.ts", "x\n");
    write(student, "exercises/greeter/02-count/counter.spec.ts", "x\n");
    write(student, "exercises/greeter/02-count/helper.ts", "export {};\n");
    expect(studentFiles(student)).toEqual({
      taken: [
        "exercises/greeter/01-greet/greet.ts",
        "exercises/greeter/02-count/counter.ts",
        "exercises/greeter/02-count/helper.ts",
      ],
      leftOut: [],
    });
    expect(tampering(student, readPristine(teacher))).toEqual([
      { file: "exercises/greeter/01-greet/greet.test-d.ts", change: "deleted" },
      { file: "exercises/greeter/02-count/counter.spec.ts", change: "modified" },
      { file: "exercises/greeter/02-count/extra.spec.ts", change: "added" },
    ]);
  });

  it("follows no link out of a submission: a linked exercises/, module, folder or spec is never read", () => {
    const teacher = fixtureCopy("grade-links-teacher");
    commitAll(teacher);
    const pristine = readPristine(teacher);
    const keys = join(teacher, "solutions");
    const specs = Object.fromEntries(pristine.files);
    // exercises/ itself a link to the teacher's answer keys (same layout as exercises/).
    const whole = fixtureCopy("grade-links-whole");
    rmSync(join(whole, "exercises"), { recursive: true });
    symlinkSync(keys, join(whole, "exercises"));
    expect(studentFiles(whole)).toEqual({ taken: [], leftOut: [] });
    expect(tampering(whole, pristine).map((t) => t.change)).toEqual(
      Object.keys(specs).map(() => "deleted"),
    );
    // A module, a step's folder and a spec, each a link.
    const parts = fixtureCopy("grade-links-parts");
    const greet = join(parts, "exercises/greeter/01-greet");
    rmSync(join(greet, "greet.ts"));
    symlinkSync(join(keys, "greeter/01-greet/greet.ts"), join(greet, "greet.ts"));
    rmSync(join(parts, "exercises/greeter/02-count"), { recursive: true });
    symlinkSync(
      join(teacher, "exercises/greeter/02-count"),
      join(parts, "exercises/greeter/02-count"),
    );
    rmSync(join(greet, "greet.spec.ts"));
    symlinkSync(
      join(teacher, "exercises/greeter/01-greet/greet.spec.ts"),
      join(greet, "greet.spec.ts"),
    );
    expect(studentFiles(parts).taken).toEqual([]);
    expect(tampering(parts, pristine)).toEqual([
      { file: "exercises/greeter/01-greet/greet.spec.ts", change: "modified" },
      { file: "exercises/greeter/02-count/counter.spec.ts", change: "modified" },
    ]);
    // One folder deep counts only if that folder is the submission's own.
    const outer = fixtureCopy("grade-links-outer", "classroom/patterns");
    symlinkSync(teacher, join(outer, "workbook"));
    expect(() => findSubmission(outer)).toThrow(/no exercises\/ folder/);
  });

  it("leaves out a module over 1 MiB, and a spec of another size is modified without being read", () => {
    const teacher = fixtureCopy("grade-size-teacher");
    commitAll(teacher);
    const student = fixtureCopy("grade-size-student");
    write(student, "exercises/greeter/01-greet/greet.ts", `// ${"x".repeat(MAX_MODULE_BYTES)}\n`);
    write(student, "exercises/greeter/02-count/counter.spec.ts", "\n".repeat(5_000_000));
    expect(studentFiles(student)).toEqual({
      taken: ["exercises/greeter/02-count/counter.ts"],
      leftOut: [
        {
          path: "exercises/greeter/01-greet/greet.ts",
          reason: "it is larger than 1 MiB, the most a module may be",
        },
      ],
    });
    expect(tampering(student, readPristine(teacher))).toEqual([
      { file: "exercises/greeter/02-count/counter.spec.ts", change: "modified" },
    ]);
  });

  it("takes modules up to 8 MiB in all, in path order, and names each one left out", () => {
    const student = fixtureCopy("grade-total-student");
    const module = `// ${"x".repeat(MAX_MODULE_BYTES - 4)}\n`; // 1 MiB exactly: allowed alone
    for (let i = 0; i < 9; i++) write(student, `exercises/greeter/02-count/part-${i}.ts`, module);
    const { taken, leftOut } = studentFiles(student);
    const parts = (paths: readonly string[]) => paths.filter((p) => p.includes("part-"));
    // greet.ts and counter.ts come first and are small: the parts fill the rest of the 8 MiB.
    expect(parts(taken)).toEqual(
      Array.from({ length: 7 }, (_, i) => `exercises/greeter/02-count/part-${i}.ts`),
    );
    expect(leftOut).toEqual(
      [7, 8].map((i) => ({
        path: `exercises/greeter/02-count/part-${i}.ts`,
        reason: "the modules before it already make 8 MiB, the most a submission may hold",
      })),
    );
    expect(taken.length + leftOut.length).toBe(11);
    expect(MAX_SUBMISSION_BYTES).toBe(8 * MAX_MODULE_BYTES);
  });

  it("takes at most 1000 modules, however small", () => {
    const student = fixtureCopy("grade-count-student");
    for (let i = 0; i < MAX_MODULES; i++) {
      write(
        student,
        `exercises/greeter/02-count/m${String(i).padStart(4, "0")}.ts`,
        "export {};\n",
      );
    }
    const { taken, leftOut } = studentFiles(student);
    expect(taken).toHaveLength(MAX_MODULES);
    // In path order, the last two of the 1002 are left out.
    expect(leftOut.map((l) => l.path)).toEqual([
      "exercises/greeter/02-count/m0998.ts",
      "exercises/greeter/02-count/m0999.ts",
    ]);
    expect(leftOut[0]?.reason).toBe(
      "the submission already has 1000 modules, the most it may hold",
    );
  });

  it("refuses a ref that is not a commit, naming it", () => {
    const teacher = fixtureCopy("grade-badref");
    commitAll(teacher);
    expect(() => readPristine(teacher, "no-such-tag")).toThrow(
      new UsageError(`"no-such-tag" is not a commit of a git repository at ${teacher}`),
    );
  });
});

describe("findSubmission()", () => {
  const root = join(repoRoot, "kata", "fixtures", `.run-find-${process.pid}`);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("finds the workbook in the folder, or one folder deep", () => {
    mkdirSync(join(root, "alice/exercises"), { recursive: true });
    mkdirSync(join(root, "bob/kata-main/exercises"), { recursive: true });
    mkdirSync(join(root, "bob/__MACOSX"), { recursive: true });
    expect(findSubmission(join(root, "alice"))).toEqual({
      given: join(root, "alice"),
      root: join(root, "alice"),
    });
    expect(findSubmission(join(root, "bob"))).toEqual({
      given: join(root, "bob"),
      root: join(root, "bob/kata-main"),
    });
  });

  it("names a missing, empty, ambiguous or unrelated folder", () => {
    mkdirSync(join(root, "empty"), { recursive: true });
    mkdirSync(join(root, "two/a/exercises"), { recursive: true });
    mkdirSync(join(root, "two/b/exercises"), { recursive: true });
    mkdirSync(join(root, "other/src"), { recursive: true });
    expect(() => findSubmission("subs/nobody")).toThrow(
      new UsageError("subs/nobody: no such folder"),
    );
    expect(() => findSubmission(join(root, "empty"))).toThrow(
      new UsageError(`${join(root, "empty")}: the folder is empty`),
    );
    expect(() => findSubmission(join(root, "two"))).toThrow(/several workbooks inside \(a, b\)/);
    expect(() => findSubmission(join(root, "other"))).toThrow(
      /no exercises\/ folder, neither there nor one folder deep/,
    );
  });
});

describe("patternsOf()", () => {
  it("counts every test of a step's pristine specs when its spec could not load or never ran", async () => {
    const root = join(repoRoot, "kata", "fixtures", "classroom");
    const all = steps(await loadWorkbook(root));
    const [broken, untouched] = all;
    if (!broken || !untouched) throw new Error("the classroom fixture has two steps");
    // A module broken on purpose: its spec fails to load, which reads as one failed test.
    const run: RawRun = {
      outcomes: [
        {
          target: "exercises",
          file: broken.specs[0] ?? "",
          name: "(the spec file could not be loaded)",
          line: undefined,
          kind: "runtime",
          state: "failed",
          messages: ["SyntaxError: Unexpected token"],
          durationMs: 0,
        },
      ],
      errors: [],
      problems: [],
    };
    const expected: Record<string, number> = { [broken.id]: 7, [untouched.id]: 3 };
    const patterns = patternsOf(root, all, run, (id) => expected[id]);
    const byId = new Map(patterns.flatMap((p) => p.steps).map((s) => [s.id, s]));
    expect(byId.get(broken.id)).toMatchObject({ passed: 0, total: 7 });
    expect(byId.get(untouched.id)).toMatchObject({ passed: 0, total: 3 });
    expect(scoreOf(patterns)).toMatchObject({ testsPassed: 0, tests: 10 });
    // Without the pristine counts, the broken step would weigh one test.
    const unknown = patternsOf(root, all, run).flatMap((p) => p.steps);
    expect(unknown.find((s) => s.id === broken.id)?.total).toBe(1);
  });
});

describe("the reports", () => {
  it("match their schemas, checked by Ajv", () => {
    for (const r of [solved, rude, broken]) {
      expect(validate(JSON.parse(JSON.stringify(r)), gradeSchema)).toEqual([]);
      expect(validate(toExercism(r), schema("kata/grading/schemas/exercism.schema.json"))).toEqual(
        [],
      );
      expect(
        validate(toGradescope(r), schema("kata/grading/schemas/gradescope.schema.json")),
      ).toEqual([]);
      expect(
        validate(toClassroom(r), schema("kata/grading/schemas/classroom.schema.json")),
      ).toEqual([]);
    }
  });

  it("are rejected by the schema check when they break it", () => {
    const bad = JSON.parse(JSON.stringify(solved));
    bad.score.tests = -1;
    bad.patterns[0].steps[0].status = "nearly";
    bad.protection.kind = "chroot";
    delete bad.gradedAt;
    expect(validate(bad, gradeSchema)).toEqual(
      expect.arrayContaining([
        '$: missing required property "gradedAt"',
        "$.score.tests: must be >= 0",
        expect.stringContaining('$.patterns[0].steps[0].status: "nearly" is not one of'),
        expect.stringContaining('$.protection.kind: "chroot" is not one of'),
      ]),
    );
    const exercism = { ...toExercism(solved), version: 2 };
    expect(validate(exercism, schema("kata/grading/schemas/exercism.schema.json"))).toEqual([
      "$.version: must be equal to constant",
    ]);
  });

  it("give JUnit exactly grade.json's counts, with compile errors and tampering beside the tests", () => {
    for (const r of [solved, rude, broken]) {
      const xml = toJunit(r);
      const tests = r.patterns.flatMap((p) => p.steps).flatMap((s) => s.tests);
      expect(xml).toContain(
        `<testsuites name="kata: ${r.name}" tests="${r.score.tests}" failures="${tests.filter((t) => t.status === "failed").length}" errors="0" skipped="${tests.filter((t) => t.status === "skipped").length}"`,
      );
      expect(xml.match(/<testcase /g)).toHaveLength(r.score.tests);
    }
    expect(toJunit(broken)).toContain(
      "does not compile:\nexercises/greeter/01-greet/greet.ts:2:9 TS2322",
    );
    expect(toJunit(rude)).toContain(
      "tampered: exercises/greeter/01-greet/greet.spec.ts was modified",
    );
    expect(toJunit(rude)).toContain('name="greet() &gt; greets by name"');
  });

  it("give Exercism a test per test with its step as task_id, and Gradescope a point per solved step", () => {
    const exercism = toExercism(rude, (t) => `it("${t.name}")`);
    expect(exercism.status).toBe("fail");
    expect(exercism.tests.map((t) => [t.task_id, t.status])).toEqual([
      [1, "fail"],
      [1, "fail"],
      [2, "pass"],
      [2, "pass"],
    ]);
    expect(exercism.tests[0]?.test_code).toBe('it("greet() > greets by name")');
    const gradescope = toGradescope(rude);
    expect([gradescope.score, gradescope.max_score]).toEqual([1, 2]);
    expect(gradescope.tests.map((t) => [t.name, t.score, t.max_score])).toEqual([
      ["greeter/01-greet: Greet", 0, 1],
      ["greeter/02-count: Count", 1, 1],
    ]);
    expect(gradescope.output).toContain("tampered: exercises/greeter/01-greet/greet.spec.ts");
    expect(toClassroom(solved)).toMatchObject({ status: "pass", max_score: 2 });
    const timedOut = report("dee", greet([]), { run: "timed-out", errors: ["Killed after 120 s"] });
    expect(toExercism(timedOut)).toMatchObject({ status: "error", message: "Killed after 120 s" });
  });

  it("say in the tables which sandbox ran, and flag a grade without one", () => {
    const summary = plain(renderSummary([solved, rude, broken]));
    expect(summary).toMatch(/ada +2\/2 +4\/4 +100% +bwrap +–/);
    expect(summary).toMatch(/bob +1\/2 +2\/4 +50% +bwrap +tampered 1 file/);
    expect(summary).toMatch(/cy +1\/2 +3\/4 +75% +NONE/);
    expect(plain(renderScore(broken))).toContain("Sandbox: no sandbox");
    for (const text of [summary, plain(renderScore(rude))]) {
      expect(Math.max(...text.split("\n").map((l) => l.length))).toBeLessThanOrEqual(80);
    }
  });
});

describe("the runner's result line", () => {
  // Student code shares the runner's user in the sandbox: it can write on the runner's stdout
  // and read the token from its memory. What it writes must not become the grade.
  const token = "a1".repeat(24);
  const line = (passed: number) =>
    `\n${RESULT_PREFIX} ${token} ${JSON.stringify({
      outcomes: Array.from({ length: passed }, (_, i) => ({ name: `t${i}`, state: "passed" })),
      errors: [],
      problems: [],
      tampering: [],
    })}\n`;
  const exit = (output: string, code: number | null = 0, signal: NodeJS.Signals | null = null) =>
    resultOf({ output, token, code, signal, tooMuch: false, stderr: "" });

  it("is the grade when it is the only one and the runner exited 0", () => {
    const result = exit(`noise${line(1)}`);
    expect(result.end).toBe("graded");
    expect(result.raw?.outcomes).toHaveLength(1);
    // A line with another token is not a result line at all.
    expect(exit(`\n${RESULT_PREFIX} ${"b2".repeat(24)} {}\n${line(1)}`).end).toBe("graded");
  });

  it("is refused beside a second one, written before or after it", () => {
    for (const output of [`${line(9)}${line(1)}`, `${line(1)}${line(9)}`]) {
      expect(exit(output)).toEqual({
        end: "crashed",
        raw: undefined,
        errors: [expect.stringContaining("a second result line")],
      });
    }
  });

  it("is refused when the runner did not exit 0: a forged line, then the runner killed", () => {
    expect(exit(line(9), null, "SIGKILL")).toMatchObject({
      end: "crashed",
      errors: [expect.stringMatching(/^The grading run was killed \(SIGKILL\) before reporting/)],
    });
    expect(exit(line(9), 137).end).toBe("crashed");
    expect(exit(line(9), 3).errors[0]).toMatch(/exited with code 3/);
  });
});

describe("what the grader prints of a submission's own strings", () => {
  // Cursor up, erase the line, carriage return: a crashed run's last words could wipe the
  // "Tampered" lines above them off the teacher's screen; U+202E reverses what follows it.
  const hostile = "\u001b[1A\u001b[2K\rall good\u202eelif";

  it("writes out control characters and direction overrides, in names, files, warnings and errors", () => {
    const rude = report(`eve${hostile}`, greet([]), {
      tampered: [{ file: `exercises/x${hostile}.spec.ts`, change: "added" }],
      warnings: [`w${hostile}`],
      errors: [`e${hostile}`],
    });
    const written = "\\u001b[1A\\u001b[2K\\u000dall good\\u202eelif";
    const score = plain(renderScore(rude));
    const summary = plain(renderSummary([rude]));
    for (const text of [score, summary]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: what must not be printed
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    }
    expect(summary).toContain("eve\\u001b[1A");
    for (const start of ["Grade: eve", "exercises/x", "Warning: w", "e"]) {
      expect(score.replace(/\n +/g, "")).toContain(`${start}${written}`);
    }
    expect(printable("line one\nline two")).toBe("line one\nline two");
  });
});

describe("the class summary", () => {
  // exercises/fingerprints.json as verify writes it (kata/mistakes.ts).
  const file = JSON.stringify({
    steps: {
      "greeter/01-greet": {
        tests: [
          "greet() > greets anyone",
          "greet() > greets by name",
          "the greet type > takes only strings",
        ],
        mistakes: [
          {
            name: "rude",
            hint: "Say hello, not hi.",
            failing: ["greet() > greets anyone", "greet() > greets by name"],
          },
          { name: "only-ada", hint: "Use the name.", failing: ["greet() > greets anyone"] },
        ],
      },
    },
  });

  it("counts who solved each step and whose failures match each catalogued mistake", () => {
    const fingerprints = readFingerprints(file, "exercises/fingerprints.json at HEAD");
    expect(matchMistakes(rude, fingerprints).map((m) => m.name)).toEqual(["rude"]);
    expect(matchMistakes(broken, fingerprints).map((m) => m.name)).toEqual(["only-ada"]);
    const summary = summarize([solved, rude, broken], fingerprints);
    expect(summary.steps).toEqual([
      { id: "greeter/01-greet", title: "Greet", solved: 1 },
      { id: "greeter/02-count", title: "Count", solved: 3 },
    ]);
    expect(summary.mistakes.map((m) => [m.name, m.students])).toEqual([
      ["rude", 1],
      ["only-ada", 1],
    ]);
    const table = plain(renderClassSummary(summary));
    expect(table).toMatch(/greeter\/01-greet +1\/3/);
    expect(table).toMatch(/1 student +greeter\/01-greet rude/);
    expect(classSummaryCsv(summary).split("\n")).toEqual([
      "kind,step,name,students,of,hint",
      "step solved,greeter/01-greet,Greet,1,3,",
      "step solved,greeter/02-count,Count,3,3,",
      'mistake,greeter/01-greet,rude,1,3,"Say hello, not hi."',
      "mistake,greeter/01-greet,only-ada,1,3,Use the name.",
      "",
    ]);
    expect(gradesCsv([rude], fingerprints).split("\n")[1]).toBe(
      "bob,1,2,2,4,1,bubblewrap,graded,greeter/01-greet/rude,/class/bob",
    );
    // A name a spreadsheet would run as a formula, and one with a carriage return.
    const formula = { ...rude, name: '=HYPERLINK("http://x")', submission: "/class/-x\r" };
    expect(gradesCsv([formula], fingerprints).split("\n")[1]).toBe(
      `"'=HYPERLINK(""http://x"")",1,2,2,4,1,bubblewrap,graded,greeter/01-greet/rude,"/class/-x\r"`,
    );
  });

  it("reads the fingerprint file through kata/mistakes.ts, and says when it is absent or not one", () => {
    expect(readFingerprints(file, "f")).toMatchObject({
      found: true,
      mistakes: [
        {
          step: "greeter/01-greet",
          name: "rude",
          hint: "Say hello, not hi.",
          tests: ["greet() > greets anyone", "greet() > greets by name"],
        },
        { step: "greeter/01-greet", name: "only-ada", hint: "Use the name." },
      ],
    });
    // The old ad-hoc shapes (mistakes keyed by name, `tests` or `fails`) are not the format.
    expect(readFingerprints(JSON.stringify({ "greeter/01-greet": {} }), "f")).toEqual({
      found: false,
      why: "f is not a fingerprint file (it has no `steps` object)",
    });
    expect(readFingerprints("{", "f")).toMatchObject({
      found: false,
      why: expect.stringMatching(/^f is not JSON/),
    });
    const none = readFingerprints(undefined, "exercises/fingerprints.json at HEAD");
    expect(gradesCsv([solved], none).split("\n")[1]).toBe(
      "ada,2,2,4,4,0,bubblewrap,graded,(unknown: exercises/fingerprints.json at HEAD is not committed),/class/ada",
    );
    expect(none).toEqual({
      found: false,
      why: "exercises/fingerprints.json at HEAD is not committed",
    });
    expect(plain(renderClassSummary(summarize([solved], none)))).toContain(
      "none matched: exercises/fingerprints.json at HEAD is not committed",
    );
    expect(readFileSync(join(repoRoot, "kata/grade.schema.json"), "utf8")).toContain('"const": 2');
  });
});
