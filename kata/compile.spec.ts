/**
 * The compiler reads nothing outside the workbook, its node_modules and its own libraries.
 * Grading compiles each submission outside the sandbox, with the teacher's rights: a module that
 * imports a file of the teacher's by path must find nothing, or a compile error would quote it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Checker } from "./compile";
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
