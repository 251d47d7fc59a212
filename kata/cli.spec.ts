/**
 * The student's commands (kata/cli.ts) on copies of the classroom fixture: test, hint, reset and
 * solution, driven in-process through `runCli` with streams standing in for the terminal. (Watch
 * mode: watch.spec.ts; in a real terminal: watch.e2e.ts.)
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
import { commitAll, fixtureCopy, removeCopies } from "./fixture-copies";
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

afterAll(removeCopies);

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

  afterAll(() => session?.close());

  it("npm test prints the board and fails until every step is solved", async () => {
    const { code, out } = await kata(root, ["test"], undefined, session);
    expect(code).toBe(1);
    expect(out).toContain("Next: Greeter, step 1 of 2: Greet");
    expect(out).toContain(
      "✗ greet() > greets by name\n    exercises/greeter/01-greet/greet.spec.ts:5",
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
