/**
 * Mistakes as patches (header, application, virtual modules) and the fingerprint matcher the
 * board and the grader will use to say "this looks like mistake X".
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./layout";
import {
  applyMistake,
  describeMistake,
  type Fingerprints,
  formatFingerprints,
  formatHeader,
  matchFingerprint,
  mistakeName,
  parseHeader,
  patchedModulePath,
  patchOf,
  StalePatchError,
  studentFingerprints,
} from "./mistakes";

const sound = join(repoRoot, "kata", "fixtures", "sound");
const mistakes = join(sound, "solutions/greeter/01-greet/mistakes");
const copy = join(repoRoot, "kata", "fixtures", `.run-mistakes-${process.pid}`);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("a patch's header", () => {
  it("gives what is wrong, the tests that catch it and the hint, each over several lines", () => {
    const { header, problems } = parseHeader(
      [
        "Mistake: keeps the first",
        "  instance only.",
        'Caught by: "creates it once", "resets it"',
        "Hint: An instance is made",
        "  when first asked for.",
        "",
        "--- a/x.ts",
        "+++ b/x.ts",
      ].join("\n"),
    );
    expect(problems).toEqual([]);
    expect(header).toEqual({
      mistake: "keeps the first instance only.",
      caughtBy: ["creates it once", "resets it"],
      hint: "An instance is made when first asked for.",
    });
  });

  it("round-trips through formatHeader(), wrapped at 100 columns", () => {
    const header = {
      mistake: "word ".repeat(40).trim(),
      caughtBy: ["a > b", "c"],
      hint: "Think about it.",
    };
    const text = formatHeader(header);
    expect(text.split("\n").every((line) => line.length <= 100)).toBe(true);
    expect(parseHeader(`${text}--- a/x.ts\n`).header).toEqual(header);
  });

  it("names what is missing", () => {
    expect(parseHeader("Hint: only a hint\n--- a/x.ts\n").problems).toEqual([
      'no "Mistake:" line says what is wrong',
      'no "Caught by:" line names a test in quotes',
    ]);
  });

  it("is read from a whole mistake's leading comment too", () => {
    expect(describeMistake(join(mistakes, "rude.ts"))).toEqual({
      mistake: 'no greeting word. Caught by "greets by name".',
      caughtBy: ["greets by name"],
      hint: undefined,
    });
    expect(describeMistake(join(mistakes, "forgets-the-bang.patch")).caughtBy).toEqual([
      "greets by name",
    ]);
  });

  it("keeps a whole mistake's hint, quotes and all, out of what is wrong and what catches it", () => {
    mkdirSync(copy, { recursive: true });
    const file = join(copy, "hinted.ts");
    writeFileSync(
      file,
      [
        '// Mistake: no greeting word. Caught by "greets by name".',
        '// Hint: a "greeting" starts with a word of',
        "//   welcome.",
        "export const greet = (name: string) => name;",
        "",
      ].join("\n"),
    );
    expect(describeMistake(file)).toEqual({
      mistake: 'no greeting word. Caught by "greets by name".',
      caughtBy: ["greets by name"],
      hint: 'a "greeting" starts with a word of welcome.',
    });
  });
});

describe("applyMistake()", () => {
  it("applies the patch to the answer key in memory", () => {
    const { answerKey, text } = applyMistake(join(mistakes, "forgets-the-bang.patch"), sound);
    expect(answerKey).toBe(join(sound, "solutions/greeter/01-greet/greet.ts"));
    expect(text).toContain("name}`;");
    expect(readFileSync(answerKey, "utf8")).toContain("name}!`;");
  });

  it("still applies when the answer key's lines move", () => {
    cpSync(sound, copy, { recursive: true });
    const key = join(copy, "solutions/greeter/01-greet/greet.ts");
    writeFileSync(key, `// A comment that pushes the code down.\n\n${readFileSync(key, "utf8")}`);
    const patch = join(copy, "solutions/greeter/01-greet/mistakes/forgets-the-bang.patch");
    expect(applyMistake(patch, copy).text).toContain("name}`;");
  });

  it("names the mistake, the hunk and the line it looked for when it no longer applies", () => {
    cpSync(sound, copy, { recursive: true });
    const key = join(copy, "solutions/greeter/01-greet/greet.ts");
    writeFileSync(key, readFileSync(key, "utf8").replace("Hello", "Hi"));
    const patch = join(copy, "solutions/greeter/01-greet/mistakes/forgets-the-bang.patch");
    expect(() => applyMistake(patch, copy)).toThrow(StalePatchError);
    expect(() => applyMistake(patch, copy)).toThrow(
      /^solutions\/greeter\/01-greet\/mistakes\/forgets-the-bang\.patch no longer applies to the answer key: the hunk at line 1 \(@@ -1,4 \+1,4 @@\) finds no "\/\*\* Greets `name` politely\. \*\/" there/,
    );
  });
});

describe("a patched mistake's module name", () => {
  it("lives in the answer key's folder and leads back to the patch", () => {
    const patch = join(mistakes, "forgets-the-bang.patch");
    const served = patchedModulePath(patch);
    expect(served).toBe(
      join(sound, "solutions/greeter/01-greet/greet.mistake~forgets-the-bang.ts"),
    );
    expect(patchOf(served)).toBe(patch);
    expect(patchOf(`${served}?v=1`)).toBe(patch);
    expect(patchOf(join(sound, "solutions/greeter/01-greet/greet.ts"))).toBeUndefined();
    expect(mistakeName(patch)).toBe("forgets-the-bang");
  });
});

describe("matchFingerprint()", () => {
  const prints: Fingerprints = {
    steps: {
      "s/01": {
        tests: ["a", "b", "c", "d"],
        mistakes: [
          { name: "one", hint: "Hint one.", failing: ["a"] },
          { name: "two", hint: null, failing: ["a", "b"] },
          { name: "twin", hint: "Same as two.", failing: ["b", "a"] },
          { name: "far", hint: null, failing: ["c", "d"] },
        ],
      },
    },
  };
  const names = (failing: string[]) =>
    matchFingerprint(prints, "s/01", failing).map((m) => [m.name, m.score]);

  it("returns every mistake whose fingerprint equals the failures, in any order", () => {
    expect(names(["a"])).toEqual([["one", 1]]);
    expect(names(["b", "a"])).toEqual([
      ["two", 1],
      ["twin", 1],
    ]);
    expect(matchFingerprint(prints, "s/01", ["a"])[0]?.hint).toBe("Hint one.");
  });

  it("otherwise returns the closest, best first, at least half alike", () => {
    expect(names(["a", "b", "c"])).toEqual([
      ["two", 2 / 3],
      ["twin", 2 / 3],
    ]);
    expect(names(["c"])).toEqual([["far", 0.5]]);
  });

  it("never matches an untouched stub, nothing failing, or an unknown step", () => {
    expect(names(["a", "b", "c", "d"])).toEqual([]);
    expect(names(["d", "c", "b", "a"])).toEqual([]);
    expect(names([])).toEqual([]);
    expect(matchFingerprint(prints, "s/02", ["a"])).toEqual([]);
  });

  it("matches a mistake that fails every test when the failures are not the stub's", () => {
    const all: Fingerprints = {
      steps: {
        "s/01": { tests: ["a", "b"], mistakes: [{ name: "x", hint: null, failing: ["a"] }] },
      },
    };
    expect(matchFingerprint(all, "s/01", ["a", "b"])).toEqual([]);
    expect(matchFingerprint(all, "s/01", ["a"]).map((m) => m.name)).toEqual(["x"]);
  });
});

describe("studentFingerprints()", () => {
  const at = (text: string | undefined) => {
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(join(copy, "exercises"), { recursive: true });
    if (text !== undefined) writeFileSync(join(copy, "exercises/fingerprints.json"), text);
    const warnings: string[] = [];
    return { prints: studentFingerprints(copy, (m) => warnings.push(m)), warnings };
  };

  it("reads the file as verify wrote it, deriving a recorded step's test names from its stub", () => {
    const stub = {
      key: "k",
      failures: [{ file: "a.spec.ts", name: "a > b", line: 3, messages: ["m"] }],
    };
    const { prints, warnings } = at(
      formatFingerprints({ steps: { "s/01": { tests: ["a > b"], stub, mistakes: [] } } }),
    );
    expect(prints.steps["s/01"]).toEqual({ tests: ["a > b"], stub, mistakes: [] });
    expect(warnings).toEqual([]);
  });

  it("gives none without a word when the file is missing", () => {
    expect(at(undefined)).toEqual({ prints: { steps: {} }, warnings: [] });
  });

  it.each([
    [
      "not JSON",
      "{ broken",
      /^exercises\/fingerprints\.json cannot be read \(.*JSON.*\): every step runs/,
    ],
    ["not a fingerprint file", '{"steps": []}', /cannot be read \(it has no `steps` object\)/],
  ])("gives none, and says why, when the file is %s", (_, text, said) => {
    const { prints, warnings } = at(text);
    expect(prints).toEqual({ steps: {} });
    expect(warnings).toEqual([expect.stringMatching(said)]);
  });
});
