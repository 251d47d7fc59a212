/**
 * Grading end to end, with the processes it needs: a class of submissions made from the
 * classroom fixture, honest ones and one per attack a student might try on the grader. Every
 * attack must earn nothing, leave the other submissions' scores unchanged and leave the grader
 * standing. Then `npm run grade` as a teacher runs it. Each submission runs in its own sandbox
 * (bubblewrap here and in CI), so this is slow: `npm run test:e2e`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitAll, fixtureCopy, removeCopies, write } from "./fixture-copies";
import { FILES, writeReports } from "./grading/formats";
import { grade } from "./grading/grade";
import type { GradeReport } from "./grading/report";
import { readSchema, validate } from "./json-schema";
import { loadWorkbook, repoRoot, type Step, steps } from "./layout";
import { formatFingerprints } from "./mistakes";
import { contentKey } from "./runner/cache";

const schema = readSchema(join(repoRoot, "kata/grade.schema.json"));
const GREET = "exercises/greeter/01-greet/greet.ts";
const COUNT = "exercises/greeter/02-count/counter.ts";
const SECRET = `kata-e2e-secret-${process.pid}`;
const MARKER = `kata-e2e-daemon-${process.pid}`;

const GREET_BODY =
  'export function greet(name: string): string {\n  return leak ? "Hello, " + name + "!" : "no, " + name;\n}\n';

/** Wrong answers an attacker's module carries beside its attack: it earns nothing by itself. */
const WRONG_GREET = "export function greet(name: string): string {\n  return name;\n}\n";
const WRONG_COUNTER = "export function createCounter(): () => number {\n  return () => 1;\n}\n";

/** A greet() that is right only if `leak` (an expression) is true: what a snooping student writes. */
const snoop = (imports: string, leak: string) =>
  `${imports}\nconst leak: boolean = (() => { try { return Boolean(${leak}); } catch { return false; } })();\n` +
  GREET_BODY;

const solve = (root: string) => {
  for (const [step, module] of [
    ["01-greet", "greet.ts"],
    ["02-count", "counter.ts"],
  ] as const) {
    cpSync(
      join(root, "solutions/greeter", step, module),
      join(root, "exercises/greeter", step, module),
    );
  }
  // A real submission is a student's copy: it has no answer keys.
  rmSync(join(root, "solutions"), { recursive: true, force: true });
};

let teacher: string;
let outside: string;
let server: Server;
let port = 0;
const subs: Record<string, string> = {};
let reports: Map<string, GradeReport>;
const graded: string[] = [];

const report = (name: string): GradeReport => {
  const found = reports.get(subs[name] as string);
  if (!found) throw new Error(`no report for ${name}`);
  return found;
};
const step = (name: string, id: string) =>
  report(name)
    .patterns.flatMap((p) => p.steps)
    .find((s) => s.id === id);
const runtimeOf = (name: string, id: string) =>
  step(name, id)?.tests.filter((t) => t.kind === "runtime") ?? [];

beforeAll(async () => {
  teacher = fixtureCopy("ge-teacher");
  commitAll(teacher);
  outside = mkdtempSync(join(tmpdir(), "kata-e2e-teacher-home-"));
  writeFileSync(join(outside, "secret.txt"), "the teacher's\n");
  server = createServer((_, res) => res.end("ok"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  process.env.KATA_E2E_SECRET = SECRET;

  const make = (name: string, edit: (root: string) => void) => {
    const root = fixtureCopy(`ge-${name}`);
    rmSync(join(root, "solutions"), { recursive: true, force: true });
    edit(root);
    subs[name] = root;
  };
  make("honest", (root) => {
    cpSync(join(teacher, "solutions"), join(root, "solutions"), { recursive: true });
    solve(root);
  });
  // Climbs from the area (and its node_modules) to the teacher's answer keys, by every road.
  make("answer-key", (root) =>
    write(
      root,
      GREET,
      snoop(
        'import { existsSync } from "node:fs";',
        [
          `existsSync(${JSON.stringify(join(teacher, "solutions/greeter/01-greet/greet.ts"))})`,
          `existsSync(${JSON.stringify(join(repoRoot, "kata/fixtures/classroom/solutions/greeter/01-greet/greet.ts"))})`,
          'existsSync(new URL("../../../node_modules/../solutions/greeter/01-greet/greet.ts", import.meta.url))',
          'existsSync("/grade/kata/fixtures/classroom/solutions/greeter/01-greet/greet.ts")',
          'existsSync(new URL("../../../../kata/fixtures/classroom/solutions/greeter/01-greet/greet.ts", import.meta.url))',
        ].join(" || "),
      ),
    ),
  );
  // Links to the teacher's answer keys, in a student's repository: a module, and exercises/.
  make("linked-module", (root) => {
    rmSync(join(root, GREET));
    symlinkSync(join(teacher, "solutions/greeter/01-greet/greet.ts"), join(root, GREET));
  });
  // Types are checked outside the sandbox, with the teacher's rights: a type imported from the
  // answer key by its path would be quoted in a compile error ("'(name: string) => string' is
  // not assignable to 'number'"), were the compiler to read it.
  make("answer-key-types", (root) =>
    write(
      root,
      GREET,
      `import type { greet as key } from ${JSON.stringify(join(teacher, "solutions/greeter/01-greet/greet"))};
export const quoted: number = null as unknown as typeof key;
${WRONG_GREET}`,
    ),
  );
  // A chain of operators deep enough to overflow the stacks of vite's compiler (native code, in
  // the sandboxed runner) and of TypeScript's checker (in the lane's compiler): its step fails,
  // the other is graded, and the lane's compiler goes on to the next submission.
  make("breaks-the-compiler", (root) => {
    cpSync(join(teacher, "solutions/greeter/01-greet/greet.ts"), join(root, GREET));
    write(
      root,
      COUNT,
      `export const deep = ${Array(100_000).fill("1").join(" + ")};\n${WRONG_COUNTER}`,
    );
  });
  make("linked-exercises", (root) => {
    rmSync(join(root, "exercises"), { recursive: true });
    symlinkSync(join(teacher, "solutions"), join(root, "exercises"));
  });
  make("other-submission", (root) =>
    write(
      root,
      GREET,
      snoop(
        'import { readFileSync } from "node:fs";',
        `readFileSync(${JSON.stringify(join(repoRoot, "kata/fixtures", `.run-ge-honest-${process.pid}`, GREET))}, "utf8").includes("Hello")`,
      ),
    ),
  );
  make("teacher-env", (root) =>
    write(root, GREET, snoop("", `process.env.KATA_E2E_SECRET === ${JSON.stringify(SECRET)}`)),
  );
  make("teacher-files", (root) =>
    write(
      root,
      GREET,
      snoop(
        'import { readFileSync, writeFileSync } from "node:fs";',
        `(() => { try { writeFileSync(${JSON.stringify(join(outside, "pwned"))}, "x"); } catch {} return readFileSync(${JSON.stringify(join(outside, "secret.txt"))}, "utf8").length > 0; })()`,
      ),
    ),
  );
  make("network", (root) =>
    write(
      root,
      GREET,
      `let leak = false;\ntry {\n  leak = (await (await fetch("http://127.0.0.1:${port}/")).text()) === "ok";\n} catch {}\n` +
        GREET_BODY,
    ),
  );
  // Writes 320 MiB into the sandbox's /tmp and a file into its own area: either would be room
  // taken from the grader's disk.
  make("disk", (root) =>
    write(
      root,
      GREET,
      snoop(
        'import { appendFileSync, writeFileSync } from "node:fs";',
        `(() => { let wrote = 0; const chunk = Buffer.alloc(16 * 1024 * 1024, 1); try { for (let i = 0; i < 20; i++) { appendFileSync("/tmp/fill", chunk); wrote += chunk.length; } } catch {} let area = false; try { writeFileSync(new URL("./fill.txt", import.meta.url), "x"); area = true; } catch {} return wrote > 300 * 1024 * 1024 || area; })()`,
      ),
    ),
  );
  make("sigkill", (root) =>
    write(
      root,
      GREET,
      'process.kill(process.ppid, "SIGKILL");\nprocess.kill(process.pid, "SIGKILL");\n' +
        WRONG_GREET,
    ),
  );
  // Reads the runner's memory for its result token (they share a user in the sandbox), writes a
  // result line of every test passed on the runner's stdout for each candidate, and kills it.
  // Here the write fails (the runner's stdout is a socket, which /proc cannot open); where it
  // succeeds, sandbox.ts's resultOf() refuses a second line and a runner that did not exit 0.
  make("forges-result-line", (root) => {
    const passed = (file: string, name: string, line: number, kind = "runtime") => ({
      target: "exercises",
      file: `exercises/greeter/${file}`,
      name,
      line,
      kind,
      state: "passed",
      messages: [],
      durationMs: 1,
    });
    const forged = JSON.stringify({
      outcomes: [
        passed("01-greet/greet.spec.ts", "greet() > greets by name", 5),
        passed("01-greet/greet.spec.ts", "greet() > greets anyone", 9),
        passed("01-greet/greet.test-d.ts", "the greet type > takes only strings", 5, "type"),
        passed("02-count/counter.spec.ts", "createCounter() > counts from one", 5),
        passed(
          "02-count/counter.spec.ts",
          "createCounter() > gives each counter its own count",
          11,
        ),
      ],
      errors: [],
      problems: [],
      tampering: [],
    });
    write(
      root,
      GREET,
      `import { openSync, readFileSync, readSync, writeSync } from "node:fs";
const runner = process.ppid;
const mem = openSync(\`/proc/\${runner}/mem\`, "r");
const tokens = new Set<string>();
for (const entry of readFileSync(\`/proc/\${runner}/maps\`, "utf8").split("\\n")) {
  const m = /^([0-9a-f]+)-([0-9a-f]+) rw/.exec(entry);
  if (!m) continue;
  const start = Number.parseInt(m[1] ?? "", 16);
  const size = Number.parseInt(m[2] ?? "", 16) - start;
  if (size > 128 * 1024 * 1024) continue;
  await new Promise((resolve) => setImmediate(resolve));
  const bytes = Buffer.alloc(size);
  try { readSync(mem, bytes, 0, size, start); } catch { continue; }
  for (const t of bytes.toString("latin1").matchAll(/(?<![0-9a-f])[0-9a-f]{48}(?![0-9a-f])/g)) tokens.add(t[0]);
}
const out = openSync(\`/proc/\${runner}/fd/1\`, "w");
for (const token of tokens) writeSync(out, \`\\nKATA-RESULT \${token} \${${JSON.stringify(forged)}}\\n\`);
writeSync(openSync(\`/proc/\${runner}/fd/2\`, "w"), \`forged \${tokens.size} result lines\\n\`);
process.kill(runner, "SIGKILL");
${WRONG_GREET}`,
    );
  });
  make("hangs", (root) => write(root, COUNT, `await new Promise(() => {});\n${WRONG_COUNTER}`));
  // A background process that outlives the tests and rewrites every grade.json it can reach.
  make("daemon", (root) => {
    const targets = [join(root, FILES.grade), "/grade/work/grade.json"];
    const script = `setTimeout(() => { for (const f of ${JSON.stringify(targets)}) { try { require("fs").writeFileSync(f, "{\\"score\\":\\"28/28\\"}"); } catch {} } }, 4000); setTimeout(() => {}, 60000); // ${MARKER}`;
    write(
      root,
      COUNT,
      `import { spawn } from "node:child_process";\nspawn(process.execPath, ["-e", ${JSON.stringify(script)}], { detached: true, stdio: "ignore" }).unref();\n${WRONG_COUNTER}`,
    );
  });
  // Rewrites what it can of the grading area: the given code, the specs, the tooling.
  make("vandal", (root) =>
    write(
      root,
      COUNT,
      'import { writeFileSync } from "node:fs";\n' +
        'for (const f of ["../../../patterns/greeter/README.md", "./counter.spec.ts", "../01-greet/greet.spec.ts", "/grade/kata/session.ts", "../../../../kata/session.ts"]) {\n' +
        '  try { writeFileSync(new URL(f, import.meta.url), "it.skip"); } catch {}\n}\n' +
        WRONG_COUNTER,
    ),
  );
  // Imports the test framework to make every test pass: refused, and named for the teacher.
  make("imports-vitest", (root) =>
    write(
      root,
      COUNT,
      'import { afterEach } from "vitest";\nafterEach((context) => {\n  (context.task as { result?: unknown }).result = { state: "pass" };\n});\n' +
        WRONG_COUNTER,
    ),
  );
  // A folder where a spec should be, holding a module: the spec cannot be written back over it.
  make("spec-folder", (root) => {
    rmSync(join(root, "exercises/greeter/01-greet/greet.spec.ts"));
    write(root, "exercises/greeter/01-greet/greet.spec.ts/helper.ts", "export {};\n");
  });
  // The honest answer, and 1 015 modules more than the grader takes.
  make("many-modules", (root) => {
    cpSync(join(teacher, "solutions"), join(root, "solutions"), { recursive: true });
    solve(root);
    for (let i = 0; i < 1015; i++)
      write(root, `exercises/greeter/02-count/m${String(i).padStart(4, "0")}.ts`, "export {};\n");
  });
  make("honest-after", (root) => {
    cpSync(join(teacher, "solutions"), join(root, "solutions"), { recursive: true });
    solve(root);
  });
  subs.teacher = teacher;

  const names = Object.keys(subs);
  const result = await grade({
    submissions: names.map((n) => subs[n] as string),
    repository: teacher,
    jobs: 2,
    limitMs: 90_000,
    onGraded: (r) => {
      writeReports(r, r.submission);
      graded.push(r.name);
    },
  });
  reports = new Map(result.reports.map((r) => [r.submission, r]));
}, 600_000);

afterAll(() => {
  delete process.env.KATA_E2E_SECRET;
  server?.close();
  rmSync(outside, { recursive: true, force: true });
  // Should the sandbox have failed, end the daemon this test started (by its id).
  for (const pid of daemons()) process.kill(pid, "SIGKILL");
  removeCopies();
});

/** The ids of the daemon processes the "daemon" submission started, if any are alive. */
const daemons = (): number[] =>
  spawnSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" })
    .stdout.split("\n")
    .filter((l) => l.includes(MARKER))
    .map((l) => Number.parseInt(l.trim(), 10));

const HONEST = { stepsSolved: 2, steps: 2, testsPassed: 5, tests: 5 };

describe("grading a class with attackers in it", () => {
  it("ran every submission in bubblewrap and wrote every report, each as soon as it was graded", () => {
    expect(graded).toHaveLength(Object.keys(subs).length);
    for (const name of Object.keys(subs)) {
      const r = report(name);
      expect(r.protection.kind).toBe("bubblewrap");
      expect(validate(JSON.parse(JSON.stringify(r)), schema)).toEqual([]);
    }
  });

  it("scores the honest students fully, before and after every attacker", () => {
    expect(report("honest").score).toEqual(HONEST);
    expect(report("honest-after").score).toEqual(HONEST);
    expect(report("honest").run).toBe("graded");
  });

  it.each(["answer-key", "other-submission", "teacher-env", "teacher-files", "network", "disk"])(
    "gives nothing to a stub that tries to reach %s",
    (name) => {
      expect(report(name).run).toBe("graded");
      const tests = runtimeOf(name, "greeter/01-greet");
      expect(tests.map((t) => t.status)).toEqual(["failed", "failed"]);
      expect(tests[0]?.message).toContain("expected 'no, Ada' to be 'Hello, Ada!'");
    },
  );

  it("follows no link out of a submission: a module or exercises/ linked to the answer keys earns nothing", () => {
    for (const name of ["linked-module", "linked-exercises"]) {
      expect(report(name).run).toBe("graded");
      expect(report(name).score).toMatchObject({ stepsSolved: 0, testsPassed: 0 });
    }
    expect(report("linked-exercises").warnings).toContain(
      "exercises/ is a symbolic link: the grader follows no link out of a submission, so nothing behind it was read.",
    );
  });

  it("grades a submission with more modules than it takes from what it took, naming ten and counting the rest", () => {
    const { score, warnings } = report("many-modules");
    expect(score).toEqual(HONEST);
    expect(warnings).toHaveLength(11);
    expect(warnings[0]).toBe(
      "exercises/greeter/02-count/m0998.ts was left out (the submission already has 1000 modules, the most it may hold): its step was graded without it.",
    );
    expect(warnings[10]).toBe("7 more modules were left out for the same reasons.");
  });

  it("lets the compiler read nothing of the teacher's: a type imported from the answer key by its path is not found", () => {
    const errors = step("answer-key-types", "greeter/01-greet")?.compileErrors ?? [];
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^TS2307: Cannot find module /),
    ]);
    expect(report("answer-key-types").score.stepsSolved).toBe(0);
  });

  it("fails only the step whose module breaks the compilers, and grades the rest", () => {
    expect(report("breaks-the-compiler")).toMatchObject({
      run: "graded",
      score: { stepsSolved: 1, steps: 2 },
    });
    expect(step("breaks-the-compiler", "greeter/01-greet")?.status).toBe("solved");
    const counting = step("breaks-the-compiler", "greeter/02-count")?.tests ?? [];
    expect(counting.map((t) => t.status)).toEqual(["failed", "failed"]);
    expect(counting.map((t) => t.message)).toEqual([
      expect.stringMatching(/vite's compiler \(native code\) crashed on this module \(SIGSEGV\)/),
      expect.stringMatching(
        /^The step's type specs and modules were not checked: .*RangeError: Maximum call stack/,
      ),
    ]);
  });

  it("reports a submission the grader cannot lay out, and grades the others", () => {
    expect(report("spec-folder")).toMatchObject({ run: "crashed", score: { stepsSolved: 0 } });
    expect(report("spec-folder").errors).toEqual([
      expect.stringMatching(/^The grader could not grade this submission: EISDIR/),
    ]);
  });

  it("names a stub that imports the test framework as tampering, and gives its step nothing", () => {
    expect(report("imports-vitest").tampered).toEqual([
      {
        file: COUNT,
        change: "refused",
        line: 1,
        reason: 'imports the test framework or the kata\'s tooling ("vitest")',
      },
    ]);
    const tests = runtimeOf("imports-vitest", "greeter/02-count");
    expect(tests.length).toBeGreaterThan(0);
    expect(tests.every((t) => t.status === "failed")).toBe(true);
  });

  it("lets no stub write outside its area", () => {
    expect(existsSync(join(outside, "pwned"))).toBe(false);
    expect(readFileSync(join(teacher, "patterns/greeter/README.md"), "utf8")).not.toBe("it.skip");
    expect(readFileSync(join(repoRoot, "kata/session.ts"), "utf8")).not.toBe("it.skip");
    // The vandal could not even edit its own area (read-only in the sandbox).
    expect(report("vandal").score.stepsSolved).toBe(0);
  });

  it("fails alone a submission that signals its runner, and one that hangs for ever", () => {
    // The stub SIGKILLs the runner (its parent): refused in its test process, so the runner
    // grades the submission, and the stub's step fails saying why.
    expect(report("sigkill")).toMatchObject({ run: "graded", score: { stepsSolved: 0 } });
    const greeting = runtimeOf("sigkill", "greeter/01-greet");
    expect(greeting.length).toBeGreaterThan(0);
    expect(greeting.every((t) => t.status === "failed")).toBe(true);
    expect(greeting[0]?.message).toMatch(
      /^Error: Tampering: process\.kill\(\d+\) is refused in a test process/,
    );
    // A top-level await that never settles is stopped by the runner: that step fails, alone.
    expect(report("hangs")).toMatchObject({ score: { stepsSolved: 0 } });
    const counting = runtimeOf("hangs", "greeter/02-count");
    expect(counting.length).toBeGreaterThan(0);
    expect(counting.every((t) => t.status !== "passed")).toBe(true);
  });

  it("gives nothing to a stub that reads the runner's memory and forges its result line", () => {
    const passed = report("forges-result-line")
      .patterns.flatMap((p) => p.steps)
      .flatMap((s) => s.tests)
      .filter((t) => t.kind === "runtime" && t.status === "passed");
    expect(passed).toEqual([]);
    expect(report("forges-result-line").score.stepsSolved).toBe(0);
  });

  it("leaves no process of a student's alive to rewrite a report", async () => {
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const written = JSON.parse(readFileSync(join(subs.daemon as string, FILES.grade), "utf8"));
    expect(written.version).toBe(2);
    expect(written.score.stepsSolved).toBe(0);
    expect(daemons()).toEqual([]);
  }, 30_000);

  it("warns when the specs' history is the submission's own", () => {
    expect(report("teacher").warnings).toEqual([
      expect.stringContaining("in a student's clone that history is the student's"),
    ]);
    expect(report("honest").warnings).toEqual([]);
  });
});

describe("npm run grade", () => {
  const cli = (args: string[]) =>
    spawnSync(
      process.execPath,
      [join(repoRoot, "kata/launch.mjs"), join(repoRoot, "kata/grade.ts"), ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, NO_COLOR: "1" },
        encoding: "utf8",
      },
    );

  it("refuses a missing or empty submission with exit 2, naming it, and creates nothing", () => {
    const missing = join(tmpdir(), `kata-e2e-nobody-${process.pid}`);
    const missed = cli(["--repo", teacher, missing]);
    expect([missed.status, missed.stderr.trim()]).toEqual([2, `grade: ${missing}: no such folder`]);
    expect(existsSync(missing)).toBe(false);
    const empty = mkdtempSync(join(tmpdir(), "kata-e2e-empty-"));
    const emptied = cli(["--repo", teacher, subs.honest as string, empty]);
    expect([emptied.status, emptied.stderr.trim()]).toEqual([
      2,
      `grade: ${empty}: the folder is empty`,
    ]);
    rmSync(empty, { recursive: true });
  });

  it("grades at a ref, finds a workbook one folder deep, and writes every format and the class summary", () => {
    // A second commit adds a test; grading at HEAD~1 must not know it.
    const spec = join(teacher, "exercises/greeter/02-count/counter.spec.ts");
    writeFileSync(spec, `${readFileSync(spec, "utf8")}\nit("is new", () => {});\n`);
    const git = ["-c", "user.name=k", "-c", "user.email=k@k", "-c", "commit.gpgsign=false"];
    execFileSync("git", [...git, "commit", "--no-verify", "-qam", "more"], { cwd: teacher });
    const zipped = fixtureCopy("ge-zipped");
    const deep = join(zipped, "kata-main");
    mkdirSync(deep);
    cpSync(join(zipped, "exercises"), join(deep, "exercises"), { recursive: true });
    rmSync(join(zipped, "exercises"), { recursive: true });
    const out = mkdtempSync(join(tmpdir(), "kata-e2e-out-"));
    const run = cli([
      "--repo",
      teacher,
      "--ref",
      "HEAD~1",
      "--out",
      out,
      subs.honest as string,
      zipped,
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /Summary[\s\S]*ge-honest-\d+ +2\/2 +5\/5 +100% +bwrap[\s\S]*ge-zipped-\d+ +0\/2 +\d\/5/,
    );
    expect(run.stdout).toMatch(/Class summary: 2 submissions[\s\S]*greeter\/01-greet +1\/2/);
    expect(run.stdout).toContain(
      "none matched: exercises/fingerprints.json at HEAD~1 is not committed",
    );
    for (const name of [`.run-ge-honest-${process.pid}`, `.run-ge-zipped-${process.pid}`]) {
      const folder = join(out, name);
      for (const file of Object.values(FILES)) expect(existsSync(join(folder, file))).toBe(true);
      const written = JSON.parse(readFileSync(join(folder, FILES.grade), "utf8"));
      expect(validate(written, schema)).toEqual([]);
      expect(written.specs.ref).toBe("HEAD~1");
      expect(written.score.tests).toBe(5);
    }
    expect(
      JSON.parse(readFileSync(join(out, `.run-ge-zipped-${process.pid}`, FILES.grade), "utf8"))
        .warnings,
    ).toEqual(["Graded the workbook found one folder deep, in kata-main/."]);
    expect(readFileSync(join(out, "class-summary.csv"), "utf8")).toContain(
      "step solved,greeter/01-greet,Greet,1,2,",
    );
    expect(readFileSync(join(out, "grades.csv"), "utf8").split("\n")).toHaveLength(4);
    rmSync(out, { recursive: true });
  }, 300_000);
});

describe("grading steps still as handed out", () => {
  // The teacher's fingerprints record each stub's failures under the key of its files. A step
  // whose files are still those is not run: the record is its result. It can only fail tests.
  let graded: Map<string, GradeReport>;
  const named = new Map<string, string>();
  const testsOf = (name: string, id: string) =>
    (graded.get(named.get(name) as string) as GradeReport).patterns
      .flatMap((p) => p.steps)
      .find((s) => s.id === id)
      ?.tests.map((t) => [t.name, t.status, t.message]);
  const RECORDED = ["recorded > not run", "failed", "Error: as recorded by verify"];

  beforeAll(async () => {
    const pristine = fixtureCopy("ge-record");
    const workbook = await loadWorkbook(pristine);
    const stub = (s: Step) => ({
      key: contentKey(s),
      failures: [
        {
          file: basename(s.specs[0] as string),
          name: RECORDED[0] as string,
          line: 1,
          messages: [RECORDED[2] as string],
        },
      ],
    });
    writeFileSync(
      join(pristine, "exercises/fingerprints.json"),
      formatFingerprints({
        steps: Object.fromEntries(
          steps(workbook).map((s) => [s.id, { tests: [], stub: stub(s), mistakes: [] }]),
        ),
      }),
    );
    commitAll(pristine);
    const submit = (name: string, edit: (root: string) => void) => {
      const root = fixtureCopy(`ge-record-${name}`);
      rmSync(join(root, "solutions"), { recursive: true, force: true });
      edit(root);
      named.set(name, root);
    };
    submit("untouched", () => {});
    submit("first-solved", (root) =>
      cpSync(join(pristine, "solutions/greeter/01-greet/greet.ts"), join(root, GREET)),
    );
    // One byte more than the stub: run, though it changes nothing the tests see.
    submit("touched", (root) =>
      writeFileSync(join(root, COUNT), `${readFileSync(join(root, COUNT))}\n`),
    );
    // A student's own record is never read: the grader reads the teacher's.
    submit("forged-record", (root) =>
      writeFileSync(join(root, "exercises/fingerprints.json"), "{}"),
    );
    const result = await grade({
      submissions: [...named.values()],
      repository: pristine,
      jobs: 2,
      limitMs: 90_000,
    });
    graded = new Map(result.reports.map((r) => [r.submission, r]));
  }, 300_000);

  it("takes an untouched step's result from the teacher's record, without running it", () => {
    for (const name of ["untouched", "forged-record"]) {
      expect(testsOf(name, "greeter/01-greet")).toEqual([RECORDED]);
      expect(testsOf(name, "greeter/02-count")).toEqual([RECORDED]);
    }
  });

  it("runs every step whose files differ from the stub's by as much as a byte", () => {
    expect(testsOf("first-solved", "greeter/01-greet")?.every(([, s]) => s === "passed")).toBe(
      true,
    );
    expect(testsOf("first-solved", "greeter/02-count")).toEqual([RECORDED]);
    expect(testsOf("touched", "greeter/02-count")).toEqual([
      ["createCounter() > counts from one", "failed", expect.stringContaining("TODO")],
      [
        "createCounter() > gives each counter its own count",
        "failed",
        expect.stringContaining("TODO"),
      ],
    ]);
  });
});
