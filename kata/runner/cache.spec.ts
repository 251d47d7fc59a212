/**
 * The key of a step's files (`contentKey()`), under which verify records an untouched stub's
 * failures and `npm test` caches results: it must change with every byte a step's run reads, stay
 * the same for a change it does not read, and be the same in any copy of the workbook.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureCopy, removeCopies, write } from "../fixture-copies";
import { loadWorkbook, type Step, steps } from "../layout";
import { contentKey } from "./cache";

afterAll(removeCopies);

const stepsOf = async (root: string): Promise<Step[]> => steps(await loadWorkbook(root));
const keysOf = async (root: string) => (await stepsOf(root)).map(contentKey);
const append = (root: string, path: string, text: string) =>
  writeFileSync(join(root, path), `${readFileSync(join(root, path), "utf8")}${text}`);

describe("contentKey()", () => {
  it("is the same in two copies of the workbook at different places", async () => {
    const [a, b] = [fixtureCopy("key-a"), fixtureCopy("key-b")];
    expect(await keysOf(a)).toEqual(await keysOf(b));
    expect(new Set(await keysOf(a)).size).toBe(2);
  });

  it.each([
    ["the student's module", "exercises/greeter/01-greet/greet.ts"],
    ["the spec", "exercises/greeter/01-greet/greet.spec.ts"],
    ["the type-level spec", "exercises/greeter/01-greet/greet.test-d.ts"],
  ])("changes with one byte more in %s, and only for its step", async (_, path) => {
    const root = fixtureCopy("key-byte");
    const [greet, count] = await keysOf(root);
    append(root, path, "\n");
    expect(await keysOf(root)).toEqual([expect.not.stringMatching(greet as string), count]);
  });

  it("changes with a module the step imports from outside its folder", async () => {
    const root = fixtureCopy("key-import");
    write(root, "exercises/greeter/shared.ts", "export const hello = 'Hello';\n");
    append(root, "exercises/greeter/01-greet/greet.ts", 'export { hello } from "../shared";\n');
    const before = await keysOf(root);
    append(root, "exercises/greeter/shared.ts", "// changed\n");
    const after = await keysOf(root);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
  });

  it("ignores the step's Markdown, which no run reads (grading areas leave it out)", async () => {
    const root = fixtureCopy("key-readme");
    const before = await keysOf(root);
    append(root, "exercises/greeter/01-greet/README.md", "\nMore prose.\n");
    expect(await keysOf(root)).toEqual(before);
  });
});
