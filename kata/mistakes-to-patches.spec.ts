/**
 * `npm run mistakes:to-patches` on a copy of the sound fixture: a whole mistake that is the answer
 * key with an edit becomes a patch with a header; a different design stays whole.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureCopy, removeCopies } from "./fixture-copies";
import { loadWorkbook, steps } from "./layout";
import { applyMistake, parseHeader } from "./mistakes";
import { convertAll, fromKeyFolder, keepKeyComments, mergeIntoKey } from "./mistakes-to-patches";

afterAll(removeCopies);

const dir = "solutions/greeter/01-greet";

describe("convertAll()", () => {
  it("turns an edited copy of the answer key into a patch, its comment into the header", async () => {
    const root = fixtureCopy("to-patches", "sound");
    // A copy of the key that dropped its doc comment and changed one line.
    writeFileSync(
      join(root, dir, "mistakes/shouts.ts"),
      [
        "// Mistake: shouts the greeting. Caught by “greets by name”, as it must be.",
        "// Hint: Greetings are read",
        "// aloud as written.",
        "export function greet(name: string): string {",
        `  return \`HELLO, \${name.toUpperCase()}!\`;`,
        "}",
        "",
      ].join("\n"),
    );
    const workbook = await loadWorkbook(root);
    const done = convertAll(root, steps(workbook));

    expect(done.map((c) => [c.file.split("/").pop(), c.outcome])).toEqual([
      ["rude.ts", "patch"],
      ["shouts.ts", "patch"],
    ]);
    expect(existsSync(join(root, dir, "mistakes/shouts.ts"))).toBe(false);
    const patch = join(root, dir, "mistakes/shouts.patch");
    const text = readFileSync(patch, "utf8");
    expect(parseHeader(text)).toEqual({
      header: {
        mistake: "shouts the greeting.",
        caughtBy: ["greets by name"],
        hint: "Greetings are read aloud as written.",
      },
      problems: [],
    });
    // The key's doc comment stays (the patch does not remove it); only the code changes, with
    // one line of context around it.
    expect(text).not.toContain("-/** Greets");
    expect(text).toContain("@@ -2,3 +2,3 @@\n export function greet(name: string): string {\n");
    expect(text).toContain(`+  return \`HELLO, \${name.toUpperCase()}!\`;`);
    expect(applyMistake(patch, root).text).toContain("name.toUpperCase()");
  });

  it("keeps a whole mistake whose diff would be most of the key, and writes nothing in a dry run", async () => {
    const root = fixtureCopy("to-patches-dry", "sound");
    writeFileSync(
      join(root, dir, "mistakes/lookup-table.ts"),
      [
        '// Mistake: a table of names. Caught by "greets by name".',
        'const table: Record<string, string> = { Ada: "Hi Ada" };',
        "/** Greets. */",
        "export const greet = (name: string): string =>",
        '  table[name] ?? "";',
        "",
      ].join("\n"),
    );
    const workbook = await loadWorkbook(root);
    const done = convertAll(root, steps(workbook), { dryRun: true });
    const table = done.find((c) => c.file.endsWith("lookup-table.ts"));
    expect(table?.outcome).toBe("whole");
    expect(table?.reason).toMatch(/a different design/);
    expect(existsSync(join(root, dir, "mistakes/rude.ts"))).toBe(true);
    expect(existsSync(join(root, dir, "mistakes/rude.patch"))).toBe(false);
  });
});

describe("mergeIntoKey()", () => {
  const key = [
    'import { a } from "./a";',
    "",
    "/** One. */",
    "export const one = 1;",
    "",
    "/** Two. */",
    "export function two() {",
    "  return 2;",
    "}",
    "",
  ].join("\n");

  it("puts the mistake's declarations in place of the key's, and the key's in place of re-exports", () => {
    const mistake = [
      'export { one } from "../key";',
      'import { b } from "./b";',
      "const helper = 3;",
      "export function two() {",
      "  return helper;",
      "}",
      "",
    ].join("\n");
    expect(mergeIntoKey(key, mistake, "key")).toBe(
      [
        'import { a } from "./a";',
        'import { b } from "./b";',
        "",
        "/** One. */",
        "export const one = 1;",
        "",
        "const helper = 3;",
        "",
        "/** Two. */",
        "export function two() {",
        "  return helper;",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("refuses a mistake that uses the key under another name", () => {
    expect(mergeIntoKey(key, 'import { two as Key } from "../key";\n', "key")).toBeUndefined();
  });
});

describe("the helpers", () => {
  it("rewrite a mistake's relative imports as from the key's folder", () => {
    const code = 'import { B } from "../../../patterns/x";\nexport * from "../key";\n';
    expect(fromKeyFolder(code, "/w/solutions/p/01-s", "key")).toBe(
      'import { B } from "../../patterns/x";\nexport * from "../key";\n',
    );
  });

  it("put back the key's comment lines a copy dropped", () => {
    expect(keepKeyComments("// why\nconst a = 1;\n", "const a = 2;\n")).toBe(
      "// why\nconst a = 2;\n",
    );
  });
});
