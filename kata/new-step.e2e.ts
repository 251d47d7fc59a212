/**
 * `npm run new-step` on a copy of the classroom fixture: the scaffold has every file verify asks
 * for, and verify still fails until a teacher fills it in.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCatalog, checkSpecs } from "./contract";
import { fixtureCopy, removeCopies } from "./fixture-copies";
import { loadWorkbook, selectSteps, steps } from "./layout";
import { addToCatalog, closingBracket, ScaffoldError, scaffold } from "./new-step";

afterAll(removeCopies);

describe("scaffold()", () => {
  it("writes the next step's files and its catalog entry, which verify rejects until filled in", async () => {
    const root = fixtureCopy("new-step");
    const made = scaffold(await loadWorkbook(root), "greeter", "cached-shapes");

    expect(made.dir).toBe("greeter/03-cached-shapes");
    for (const file of made.files) expect(existsSync(file)).toBe(true);
    // A fresh import: the catalog module has changed since the first load.
    const catalog = readFileSync(join(root, "exercises/catalog.ts"), "utf8");
    expect(catalog).toMatch(/dir: "03-cached-shapes",\n\s+title: "Cached shapes",\n\s+hints: \[/);
    const stub = readFileSync(
      join(root, "exercises/greeter/03-cached-shapes/cached-shapes.ts"),
      "utf8",
    );
    expect(stub).toContain("// TODO:");
    expect(stub).toContain('throw new Error("TODO(greeter/03): implement cachedShapes()")');

    const { workbook, all } = await reload(root);
    expect(all.map((s) => s.id)).toEqual([
      "greeter/01-greet",
      "greeter/02-count",
      "greeter/03-cached-shapes",
    ]);
    // Everything a teacher must write holds new-step's placeholder, and verify says where.
    expect(checkCatalog(workbook, all).problems).toEqual([
      expect.stringMatching(/03-cached-shapes\/README\.md still holds new-step's placeholder/),
      expect.stringMatching(/exercises\/.*\/cached-shapes\.ts still holds/),
      expect.stringMatching(/cached-shapes\.spec\.ts still holds/),
      expect.stringMatching(/solutions\/.*\/cached-shapes\.ts still holds/),
      expect.stringMatching(/mistakes\/fill-in-the-mistake\.patch still holds/),
      expect.stringMatching(/its catalog entry \(title or hints\) still holds/),
    ]);
    const results = await checkSpecs(workbook, selectSteps(all, ["greeter/03"]));
    const problems = Object.fromEntries(results.map((r) => [r.name, r.problems]));
    expect(problems).toEqual({
      answers: [
        expect.stringMatching(
          /^solutions failed: .*cached-shapes\.spec\.ts:\d+ › .*\n.*TODO\(greeter\/03\): write the answer key/,
        ),
      ],
      stubs: [],
      // The scaffold's mistake is a patch that applies, and fails; only its header is unwritten.
      mistakes: [expect.stringMatching(/fill-in-the-mistake\.patch: its header says "\[FILL IN/)],
      fingerprints: [expect.stringContaining("is stale for greeter/03-cached-shapes")],
      approaches: [],
    });
  }, 180_000);

  it("refuses an unknown pattern, a name that is not kebab-case, and a step that exists", {
    timeout: 60_000,
  }, async () => {
    const root = fixtureCopy("new-step-bad");
    const workbook = await loadWorkbook(root);
    expect(() => scaffold(workbook, "nope", "x")).toThrow(
      /No pattern "nope" in the catalog. Patterns: greeter/,
    );
    expect(() => scaffold(workbook, "greeter", "Cached Shapes")).toThrow(ScaffoldError);
    scaffold(workbook, "greeter", "again");
    expect(() => scaffold(workbook, "greeter", "again")).toThrow(/03-again already exists/);
  });
});

/** Loads a workbook whose catalog changed on disk since it was first imported. */
async function reload(root: string) {
  const { catalog } = await import(`${join(root, "exercises/catalog.ts")}?v=${Date.now()}`);
  const workbook = { ...(await loadWorkbook(root)), catalog };
  return { workbook, all: steps(workbook) };
}

describe("addToCatalog()", () => {
  const entry = '{\n  dir: "02-b",\n  title: "B",\n  hints: ["h"],\n},';

  it("appends to a pattern's steps, skipping brackets inside strings and comments", () => {
    const source = [
      "export const catalog = [",
      '  { id: "other", steps: [{ dir: "01-x" }] },',
      "  {",
      '    id: "greeter",',
      "    // steps: [ in a comment ]",
      '    steps: [{ dir: "01-a", hints: ["use `[]` and \\"]\\"", \'[\'] }],',
      "  },",
      "];",
    ].join("\n");
    const result = addToCatalog(source, "greeter", entry);
    expect(result).toContain(
      'hints: ["use `[]` and \\"]\\"", \'[\'] },\n      {\n        dir: "02-b",',
    );
    expect(result).toContain('{ id: "other", steps: [{ dir: "01-x" }] }');
    expect(result.endsWith("},\n    ],\n  },\n];")).toBe(true);
  });

  it("fills an empty steps array", () => {
    expect(addToCatalog('[{ id: "p",\n  steps: [] }]', "p", entry)).toBe(
      '[{ id: "p",\n  steps: [\n    {\n      dir: "02-b",\n      title: "B",\n      hints: ["h"],\n    },\n  ] }]',
    );
  });

  it("names a pattern the catalog does not have", () => {
    expect(() => addToCatalog('[{ id: "p", steps: [] }]', "q", entry)).toThrow(
      /no pattern with id "q"/,
    );
    expect(() => closingBracket("[ ( ]", 0)).toThrow(ScaffoldError);
  });
});
