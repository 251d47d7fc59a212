/**
 * Attacks on the runner, each as a step of a copy of the classroom fixture, run end to end in one
 * session (real child processes): a stub that kills its process, never finishes loading, patches
 * what assertions trust, imports the test framework (or fast-check) or reaches its internals to
 * rewrite results, silences stdout or floods it, or reaches the runner's own process through vite
 * (a device, a scan of the disk, a source map), Node's internals (a data: URL, a computed name) or
 * the test framework's channel (a forged "done"). Each must earn nothing, fail only its own step
 * with a plain reason, and leave the runner standing: the honest step after them passes and the
 * untouched one still fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureCopy, greeterSteps, removeCopies } from "../fixture-copies";
import { loadWorkbook, steps } from "../layout";
import type { TestOutcome } from "../outcome";
import { Session, type StepsRun } from "../session";

const honest =
  "export function createCounter(): () => number {\n  let count = 0;\n  return () => ++count;\n}\n";
const todo =
  'export function createCounter(): () => number {\n  throw new Error("TODO(greeter/02)");\n}\n';

const attacks: Record<string, string> = {
  // A message on the test framework's own channel saying the task is done: in a shared
  // process, the files after it (every other one here) would have been lost.
  "00-forged-finish": `process.send?.({ [["__vitest", "worker", "response__"].join("_")]: true, type: "testfileFinished" });\n${todo}`,
  "02-sigkill": `process.kill(process.pid, "SIGKILL");\n${honest}`,
  "03-kill-in-test":
    "export function createCounter(): () => number {\n  process.kill(process.pid);\n  return () => 1;\n}\n",
  "04-await-forever": `await new Promise(() => {});\n${honest}`,
  "05-then": `Object.defineProperty(Object.prototype, "then", { value(resolve: (v: unknown) => void) { resolve(1); } });\n${todo}`,
  "06-object-is": `Object.is = () => true;\n${todo}`,
  "07-after-each": `import { afterEach } from "vitest";\nafterEach((context) => {\n  (context.task as { result?: unknown }).result = { state: "pass" };\n});\n${todo}`,
  "08-computed-import": `const name = ["vit", "est"].join("");\nconst { afterEach } = await import(name);\nafterEach(() => {});\n${todo}`,
  "09-chai": `const key = Symbol.for(["expect", "global"].join("-"));\nconst expect = (globalThis as Record<symbol, (v: unknown) => object>)[key];\nif (expect) Object.getPrototypeOf(expect(0)).toEqual = function () { return this; };\n${todo}`,
  "10-stdout": `process.stdout.write = () => true;\nconsole.log = () => {};\n${todo}`,
  "11-rewrite": `const state = (globalThis as unknown as Record<string, { current?: Rewritable }>)[
  ["__vitest", "worker__"].join("_")
];
interface Rewritable {
  result?: { state: string; errors?: unknown[] };
  onFinished?: (() => void)[];
}
${todo.replace("{\n", '{\n  const test = state?.current;\n  if (test) {\n    test.onFinished ??= [];\n    test.onFinished.push(() => {\n      if (test.result) test.result = { state: "pass" };\n    });\n  }\n')}`,
  "12-untouched": todo,
  "13-honest": honest,
  // fast-check's global settings reach every property test of the process: `numRuns: 0`-like
  // weakening, a plugin that swallows counterexamples.
  "14-fast-check": `import { configureGlobal } from "fast-check";\nconfigureGlobal({ numRuns: 1 });\n${todo}`,
  // Nested deeper than the native code of vite's compiler (oxc) can hold on its stack: it would
  // kill the runner's own process (SIGSEGV). Brackets overflow TypeScript's parser as well, a
  // chain of operators its checker.
  "15-deep-brackets": `export const deep = ${"(".repeat(10_000)}1${")".repeat(10_000)};\n${honest}`,
  "16-deep-operators": `export const deep = ${Array(100_000).fill("1").join(" + ")};\n${honest}`,
  // What the runner's own process would read for ever, or scan: a device, and the whole disk.
  "17-dev-zero": `import "/dev/zero";\n${honest}`,
  "18-glob": `export const all = Object.keys(import.meta.glob("../../../../../../../../../**/*"));\n${honest}`,
  // vite reads the map a module's comment names when it loads the module: /dev/zero, for ever.
  "19-source-map": `//# sourceMappingURL=/dev/zero\n${honest}`,
  // Node loads a data: URL itself, past vite and the guard; a data: module may import anything.
  "22-data-url": `// @ts-ignore\nawait import("data:text/javascript,export {}");\n${honest}`,
  // Node's internals by a name no check of the source can see.
  "23-builtin-by-name": `(process as unknown as Record<string, (id: string) => unknown>)["getBuiltin" + "Module"]("node:inspector");\n${honest}`,
  "24-binding-by-name": `(process as unknown as Record<string, (id: string) => unknown>)["bin" + "ding"]("fs");\n${honest}`,
  // A signal to the runner itself: it would end the run, board and all.
  "28-kills-runner": `process.kill(process.ppid, "SIGKILL");\n${honest}`,
  // Memory hoarded at the top level: buffers (outside V8's heap limit), then arrays.
  "26-hoards-buffers": `const hoard: Buffer[] = [];\nfor (let i = 0; i < 30; i++) hoard.push(Buffer.allocUnsafe(100_000_000));\n${honest}`,
  "27-hoards-arrays": `const hoard: number[][] = [];\nfor (let i = 0; i < 3_000; i++) {\n  hoard.push(new Array(1_000_000).fill(i));\n  if (i % 10 === 0) await new Promise((done) => setImmediate(done));\n}\n${honest}`,
  // Output the runner keeps a little of: a million lines in one call, and a line of a megabyte.
  "21-floods-output": `console.log("x\\n".repeat(1_000_000));\nconsole.log("y".repeat(1_000_000));\n${honest}`,
};

/**
 * Runs every step of a copy of the classroom fixture whose greeter steps are "01-greet" and
 * the keys of `counters` (each a copy of "02-count" with that counter.ts).
 */
async function runSteps(name: string, counters: Record<string, string>, isolate: boolean) {
  const root = fixtureCopy(name);
  greeterSteps(root, counters);
  const workbook = await loadWorkbook(root);
  const session = await Session.open({ workbook, hangLimitMs: 1_000, cache: false, isolate });
  try {
    return await session.run(steps(workbook));
  } finally {
    await session.close();
  }
}

let run: StepsRun;
const of = (dir: string): TestOutcome[] => run.outcomes.filter((o) => o.file.includes(`/${dir}/`));
const passed = (dir: string) => of(dir).filter((o) => o.state === "passed").length;

describe.each([
  ["a process per spec file (grading)", true],
  ["processes shared by the steps of a run (npm test)", false],
])("with %s", (_, isolate) => {
  beforeAll(async () => {
    run = await runSteps(isolate ? "attacks-isolated" : "attacks-shared", attacks, isolate);
  }, 180_000);

  describe("an attack on the runner", () => {
    it.each(
      Object.keys(attacks).filter(
        (d) => !["12-untouched", "13-honest", "21-floods-output"].includes(d),
      ),
    )("%s earns no passing test", (dir) => {
      expect(of(dir).length).toBeGreaterThan(0);
      expect(passed(dir)).toBe(0);
    });

    it("a kill, even SIGKILL, fails its step with a plain reason", () => {
      expect(of("02-sigkill")[0]?.messages[0]).toMatch(/process ended while loading/);
      expect(of("03-kill-in-test").map((o) => o.messages[0])).toEqual([
        expect.stringMatching(/^The test process ended before this test finished/),
        expect.stringMatching(/^The test process ended before this test finished/),
      ]);
    });

    it("a signal to the runner is refused, and fails only its own step", () => {
      expect(of("28-kills-runner")[0]?.messages[0]).toMatch(
        /^Error: Tampering: process\.kill\(\d+\) is refused in a test process \(it reaches into the runner\)\.$/,
      );
    });

    it("a top-level await that never settles is stopped", () => {
      expect(of("04-await-forever")[0]?.messages[0]).toMatch(/did not finish within \d+ s/);
    });

    it("patching Object.prototype or Object.is fails at once instead of hanging or passing", () => {
      expect(of("05-then")[0]?.messages[0]).toMatch(/TypeError: Cannot (define|add) property then/);
      expect(of("06-object-is")[0]?.messages[0]).toMatch(/TypeError: Cannot assign to read only/);
    });

    it("importing the test framework (even by a computed name), a device, a scan of the disk or a source map is tampering and is not run", () => {
      const tampering = run.tampering.map((t) => [t.file.split("/").at(-2), t.line, t.reason]);
      expect(tampering).toEqual([
        ["07-after-each", 1, 'imports the test framework or the kata\'s tooling ("vitest")'],
        ["08-computed-import", 2, "computes the name of a module it loads at run time"],
        ["14-fast-check", 1, 'imports the test framework or the kata\'s tooling ("fast-check")'],
        ["17-dev-zero", 1, "imports a file outside the workbook (/dev/zero)"],
        [
          "18-glob",
          1,
          "reaches for import.meta.glob (vite's scan of the disk, in the runner's own process)",
        ],
        [
          "19-source-map",
          1,
          "reaches for a source map comment (vite would read the map it names, in the runner's own process)",
        ],
        ["22-data-url", 2, "imports a data: URL, which Node would load past the runner's checks"],
      ]);
      for (const dir of [
        "07-after-each",
        "08-computed-import",
        "14-fast-check",
        "17-dev-zero",
        "18-glob",
        "19-source-map",
        "22-data-url",
      ]) {
        expect(of(dir)).toEqual([
          expect.objectContaining({
            state: "failed",
            messages: expect.arrayContaining([
              expect.stringMatching(/^Tampering: counter\.ts:\d /),
            ]),
          }),
        ]);
      }
    });

    it("patching the assertion library through a global fails, and leaks into no other step", () => {
      expect(of("09-chai")[0]?.messages[0]).toMatch(/TypeError: Cannot assign to read only/);
      expect(of("12-untouched").map((o) => o.messages[0])).toEqual([
        "Error: TODO(greeter/02)",
        "Error: TODO(greeter/02)",
      ]);
    });

    it("rewriting a result the framework reports is caught by the witness, as tampering", () => {
      expect(of("11-rewrite").map((o) => o.messages[0])).toEqual([
        expect.stringMatching(/^Tampering: this test failed when it ran \(Error: TODO/),
        expect.stringMatching(/^Tampering: this test failed when it ran \(Error: TODO/),
      ]);
    });

    it("a module nested too deep for a compiler fails its step, saying so", () => {
      const transformer = /vite's compiler \(native code\) crashed on this module \(SIGSEGV\)/;
      for (const dir of ["15-deep-brackets", "16-deep-operators"]) {
        expect(of(dir)).toContainEqual(
          expect.objectContaining({
            name: "(the spec file could not be loaded)",
            messages: [expect.stringMatching(transformer)],
          }),
        );
      }
      const deep = run.problems.filter((p) => p.file.includes("-deep-"));
      expect(deep.map((p) => [p.file.split("/").at(-2), p.line, p.message])).toEqual([
        [
          "15-deep-brackets",
          1,
          expect.stringMatching(
            /^The compiler could not parse this module: it is nested too deeply/,
          ),
        ],
      ]);
      expect(of("16-deep-operators")).toContainEqual(
        expect.objectContaining({
          name: "(the step's types could not be checked)",
          messages: [
            expect.stringMatching(
              /^The step's type specs and modules were not checked: .*RangeError: Maximum call stack/,
            ),
          ],
        }),
      );
    });

    it("a message forged on the test framework's channel fails its own step, and no other", () => {
      expect(of("00-forged-finish").map((o) => o.state)).toContain("failed");
      expect(of("12-untouched").map((o) => o.messages[0])).toEqual([
        "Error: TODO(greeter/02)",
        "Error: TODO(greeter/02)",
      ]);
      for (const dir of ["01-greet", ...Object.keys(attacks)]) expect(of(dir)).not.toEqual([]);
    });

    it("Node's internals reached by a computed name are refused in the test process", () => {
      expect(of("23-builtin-by-name")[0]?.messages[0]).toBe(
        'Error: Tampering: process.getBuiltinModule("node:inspector") is refused in a test process (it reaches into the runner).',
      );
      expect(of("24-binding-by-name")[0]?.messages[0]).toBe(
        "Error: Tampering: process.binding() is refused in a test process (it reaches into the runner).",
      );
    });

    it("memory hoarded beyond a test process's limit fails its step", () => {
      expect(of("26-hoards-buffers")[0]?.messages[0]).toBe(
        "RangeError: Array buffer allocation failed",
      );
      expect(of("27-hoards-arrays")[0]?.messages[0]).toMatch(
        /^The test process ended while loading this spec \(a crash, running out of memory/,
      );
    });

    it("output flooded by a test is kept short, line by line, and fails nothing", () => {
      expect(of("21-floods-output").map((o) => o.state)).toEqual(["passed", "passed"]);
      const [file] = of("21-floods-output").map((o) => o.file);
      const logs = [...run.logs].find(([spec]) => spec.endsWith(file ?? "?"))?.[1] ?? [];
      expect(logs.length).toBeGreaterThan(100);
      expect(logs.length).toBeLessThanOrEqual(200);
      expect(logs.slice(-4, -1)).toEqual(["x", "x", ""]); // console.log adds its own newline
      expect(logs.at(-1)).toMatch(/^y{1000}… \(999000 more characters\)$/);
    });

    it("leaves the runner standing: the honest step passes, and nothing escaped the tests", () => {
      expect(of("13-honest").map((o) => o.state)).toEqual(["passed", "passed"]);
      expect(run.errors).toEqual([]);
    });
  });
});

afterAll(removeCopies);

describe("a module only the compiler finds tampering, in a process shared with other steps", () => {
  // A computed import: it has run by the time the compiler's verdict comes. Here it drops every
  // verdict the witness of its process writes, so that the steps after it would all fail.
  const dropsVerdicts = `const [fs, module] = await Promise.all(
  ["fs", "module"].map(async (m) => (await import(["node", m].join(":"))).default),
);
const write = fs.writeSync;
fs.writeSync = (fd: number, text: unknown, ...rest: unknown[]) =>
  fd === 4 && String(text).includes('"verdict"') ? String(text).length : write(fd, text, ...rest);
module.syncBuiltinESMExports();
${honest}`;

  beforeAll(async () => {
    run = await runSteps(
      "attacks-beside",
      { "02-drops-verdicts": dropsVerdicts, "03-honest": honest },
      false,
    );
  }, 180_000);

  it("is refused, and the other steps run again, each alone, unharmed", () => {
    expect(run.tampering.map((t) => [t.file.split("/").at(-2), t.reason])).toEqual([
      ["02-drops-verdicts", "computes the name of a module it loads at run time"],
    ]);
    expect(passed("02-drops-verdicts")).toBe(0);
    expect(of("03-honest").map((o) => o.state)).toEqual(["passed", "passed"]);
  });
});
