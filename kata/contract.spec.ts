/**
 * The verification contract, tested: verify must pass a sound workbook and name each breach in a
 * broken one. Each test copies the sound fixture beside it, breaks one thing, and runs the checks.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkCatalog, checkSpecs } from "./contract";
import { loadWorkbook, repoRoot, steps } from "./layout";

const fixtures = join(repoRoot, "kata", "fixtures");
const copies: string[] = [];

/** A fresh copy of the sound fixture, broken by `breakIt` (paths relative to its root). */
async function workbookWith(name: string, breakIt: (root: string) => void = () => {}) {
  // Unique per process: two verify runs at once must not share a copy.
  const root = join(fixtures, `.run-${process.pid}-${name}`);
  rmSync(root, { recursive: true, force: true });
  cpSync(join(fixtures, "sound"), root, { recursive: true });
  copies.push(root);
  breakIt(root);
  const workbook = await loadWorkbook(root);
  return { workbook, all: steps(workbook) };
}

const step = "exercises/greeter/01-greet";

afterEach(() => {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
});

// Each check spawns a vitest run of its own; give them room on a busy two-core machine.
// Each check of the specs starts vitest, the compiler and test processes twice (kata/runner/).
const slow = { timeout: 90_000 };

describe("verify on a sound workbook", () => {
  it("finds no problem in any check", slow, async () => {
    const { workbook, all } = await workbookWith("sound");
    const results = [checkCatalog(workbook, all), ...(await checkSpecs(workbook, all))];
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(["catalog", "answers", "stubs", "mistakes"]);
    // The fixture's one step has a runtime test and a type-level test; both must be counted.
    expect(results.find((r) => r.name === "stubs")?.passed).toBe(2);
    for (const result of results) expect(result.passed).toBeGreaterThan(0);
  });
});

describe("verify on a broken workbook", () => {
  it("names a vacuous test, an uncaught mistake and a failing answer key", slow, async () => {
    const { workbook, all } = await workbookWith("broken", (root) => {
      appendFileSync(
        join(root, step, "greet.spec.ts"),
        `\nit("is a function", () => {\n  expect(typeof greet).toBe("function");\n});\n`,
      );
      writeFileSync(
        join(root, "solutions/greeter/01-greet/mistakes/snubs-bob.ts"),
        [
          "// Mistake: snubs Bob, and no test greets Bob.",
          'export const greet = (name: string) => (name === "Bob" ? "" : "Hello, " + name + "!");',
          "",
        ].join("\n"),
      );
      writeFileSync(
        join(root, "solutions/greeter/01-greet/greet.ts"),
        'export const greet = (name: string) => "Hello, " + name + "!!";\n',
      );
    });
    const results = await checkSpecs(workbook, all);
    const problems = (name: string) => results.find((r) => r.name === name)?.problems;
    expect(problems("stubs")).toEqual([
      expect.stringMatching(/passed on its untouched stub.*greet\.spec\.ts:\d+ › is a function$/),
    ]);
    expect(problems("mistakes")).toEqual([
      expect.stringMatching(/slips through.*mistakes\/snubs-bob\.ts/),
    ]);
    expect(problems("answers")).toEqual([
      expect.stringMatching(/^solutions failed: .* › greet\(\) > greets by name/),
    ]);
  });

  it("names a step without instructions, hints or mistakes", async () => {
    const { workbook, all } = await workbookWith("incomplete", (root) => {
      unlinkSync(join(root, step, "README.md"));
      rmSync(join(root, "solutions/greeter/01-greet/mistakes"), { recursive: true });
    });
    const [greeter] = workbook.catalog;
    if (!greeter) throw new Error("the fixture has no pattern");
    const noHints = {
      ...workbook,
      catalog: [{ ...greeter, steps: greeter.steps.map((s) => ({ ...s, hints: [] })) }],
    };
    const problems = checkCatalog(noHints, steps(noHints)).problems;
    expect(problems).toEqual([
      "greeter/01-greet: the catalog gives no hint",
      expect.stringContaining("README.md (the instructions) is missing"),
      expect.stringContaining("no common mistake"),
    ]);
    expect(all).toHaveLength(1);
  });

  it("names a folder the catalog does not list", async () => {
    const { workbook, all } = await workbookWith("stray", (root) => {
      cpSync(join(root, step), join(root, "exercises/greeter/02-stray"), { recursive: true });
    });
    expect(checkCatalog(workbook, all).problems).toEqual([
      "exercises/greeter/02-stray/ is not in the catalog",
    ]);
  });
});

describe("verify's command line", () => {
  /** Runs kata/verify.ts on the sound fixture; returns its exit code and what it wrote. */
  const verifyCli = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ["--import", "tsx", "kata/verify.ts", "--workbook", join(fixtures, "sound"), ...args],
      { cwd: repoRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );

  it("refuses a filter that selects no step, rather than calling nothing sound", () => {
    const run = verifyCli("nosuchstep");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('No step matches "nosuchstep". Try a pattern: greeter.');
    expect(run.stdout).not.toContain("verify:");
  });

  it("names an unknown option in one line, with the usage", () => {
    const run = verifyCli("--bogus");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Unknown option '--bogus'");
    expect(run.stderr).toContain("Usage: npm run verify");
    expect(run.stderr).not.toContain("    at ");
  });
});
