/**
 * What a student's module may import: the guard's rule, as the compiler checks it (specifier
 * only) and as the runner checks it (where the import resolved to).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { Workbook } from "../layout";
import { importTampering } from "./guard";

const root = mkdtempSync(join(tmpdir(), "kata-guard-"));
const workbook: Workbook = {
  root,
  exercisesDir: join(root, "exercises"),
  solutionsDir: join(root, "solutions"),
  patternsDir: join(root, "patterns"),
  catalog: [],
};
const importer = join(root, "exercises/greeter/01-greet/greet.ts");
mkdirSync(join(root, "exercises/greeter/01-greet"), { recursive: true });
writeFileSync(join(root, "exercises/greeter/01-greet/helper.ts"), "export {};\n");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a student's import", () => {
  it.each([
    ["a sibling module", "./helper", undefined],
    ["a sibling module, resolved", "./helper", join(root, "exercises/greeter/01-greet/helper.ts")],
    ["the lesson's reference", "../../../patterns/observer/subject", undefined],
    ["a Node module", "node:events", undefined],
    ["a package", "rxjs", undefined],
    ["a package installed above the workbook", "rxjs", "/elsewhere/node_modules/rxjs/index.js"],
  ])("of %s is allowed", (_, specifier, resolved) => {
    expect(importTampering(workbook, importer, specifier, resolved)).toBeUndefined();
  });

  it.each([
    ["an absolute path", "/dev/zero", undefined],
    ["a file: URL", pathToFileURL("/etc/hostname").href, undefined],
    ["a relative path out of the workbook", "../../../../../../../../dev/stdin", undefined],
    ["a bare name resolved out of it", "zero", "/dev/zero"],
  ])("of a file outside the workbook, by %s, is refused", (_, specifier, resolved) => {
    expect(importTampering(workbook, importer, specifier, resolved)).toMatch(
      /^imports a file outside the workbook \(/,
    );
  });

  it.each([
    ["the kata's tooling", "../../../kata/layout", /^imports the kata's tooling/],
    ["an answer key", "../../../solutions/greeter/01-greet/greet", /^imports an answer key/],
    ["the test framework", "vitest", /^imports the test framework/],
  ])("of %s is refused", (_, specifier, reason) => {
    expect(importTampering(workbook, importer, specifier)).toMatch(reason);
  });
});
