/**
 * Watch mode, in-process, on a copy of the classroom fixture, with pipes for the terminal (so keys
 * arrive a line at a time and each board is drawn below the last). Saves come the three ways
 * editors make them (in place, renamed over the file, through a temporary file). The terminal
 * itself (raw keys, the screen as a student sees it), manual mode and the rerun budget are in
 * watch.e2e.ts.
 */
import { cpSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureCopy, removeCopies, write } from "./fixture-copies";
import { loadWorkbook, selectSteps, steps } from "./layout";
import { saves } from "./saves";
import { watchKata } from "./watch";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, "");

/** Starts watch mode on a fresh copy; `screen()` is everything drawn since the last key. */
async function start(label: string, poll = false, before?: (root: string) => void, only?: string) {
  const root = fixtureCopy(label);
  before?.(root);
  const workbook = await loadWorkbook(root);
  const input = new PassThrough();
  const output = new PassThrough();
  let all = "";
  let mark = 0;
  output.on("data", (chunk: Buffer) => {
    all += plain(chunk.toString());
  });
  const done = watchKata({
    workbook,
    steps: only ? selectSteps(steps(workbook), [only]) : steps(workbook),
    poll,
    input: input as unknown as NodeJS.ReadStream,
    output: Object.assign(output, { columns: 80 }) as unknown as NodeJS.WriteStream,
  });
  const screen = () => all.slice(mark);
  const until = async (text: string | RegExp, ms = 20_000) => {
    const seen = () => (typeof text === "string" ? screen().includes(text) : text.test(screen()));
    for (const end = Date.now() + ms; !seen(); ) {
      if (Date.now() > end) throw new Error(`not on screen after ${ms} ms: ${text}\n${screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const key = (k: string) => {
    mark = all.length;
    input.write(`${k}\n`);
  };
  const save = (path: string, text: string, how: keyof typeof saves = "inPlace") => {
    mark = all.length;
    saves[how](join(root, path), text);
  };
  // The first run of a cold session: slow on a busy machine.
  await until(/Watching for changes|Manual mode/, 120_000);
  return { root, done, screen, until, key, save };
}

afterAll(removeCopies, 60_000);

const greet = "exercises/greeter/01-greet/greet.ts";

describe("watch mode", () => {
  it("reruns the step at every save and moves on once it is green", async () => {
    const kata = await start("watch");
    expect(kata.screen()).toContain("Next: Greeter, step 1 of 2: Greet");

    kata.key("h");
    await kata.until("Hint 1/2: Use a template string.");
    kata.key("h");
    await kata.until("Hint 2/2: Say hello");
    kata.key("h");
    await kata.until("That was the last hint (2 of 2).");

    kata.save(
      greet,
      'export function greet(name: string): string {\n  return "Hi, " + name + "!";\n}\n',
    );
    await kata.until("expected 'Hi, Ada!' to be 'Hello, Ada!'");

    cpSync(join(kata.root, "solutions/greeter/01-greet/greet.ts"), join(kata.root, greet));
    await kata.until("✓ Greet is solved! On to Count.");
    expect(kata.screen()).toContain("Next: Greeter, step 2 of 2: Count");

    kata.key("p");
    await kata.until("Solved: Greeter, step 1 of 2: Greet");
    kata.key("p");
    await kata.until("This is the first step.");
    kata.key("l");
    await kata.until(/✓ greeter\/01-greet +3\/3 {2}Greet\n· greeter\/02-count +0\/2 {2}Count/);

    kata.key("q");
    await expect(kata.done).resolves.toBe(0);
    expect(kata.screen()).toContain("1/2 steps solved. See you soon!");
  }, 240_000);
});

describe("watch mode's feedback", () => {
  it("shows the failing expect and names the catalogued mistake the failures match, on the steps it watches", async () => {
    const rude = ["greet() > greets anyone", "greet() > greets by name"];
    const kata = await start(
      "watch-mistake",
      false,
      (root) => {
        cpSync(join(root, "solutions/greeter/01-greet/mistakes/rude.ts"), join(root, greet));
        write(
          root,
          "exercises/fingerprints.json",
          JSON.stringify({
            steps: {
              "greeter/01-greet": {
                tests: [...rude, "the greet type > takes only strings"],
                mistakes: [{ name: "rude", hint: "Greet before you name.", failing: rude }],
              },
            },
          }),
        );
      },
      "greeter/01",
    );
    expect(kata.screen()).toContain("ran 1 of the kata's 2 steps: 0 solved");
    expect(kata.screen()).toContain(
      'greet.spec.ts:6\n    › expect(greet("Ada")).toBe("Hello, Ada!");',
    );
    expect(kata.screen()).toContain(
      'This looks like a known mistake, "rude": Greet before you name.',
    );
    kata.key("q");
    await expect(kata.done).resolves.toBe(0);
  }, 240_000);
});

const wrong = (word: string) =>
  `export function greet(name: string): string {\n  return "${word}, " + name + "!";\n}\n`;

describe("watch mode never goes deaf", () => {
  it("reruns the step at every save, whichever way the editor saves, and after a save replaced the file", async () => {
    const kata = await start("watch-saves");
    const steps: [keyof typeof saves, string][] = [
      ["renameOver", "Hi"],
      ["inPlace", "Hey"],
      ["tempFile", "Yo"],
      ["renameOver", "Howdy"],
      ["inPlace", "Hello there"],
    ];
    for (const [how, word] of steps) {
      kata.save(greet, wrong(word), how);
      await kata.until(`expected '${word}, Ada!' to be 'Hello, Ada!'`);
    }
    kata.key("q");
    await expect(kata.done).resolves.toBe(0);
  }, 240_000);

  it("polls for changes where file events do not arrive (--poll)", async () => {
    const kata = await start("watch-poll", true);
    expect(kata.screen()).toContain("Watching for changes (polling)");
    for (const how of ["inPlace", "renameOver", "tempFile"] as const) {
      kata.save(greet, wrong(how), how);
      await kata.until(`expected '${how}, Ada!' to be 'Hello, Ada!'`);
    }
    kata.key("q");
    await expect(kata.done).resolves.toBe(0);
  }, 240_000);
});
