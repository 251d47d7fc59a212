/**
 * What a student's module may import: the guard's rule, as the compiler checks it (specifier
 * only) and as the runner checks it (where the import resolved to); and the source map comments
 * the runner refuses to follow.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { Workbook } from "../layout";
import { guardPlugin, importTampering } from "./guard";

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
    ["a data: URL", 'data:text/javascript,export * from "node:inspector"', /^imports a data: URL/],
    ["an https: URL", "https://example.com/mod.js", /^imports a https: URL/],
    ["the kata's tooling", "../../../kata/layout", /^imports the kata's tooling/],
    ["an answer key", "../../../solutions/greeter/01-greet/greet", /^imports an answer key/],
    ["the test framework", "vitest", /^imports the test framework/],
  ])("of %s is refused", (_, specifier, reason) => {
    expect(importTampering(workbook, importer, specifier)).toMatch(reason);
  });
});

describe("a student's module with a source map comment", () => {
  const load = (name: string, text: string): unknown => {
    const file = join(root, "exercises/greeter/01-greet", name);
    writeFileSync(file, text);
    const hook = guardPlugin(workbook).load as (id: string) => unknown;
    return hook(file);
  };
  const inline = Buffer.from('{"version":3,"sources":[1],"mappings":"AAAA"}').toString("base64");

  it.each([
    ["a device", "//# sourceMappingURL=/dev/zero"],
    ["a file outside the workbook", "//@ sourceMappingURL=../../../../../../etc/hostname"],
    [
      "an inline map vite cannot read",
      `//# sourceMappingURL=data:application/json;base64,${inline}`,
    ],
    ["a block comment", "/*# sourceMappingURL=greet.js.map */"],
  ])("naming %s is refused before vite loads it", (_, comment) => {
    expect(() => load("greet.ts", `export const a = 1;\n${comment}\n`)).toThrow(
      /^Tampering: .*greet\.ts reaches for a source map comment \(vite would read the map it names/,
    );
  });

  it("is left to vite when it has none, and a spec file is never refused", () => {
    expect(load("greet.ts", "export const a = 1;\n")).toBeNull();
    expect(load("greet.spec.ts", "//# sourceMappingURL=/dev/zero\n")).toBeNull();
  });
});
