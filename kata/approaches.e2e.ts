/**
 * Approaches (kata/approaches.ts): the header every approach starts with, the catalog check that
 * validates it, and the check that runs each approach against its step's specs, runtime and
 * type-level, on copies of the sound fixture (whose greeter/01 has one correct approach).
 */
import { afterAll, describe, expect, it } from "vitest";
import { approachTargets, checkApproaches, parseApproach, readApproach } from "./approaches";
import { checkCatalog } from "./contract";
import { fixtureCopy, removeCopies, write } from "./fixture-copies";
import { loadWorkbook, steps } from "./layout";
import { runSpecs } from "./run";

afterAll(removeCopies);

const approaches = "solutions/greeter/01-greet/approaches";

describe("an approach's header", () => {
  it("gives the title and the trade-offs of line comments, and where the code starts", () => {
    const parsed = parseApproach(
      [
        "// Approach: A closure instead of a class",
        "//",
        "// - Gains: nothing to `new`.",
        "// - Costs: no `instanceof`.",
        "",
        "export const make = () => 1;",
        "",
      ].join("\n"),
    );
    expect(parsed).toEqual({
      title: "A closure instead of a class",
      tradeOffs: "- Gains: nothing to `new`.\n- Costs: no `instanceof`.",
      code: "export const make = () => 1;",
      codeLine: 6,
      problems: [],
    });
  });

  it("reads a block comment the same way", () => {
    const parsed = parseApproach(
      "/**\n * Approach: Eager\n *\n * Built at import: simpler, but paid by every importer.\n */\nexport {};\n",
    );
    expect(parsed.title).toBe("Eager");
    expect(parsed.tradeOffs).toBe("Built at import: simpler, but paid by every importer.");
    expect(parsed.codeLine).toBe(6);
    expect(parsed.problems).toEqual([]);
  });

  it("names a missing header, a missing title and missing trade-offs", () => {
    expect(parseApproach("export const x = 1;\n").problems).toEqual([
      'does not start with a comment whose first line is "Approach: <title>"',
    ]);
    expect(parseApproach("// A closure\n// - Gains: less.\nexport {};\n").problems).toEqual([
      'does not start with a comment whose first line is "Approach: <title>"',
    ]);
    expect(parseApproach("// Approach:\n// - Gains: less.\nexport {};\n").problems).toEqual([
      'gives no title after "Approach:"',
    ]);
    expect(parseApproach("// Approach: Closure\nexport {};\n").problems).toEqual([
      "says nothing of its trade-offs after its title",
    ]);
  });

  it("is checked with the catalog, which names the file", async () => {
    const root = fixtureCopy("approach-header", "sound");
    write(root, `${approaches}/untitled.ts`, "export const greet = (name: string) => name;\n");
    const workbook = await loadWorkbook(root);
    const { problems } = checkCatalog(workbook, steps(workbook));
    expect(problems).toEqual([
      `${approaches}/untitled.ts: an approach does not start with a comment whose first line is "Approach: <title>" (see CONTRIBUTING.md, "Approaches")`,
    ]);
  });

  it("is read with its name and its code", async () => {
    const root = fixtureCopy("approach-read", "sound");
    const [approach] = steps(await loadWorkbook(root)).flatMap((s) => s.approaches);
    expect(approach && readApproach(approach)).toMatchObject({
      name: "joined-parts",
      title: "Joined parts instead of a template string",
      code: expect.stringContaining('return ["Hello, ", name, "!"].join("");'),
    });
  });
});

describe("the approaches check", () => {
  it("passes a correct approach and names each that fails a runtime or a type-level test", {
    timeout: 300_000,
  }, async () => {
    const root = fixtureCopy("approach-run", "sound");
    const header = "// Approach: Wrong\n//\n// - Costs: it is wrong.\n\n";
    write(root, `${approaches}/rude.ts`, `${header}export const greet = (n: string) => n;\n`);
    write(
      root,
      `${approaches}/takes-anything.ts`,
      `${header}// biome-ignore lint/suspicious/noExplicitAny: wrong on purpose\nexport const greet = (n: any): string => \`Hello, \${n}!\`;\n`,
    );
    const workbook = await loadWorkbook(root);
    const all = steps(workbook);
    const run = await runSpecs({ workbook, steps: all, targets: approachTargets(all) });
    const result = checkApproaches(workbook, all, run.outcomes);

    expect(result.passed).toBe(1);
    expect(result.problems).toEqual([
      expect.stringMatching(
        /^solutions\/greeter\/01-greet\/approaches\/rude\.ts is not a correct approach: 1 of 2 tests do not pass\n {2}failed: greet\(\) > greets by name/,
      ),
      expect.stringMatching(
        /^solutions\/greeter\/01-greet\/approaches\/takes-anything\.ts is not a correct approach: 1 of 2 tests do not pass\n {2}failed: the greet type > takes only strings/,
      ),
    ]);
    expect(result.summary).toBe("3 approaches (in 1 of 1 step) each pass every test of their step");
  });
});
