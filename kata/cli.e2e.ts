/**
 * The student's commands (kata/cli.ts) on copies of the classroom fixture: test, hint, reset and
 * solution, driven in-process through `runCli` with streams standing in for the terminal. (Watch
 * mode: watch-pipes.e2e.ts; in a real terminal: watch.e2e.ts.)
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, UsageError } from "./cli";
import { commitAll, fixtureCopy, removeCopies, write } from "./fixture-copies";
import { loadWorkbook, repoRoot } from "./layout";
import { Session } from "./session";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "");

/** Runs the command line on `workbook`; `answer` is what the user types. */
async function kata(workbook: string, args: string[], answer?: string, session?: Session) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let text = "";
  stdout.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  if (answer !== undefined) stdin.end(answer);
  else stdin.end();
  const code = await runCli(
    ["--workbook", workbook, ...args],
    {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: Object.assign(stdout, { columns: 80 }) as unknown as NodeJS.WriteStream,
    },
    session,
  );
  return { code, out: plain(text) };
}

const stub = "exercises/greeter/01-greet/greet.ts";
const spec = "exercises/greeter/01-greet/greet.spec.ts";
const answer = (root: string) =>
  cpSync(join(root, "solutions/greeter/01-greet/greet.ts"), join(root, stub));

// Hooks get their own time, on a busy machine.
afterAll(removeCopies, 60_000);

describe("npm run kata -- hint", () => {
  it("shows the first hint, and says how to get the next", async () => {
    const { code, out } = await kata(fixtureCopy("cli-hint"), ["hint", "greeter/01"]);
    expect(code).toBe(0);
    expect(out).toContain("Hint 1/2: Use a template string.");
    expect(out).toContain("More: npm run kata -- hint greeter/01-greet 2");
    expect(out).not.toContain("Hint 2/2");
  });

  it("shows as many hints as asked, up to all of them", async () => {
    const { out } = await kata(fixtureCopy("cli-hints"), ["hint", "01-greet", "9"]);
    expect(out).toContain("Hint 2/2: Say hello");
    expect(out).not.toContain("More:");
  });

  it("says so when asked for more hints than the step has, then shows them all", async () => {
    const { code, out } = await kata(fixtureCopy("cli-hint-past"), ["hint", "greeter/01", "5"]);
    expect(code).toBe(0);
    expect(out).toContain("greeter/01-greet has 2 hints, not 5: here are all 2 of them.");
    expect(out).toContain("Hint 2/2: Say hello");
  });

  it("refuses a filter that names more than one step", async () => {
    await expect(kata(fixtureCopy("cli-many"), ["hint", "greeter"])).rejects.toThrow(UsageError);
  });
});

describe("npm run kata -- approaches", () => {
  it("says so, without running anything, when a step has no other approach", async () => {
    const { code, out } = await kata(fixtureCopy("cli-no-approaches"), ["approaches", "02-count"]);
    expect(code).toBe(1);
    expect(out).toContain("no other approaches for greeter/02-count");
  });
});

describe("npm run kata -- help, --help and a bad option", () => {
  it("prints the usage for help and --help", async () => {
    for (const args of [["help"], ["--help"], ["-h"]]) {
      const { code, out } = await kata(fixtureCopy("cli-help"), args);
      expect(code).toBe(0);
      expect(out).toContain("Usage: npm run kata -- <command>");
      expect(out).toContain("hint <step> [n]");
    }
  });

  it("answers an unknown option with our message and the usage, not parseArgs' text", async () => {
    const error = await kata(fixtureCopy("cli-bad-option"), ["--frobnicate"]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    const { message } = error as UsageError;
    expect(message).toMatch(/^Unknown option "--frobnicate"\.\n\nUsage: npm run kata -- <command>/);
    expect(message).not.toContain("ERR_PARSE_ARGS");
    expect(message).not.toContain("To specify a positional argument");
  });
});

describe("npm run kata -- reset", () => {
  it("puts the edited stub back as committed, without touching the unchanged spec", async () => {
    const root = fixtureCopy("cli-reset");
    commitAll(root);
    const specTime = statSync(join(root, spec)).mtimeMs;
    const pristine = readFileSync(join(root, stub), "utf8");
    answer(root);

    const { code, out } = await kata(root, ["reset", "greeter/01", "--yes"]);

    expect(code).toBe(0);
    expect(out).toContain(`This discards your changes to:\n  ${stub}\n`);
    expect(out).toContain("Reset 1 file.");
    expect(readFileSync(join(root, stub), "utf8")).toBe(pristine);
    expect(statSync(join(root, spec)).mtimeMs).toBe(specTime);
  });

  it("asks first, and changes nothing unless the answer is yes", async () => {
    const root = fixtureCopy("cli-reset-no");
    commitAll(root);
    answer(root);
    const solved = readFileSync(join(root, stub), "utf8");

    const { code, out } = await kata(root, ["reset", "greeter/01"], "n\n");

    expect(code).toBe(1);
    expect(out).toContain("Reset? [y/N] Nothing was changed.");
    expect(readFileSync(join(root, stub), "utf8")).toBe(solved);
  });

  it("says so when the step has no git history to reset from", async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), "kata-no-git-")));
    try {
      cpSync(join(repoRoot, "kata/fixtures/classroom"), root, { recursive: true });
      rmSync(join(root, "tsconfig.json")); // it extends the repository's, by a relative path
      const { code, out } = await kata(root, ["reset", "greeter/01", "--yes"]);
      expect(code).toBe(1);
      expect(out).toMatch(/Cannot reset greeter\/01-greet: its committed version is not available/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("npm test and npm run kata -- solution", () => {
  // One session serves every command here, as it would a long-lived tool: opening one is the
  // slow part.
  let root: string;
  let session: Session;

  beforeAll(async () => {
    root = fixtureCopy("cli-session");
    session = await Session.open({ workbook: await loadWorkbook(root), cache: false });
  }, 60_000);

  afterAll(() => session?.close(), 60_000);

  it("npm test prints the board and fails until every step is solved", async () => {
    const { code, out } = await kata(root, ["test"], undefined, session);
    expect(code).toBe(1);
    expect(out).toContain("Next: Greeter, step 1 of 2: Greet");
    // The line of the failing expect (6), not of its it( (5).
    expect(out).toContain(
      '✗ greet() > greets by name\n    exercises/greeter/01-greet/greet.spec.ts:6\n    › expect(greet("Ada")).toBe("Hello, Ada!");',
    );
  }, 30_000);

  it("keeps the approaches closed until the step is solved, then shows each with its trade-offs", async () => {
    const pristine = readFileSync(join(root, stub), "utf8");
    const closed = await kata(root, ["approaches", "greeter/01"], undefined, session);
    expect(closed.code).toBe(1);
    expect(closed.out).toContain(
      "The approaches to greeter/01-greet open once the step is solved: 0 of 3 tests pass.",
    );
    expect(closed.out).toContain("Solve it first: npm test -- greeter/01-greet");
    expect(closed.out).not.toContain("Joined parts");

    answer(root);
    try {
      const open = await kata(root, ["approaches", "greeter/01"], undefined, session);
      expect(open.code).toBe(0);
      expect(open.out).toContain("solved. 1 other approach besides the answer key");
      expect(open.out).toContain("── Approach 1 of 1: Joined parts instead of a template string");
      expect(open.out).toContain("solutions/greeter/01-greet/approaches/joined-parts.ts");
      expect(open.out).toContain("- Gains: each part of the greeting is a separate value");
      expect(open.out).toContain('return ["Hello, ", name, "!"].join("");');
      expect(open.out).not.toContain("// Approach:");
    } finally {
      writeFileSync(join(root, stub), pristine);
    }
  }, 30_000);

  it("keeps the answer key closed until the step is solved, then shows it", async () => {
    const closed = await kata(root, ["solution", "greeter/01"], undefined, session);
    expect(closed.code).toBe(1);
    expect(closed.out).toContain("opens once the step is solved: 0 of 3 tests pass");
    expect(closed.out).not.toContain("return `Hello");

    answer(root);
    const open = await kata(root, ["solution", "greeter/01"], undefined, session);
    expect(open.code).toBe(0);
    expect(open.out).toContain("── solutions/greeter/01-greet/greet.ts ──");
    expect(open.out).toContain("return `Hello, $");
  }, 30_000);

  it("npm test -- <step> reports on the step it ran, not on the whole kata", async () => {
    answer(root); // step 1 solved, step 2 untouched
    const { code, out } = await kata(root, ["test", "greeter/01"], undefined, session);
    expect(code).toBe(0);
    expect(out).toContain("ran 1 of the kata's 2 steps: 1 solved · 3/3 tests passing");
    expect(out).toContain("The step you ran is solved.");
    expect(out).toContain("The kata's other 1 step did not run: npm test runs them all.");
    expect(out).not.toContain("Every step is solved");
    expect(out).not.toContain("1/1 steps solved");
  }, 30_000);

  it("shows the failing expect with its difference, and the catalogued mistake it looks like", async () => {
    cpSync(join(root, "solutions/greeter/01-greet/mistakes/rude.ts"), join(root, stub));
    const rude = ["greet() > greets anyone", "greet() > greets by name"];
    write(
      root,
      "exercises/fingerprints.json",
      JSON.stringify({
        steps: {
          "greeter/01-greet": {
            tests: [...rude, "the greet type > takes only strings"],
            mistakes: [
              { name: "rude", hint: "A greeting starts with a word of greeting.", failing: rude },
              {
                name: "other",
                hint: "Not this one.",
                failing: ["the greet type > takes only strings"],
              },
            ],
          },
        },
      }),
    );
    const { out } = await kata(root, ["test", "greeter/01"], undefined, session);
    expect(out).toContain(
      '✗ greet() > greets by name\n    exercises/greeter/01-greet/greet.spec.ts:6\n    › expect(greet("Ada")).toBe("Hello, Ada!");',
    );
    expect(out).toContain('Expected: "Hello, Ada!"\n    Received: "Ada!"');
    expect(out).toMatch(
      /This looks like a known mistake, "rude": A greeting starts with a word of\s+greeting\./,
    );
    expect(out).not.toContain("Not this one.");
  }, 30_000);

  it("explains a type-level failure in the spec's words, not the compiler's code", async () => {
    // Right at run time, but it accepts any name: the type-level test fails alone.
    write(
      root,
      stub,
      "// biome-ignore lint/suspicious/noExplicitAny: loose\nexport const greet = (name: any): string => 'Hello, ' + String(name) + '!';\n",
    );
    const { out } = await kata(root, ["test", "greeter/01"], undefined, session);
    expect(out).toContain(
      "✗ the greet type > takes only strings\n    exercises/greeter/01-greet/greet.test-d.ts:7\n    This should not compile, but it does (line 7): greet(42);\n    Why it must not: a number is not a name",
    );
    expect(out).not.toContain("TS2578");
    expect(out).not.toContain("@ts-expect-error");
  }, 30_000);

  it("names no mistake for an untouched stub, whose failures are every test", async () => {
    cpSync(join(repoRoot, "kata/fixtures/classroom", stub), join(root, stub));
    const { out } = await kata(root, ["test", "greeter/01"], undefined, session);
    expect(out).toContain("✗ greet() > greets by name");
    expect(out).not.toContain("This looks like");
  }, 30_000);
});

describe("colours", () => {
  const hint = (env: Record<string, string>) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "kata/cli.ts",
        "--workbook",
        "kata/fixtures/classroom",
        "hint",
        "greeter/01",
      ],
      { cwd: repoRoot, env: { ...process.env, ...env }, encoding: "utf8" },
    ).stdout;

  it("are on when forced and off with NO_COLOR", () => {
    expect(hint({ FORCE_COLOR: "1" })).toContain("\u001b[");
    const off = hint({ FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(off).toContain("Hint 1/2");
    expect(off).not.toContain("\u001b[");
  }, 30_000);
});
