/**
 * The verification contract, tested: verify must pass a sound workbook and name each breach in a
 * broken one. Each test copies the sound fixture beside it, breaks one thing, and runs the checks.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { afterEach, describe, expect, it } from "vitest";
import { checkCatalog, checkFingerprints, checkSpecs } from "./contract";
import { loadWorkbook, repoRoot, steps } from "./layout";
import { type Fingerprints, formatHeader, loadFingerprints } from "./mistakes";
import { scaffold } from "./new-step";

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
const answerKey = "solutions/greeter/01-greet/greet.ts";
const mistakesDir = "solutions/greeter/01-greet/mistakes";

afterEach(() => {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
});

// Each check spawns a vitest run (or a process) of its own; give them room on a busy two-core
// machine shared with other work (a load average of 20 has been seen).
const slow = { timeout: 300_000 };

describe("verify on a sound workbook", () => {
  it("finds no problem in any check", slow, async () => {
    const { workbook, all } = await workbookWith("sound");
    const results = [checkCatalog(workbook, all), ...(await checkSpecs(workbook, all))];
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual([
      "catalog",
      "answers",
      "stubs",
      "mistakes",
      "fingerprints",
      "approaches",
    ]);
    // The fixture's one step has a runtime test and a type-level test; both must be counted.
    expect(results.find((r) => r.name === "stubs")?.passed).toBe(2);
    for (const result of results) expect(result.passed).toBeGreaterThan(0);
  });
});

describe("verify on a broken workbook", () => {
  it(
    "names a vacuous test, an uncaught mistake, a stale patch and a failing answer key",
    slow,
    async () => {
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
      // The answer key's changed line is in both patches: neither applies, and neither runs.
      expect(problems("mistakes")).toEqual([
        expect.stringMatching(
          /^solutions\/greeter\/01-greet\/mistakes\/forgets-the-bang\.patch no longer applies to the answer key: the hunk at line 1 .*finds no/,
        ),
        expect.stringMatching(
          /^solutions\/greeter\/01-greet\/mistakes\/takes-anything\.patch no longer applies to the answer key/,
        ),
        expect.stringMatching(/slips through.*mistakes\/snubs-bob\.ts/),
      ]);
      expect(problems("answers")).toEqual([
        expect.stringMatching(/^solutions failed: .* › greet\(\) > greets by name/),
      ]);
    },
  );

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

describe("mistakes stored as patches", () => {
  it(
    "are caught like whole modules, in runtime and type-level specs, importing from the answer key's folder",
    slow,
    async () => {
      // An answer key with a relative import: the patched module must resolve it from solutions/.
      const key = [
        'import { hello } from "./words";',
        "",
        "/** Greets `name` politely. */",
        "export function greet(name: string): string {",
        `  return \`\${hello}, \${name}!\`;`,
        "}",
        "",
      ].join("\n");
      const patch = (root: string, name: string, header: string, from: string, to: string) =>
        writeFileSync(
          join(root, mistakesDir, `${name}.patch`),
          header +
            createTwoFilesPatch("a/greet.ts", "b/greet.ts", key, key.replace(from, to), "", "", {
              headerOptions: FILE_HEADERS_ONLY,
            }),
        );
      const { workbook, all } = await workbookWith("patches", (root) => {
        writeFileSync(join(root, answerKey), key);
        writeFileSync(
          join(root, "solutions/greeter/01-greet/words.ts"),
          'export const hello = "Hello";\n',
        );
        for (const old of ["forgets-the-bang", "takes-anything"]) {
          unlinkSync(join(root, mistakesDir, `${old}.patch`));
        }
        const header = (caughtBy: string) =>
          formatHeader({ mistake: "Wrong.", caughtBy: [caughtBy], hint: "Think again." });
        patch(root, "no-bang", header("greets by name"), "name}!", "name}");
        patch(root, "any-name", header("takes only strings"), "name: string", "name: any");
        // True to what it does, but its header names a test that does not catch it.
        patch(root, "misattributed", header("takes only strings"), "{hello}", "{'Hi'}");
      });
      const results = await checkSpecs(workbook, all, { updateFingerprints: true });
      const problems = (name: string) => results.find((r) => r.name === name)?.problems;
      expect(problems("answers")).toEqual([]);
      expect(problems("mistakes")).toEqual([
        'solutions/greeter/01-greet/mistakes/misattributed.patch: its header says "takes only strings" catches it, but no such test fails on it (it fails: "greet() > greets by name")',
      ]);
      const [entry] = Object.values(loadFingerprints(workbook.root).steps);
      expect(entry?.mistakes).toEqual([
        {
          name: "any-name",
          hint: "Think again.",
          failing: ["the greet type > takes only strings"],
        },
        { name: "misattributed", hint: "Think again.", failing: ["greet() > greets by name"] },
        { name: "no-bang", hint: "Think again.", failing: ["greet() > greets by name"] },
        { name: "rude", hint: null, failing: ["greet() > greets by name"] },
      ]);
    },
  );

  it("need a header saying what is wrong and which test catches it", async () => {
    const { workbook, all } = await workbookWith("headers", (root) => {
      const file = join(root, mistakesDir, "forgets-the-bang.patch");
      const text = readFileSync(file, "utf8");
      writeFileSync(file, text.slice(text.indexOf("--- ")));
    });
    expect(checkCatalog(workbook, all).problems).toEqual([
      'solutions/greeter/01-greet/mistakes/forgets-the-bang.patch: its header (before the first "---" line) no "Mistake:" line says what is wrong; no "Caught by:" line names a test in quotes (see CONTRIBUTING.md, "Mistakes")',
    ]);
  });
});

describe("an unfinished step", () => {
  it("is refused wherever new-step's placeholder is left", slow, async () => {
    const { workbook } = await workbookWith("scaffold", (root) => {
      appendFileSync(join(root, step, "README.md"), "\n[FILL IN: the rules]\n");
    });
    scaffold(workbook, "greeter", "cached-greetings");
    const { catalog } = await import(`${join(workbook.root, "exercises/catalog.ts")}?v=1`);
    const reloaded = { ...workbook, catalog };
    const problems = checkCatalog(reloaded, steps(reloaded)).problems;
    const fresh = "greeter/02-cached-greetings";
    expect(problems).toEqual([
      `greeter/01-greet: ${step}/README.md still holds new-step's placeholder [FILL IN: …]: write it`,
      ...[
        `exercises/${fresh}/README.md`,
        `exercises/${fresh}/cached-greetings.ts`,
        `exercises/${fresh}/cached-greetings.spec.ts`,
        `solutions/${fresh}/cached-greetings.ts`,
        `solutions/${fresh}/mistakes/fill-in-the-mistake.patch`,
      ].map(
        (file) => `${fresh}: ${file} still holds new-step's placeholder [FILL IN: …]: write it`,
      ),
      `${fresh}: its catalog entry (title or hints) still holds new-step's placeholder [FILL IN: …]: write it`,
    ]);
  });
});

describe("the fingerprints file", () => {
  it("is refused when stale, naming the file and the command that rewrites it", slow, async () => {
    const { workbook, all } = await workbookWith("fingerprints");
    const committed = loadFingerprints(workbook.root);
    expect(checkFingerprints(workbook, all, committed, false).problems).toEqual([]);

    const [id = ""] = Object.keys(committed.steps);
    const entry = committed.steps[id];
    if (!entry) throw new Error("the sound fixture has no fingerprints");
    const changed: Fingerprints = {
      steps: {
        [id]: { ...entry, mistakes: entry.mistakes.map((m) => ({ ...m, failing: [] })) },
      },
    };
    expect(checkFingerprints(workbook, all, changed, false).problems).toEqual([
      "exercises/fingerprints.json is stale for greeter/01-greet: rewrite it with `npm run verify -- --update-fingerprints` and commit it",
    ]);
    expect(checkFingerprints(workbook, all, changed, true).problems).toEqual([]);
    expect(checkFingerprints(workbook, all, changed, false).problems).toEqual([]);
  });

  it("is named when it cannot be read, and rewritten whole by an update", slow, async () => {
    const { workbook, all } = await workbookWith("unreadable");
    const committed = loadFingerprints(workbook.root);
    const file = join(workbook.root, "exercises/fingerprints.json");
    writeFileSync(file, "{ not json");
    expect(checkFingerprints(workbook, all, committed, false).problems).toEqual([
      expect.stringMatching(
        /^exercises\/fingerprints\.json cannot be read \(.*JSON.*\): rewrite it with `npm run verify -- --update-fingerprints`/,
      ),
    ]);
    expect(checkFingerprints(workbook, all, committed, true).problems).toEqual([]);
    expect(loadFingerprints(workbook.root)).toEqual(committed);
  });

  it("drops, on a whole run, a step the catalog no longer lists", async () => {
    const { workbook, all } = await workbookWith("orphan");
    const committed = loadFingerprints(workbook.root);
    const withOrphan = {
      steps: { ...committed.steps, "greeter/09-gone": { tests: [], mistakes: [] } },
    };
    writeFileSync(join(workbook.root, "exercises/fingerprints.json"), JSON.stringify(withOrphan));
    expect(checkFingerprints(workbook, all, committed, false).problems).toEqual([
      expect.stringContaining("is stale for greeter/09-gone"),
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

  it("refuses a filter that selects no step, rather than calling nothing sound", slow, () => {
    const run = verifyCli("nosuchstep");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('No step matches "nosuchstep". Try a pattern: greeter.');
    expect(run.stdout).not.toContain("verify:");
  });

  it("names an unknown option in one line, with the usage", slow, () => {
    const run = verifyCli("--bogus");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Unknown option '--bogus'");
    expect(run.stderr).toContain("Usage: npm run verify");
    expect(run.stderr).not.toContain("    at ");
  });
});
