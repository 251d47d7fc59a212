/**
 * Type-level failures as a student reads them: an unused `@ts-expect-error` explained in the
 * spec's own words (the directive's reason, the comment above it, or the test's title), pointing
 * at the line that should not have compiled. Diagnostics made up here, from real source files.
 */
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { collectTests, typeFailure } from "./typecheck";

/** The spec's tests and an unused-directive diagnostic on the line holding `marker`. */
function unused(source: string, marker: string) {
  const file = ts.createSourceFile("x.test-d.ts", source, ts.ScriptTarget.Latest, true);
  const [test] = collectTests(file);
  if (!test) throw new Error("no test");
  const start = source.indexOf(marker);
  const diagnostic: ts.Diagnostic = {
    file,
    start,
    length: marker.length,
    code: 2578,
    category: ts.DiagnosticCategory.Error,
    messageText: "Unused '@ts-expect-error' directive.",
  };
  return typeFailure(file, test, [diagnostic]);
}

describe("typeFailure()", () => {
  it("says which line should not compile and why, from the directive's own reason", () => {
    const source = [
      'it("cannot be constructed with new", () => {',
      "  // @ts-expect-error the constructor is private: use Config.getInstance()",
      "  new Config();",
      "});",
    ].join("\n");
    expect(unused(source, "// @ts-expect-error")).toEqual({
      messages: [
        "This should not compile, but it does (line 3): new Config();\nWhy it must not: the constructor is private: use Config.getInstance()",
      ],
      failedAt: { line: 3, source: "new Config();" },
    });
  });

  it("takes the reason from the comment above a bare directive, else from the test's title", () => {
    const above = [
      'it("rejects numbers", () => {',
      "  // A name is text: a number",
      "  // is not one.",
      "  // @ts-expect-error",
      "",
      "  greet(42);",
      "});",
    ].join("\n");
    const [withComment] = unused(above, "// @ts-expect-error").messages;
    expect(withComment).toBe(
      "This should not compile, but it does (line 6): greet(42);\nWhy it must not: A name is text: a number is not one.",
    );
    const bare = 'it("rejects numbers", () => {\n  // @ts-expect-error\n  greet(42);\n});';
    expect(unused(bare, "// @ts-expect-error").messages[0]).toBe(
      "This should not compile, but it does (line 3): greet(42);\nWhy it must not: the test says it rejects numbers.",
    );
  });
});
