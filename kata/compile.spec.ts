/**
 * The compiler reads nothing outside the workbook, its node_modules and its own libraries.
 * Grading compiles each submission outside the sandbox, with the teacher's rights: a module that
 * imports a file of the teacher's by path must find nothing, or a compile error would quote it.
 * And a module nested too deep for the compiler's stack is a problem of its own, not a crash.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Checker, serve } from "./compile";
import { fixtureCopy, removeCopies, write } from "./fixture-copies";
import { loadWorkbook } from "./layout";

const SECRET = "kata-secret-4711";
const outside = mkdtempSync(join(tmpdir(), "kata-outside-"));
writeFileSync(
  join(outside, "answer.ts"),
  `export type Answer = { readonly secret: "${SECRET}" };\n`,
);
writeFileSync(join(outside, "global.d.ts"), `declare const answerKey: "${SECRET}";\n`);

afterAll(() => {
  removeCopies();
  rmSync(outside, { recursive: true, force: true });
});

/** Compiles `source` as the fixture's greet.ts and returns the problems' messages. */
async function problemsOf(label: string, source: string): Promise<string[]> {
  const root = fixtureCopy(label, "sound");
  // vitest's and the kata's caches make one in a workbook whose dependencies are further up.
  if (label === "caches") mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
  write(root, "exercises/greeter/01-greet/greet.ts", source);
  const workbook = await loadWorkbook(root);
  const module = join(root, "exercises/greeter/01-greet/greet.ts");
  const reply = new Checker(root).check({ workbook, typeSpecs: [], modules: [module] });
  return reply.problems.map((p) => p.message);
}

describe("the compiler's view of the file system", () => {
  it.each([
    ["an absolute import", `import type { Answer } from "${outside}/answer";`],
    [
      "a relative import",
      `import type { Answer } from "${"../".repeat(12)}${outside.slice(1)}/answer";`,
    ],
    [
      "a dynamic import's type",
      `type Answer = typeof import("${outside}/answer") extends { x: infer A } ? A : never;`,
    ],
  ])("finds nothing behind %s of a file outside the workbook", async (_, line) => {
    const messages = await problemsOf(
      `outside-${_.split(" ")[1]}`,
      `${line}\nexport const leak: Answer = { secret: 1 } as never as Answer & number;\nexport const n: number = "" as unknown as Answer;\n`,
    );
    expect(messages.join("\n")).not.toContain(SECRET);
    expect(messages.some((m) => /^TS2307:/.test(m))).toBe(true);
  });

  it("finds nothing behind a triple-slash reference to a file outside the workbook", async () => {
    const messages = await problemsOf(
      "outside-reference",
      `/// <reference path="${outside}/global.d.ts" />\nexport const n: number = answerKey;\n`,
    );
    expect(messages.join("\n")).not.toContain(SECRET);
    expect(messages.some((m) => /^TS6053:/.test(m))).toBe(true);
  });

  it.each([
    ["", "inside"],
    ["with a node_modules of its own holding only caches", "caches"],
  ])(
    "still reads the workbook's own modules and its dependencies' declarations %s",
    async (_, label) => {
      const messages = await problemsOf(
        label,
        `import { EventEmitter } from "node:events";\nexport const e: EventEmitter = new EventEmitter();\nexport function greet(name: string): string {\n  return \`Hello, \${name}!\`;\n}\n`,
      );
      expect(messages).toEqual([]);
    },
  );
});

describe("a module nested deeper than the compiler's stack", () => {
  const SOUND =
    'export function greet(name: string): string {\n  return "Hello, " + name + "!";\n}\n';
  const greetIn = (root: string) => join(root, "exercises/greeter/01-greet/greet.ts");

  it("is a compile problem of its own, and forgotten once the module is fixed", async () => {
    const root = fixtureCopy("deep-brackets", "sound");
    const workbook = await loadWorkbook(root);
    const checker = new Checker(root);
    const check = (source: string) => {
      write(root, "exercises/greeter/01-greet/greet.ts", source);
      return checker.check({ workbook, typeSpecs: [], modules: [greetIn(root)] }).problems;
    };
    expect(
      check(`export const deep = ${"(".repeat(10_000)}1${")".repeat(10_000)};\n${SOUND}`),
    ).toEqual([
      {
        file: greetIn(root),
        line: 1,
        column: 1,
        message: expect.stringMatching(
          /^The compiler could not parse this module: it is nested too deeply \(RangeError: Maximum call stack size exceeded\)/,
        ),
      },
    ]);
    expect(check(SOUND)).toEqual([]);
  });

  it("is named before what its importers' errors follow from it", async () => {
    const root = fixtureCopy("deep-importer", "sound");
    const workbook = await loadWorkbook(root);
    const deepModule = join(root, "exercises/greeter/01-greet/deep.ts");
    write(
      root,
      "exercises/greeter/01-greet/deep.ts",
      `export const deep = ${"[".repeat(10_000)}${"]".repeat(10_000)};\n`,
    );
    write(
      root,
      "exercises/greeter/01-greet/greet.ts",
      `import { deep } from "./deep";\nexport const n = deep;\n${SOUND}`,
    );
    const reply = new Checker(root).check({
      workbook,
      typeSpecs: [],
      modules: [greetIn(root), deepModule],
    });
    expect(reply.problems.map((p) => [p.file, p.message.slice(0, 40)])).toEqual([
      [deepModule, "The compiler could not parse this module"],
      [greetIn(root), expect.stringMatching(/^TS2305: /)],
    ]);
  });

  it("that overflows the checker fails that request only: the next one is checked as usual", async () => {
    const root = fixtureCopy("deep-operators", "sound");
    const workbook = await loadWorkbook(root);
    const request = { workbook, typeSpecs: [], modules: [greetIn(root)] };
    write(
      root,
      "exercises/greeter/01-greet/greet.ts",
      `export const deep = ${Array(100_000).fill("1").join(" + ")};\n${SOUND}`,
    );
    expect(() => serve(request)).toThrow(RangeError);
    write(root, "exercises/greeter/01-greet/greet.ts", `${SOUND}export const n: number = "";\n`);
    expect(serve(request).problems.map((p) => p.message)).toEqual([
      "TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
  });
});
