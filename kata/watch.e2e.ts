/**
 * Watch mode in a real terminal: tmux runs `npm run kata` (kata/cli.ts) in an 80×40 pane on a
 * copy of the classroom fixture, the spec types keys and saves files (in place, renamed over the
 * file as `sed -i` does, and through a temporary file as JetBrains does), and asserts on what the
 * screen shows. Then the budget: a rerun after saving one stub redraws in under 400 ms (median of
 * ten saves). These take tens of seconds, so they run with `npm run test:e2e`, not in verify.
 * Without tmux (`apt-get install -y tmux`) they are skipped.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixtureCopy, removeCopies } from "./fixture-copies";
import { repoRoot } from "./layout";
import { saves } from "./saves";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const socket = `kata-e2e-${process.pid}`;
const tmux = (...args: string[]) =>
  execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });

const greet = "exercises/greeter/01-greet/greet.ts";
/** The first board waits for a cold session's first run: slow on a busy machine. */
const COLD_START_MS = 120_000;
const wrong = (word: string) =>
  `export function greet(name: string): string {\n  return "${word}, " + name + "!";\n}\n`;

/** Starts `npm run kata` (with `args`) in a fresh tmux session; returns screen helpers. */
function terminal(name: string, args: string[] = []) {
  const root = fixtureCopy(name);
  const command = ["node", "--import", "tsx", "kata/cli.ts", "--workbook", root, ...args].join(" ");
  // The pane stays open after the runner exits, so the last screen can still be read.
  tmux(
    "new-session",
    "-d",
    "-x",
    "80",
    "-y",
    "40",
    "-s",
    name,
    "-c",
    repoRoot,
    `${command}; sleep 30`,
  );
  const screen = () => tmux("capture-pane", "-p", "-t", name);
  const until = async (text: string | RegExp, ms = 30_000) => {
    const seen = () => (typeof text === "string" ? screen().includes(text) : text.test(screen()));
    for (const end = Date.now() + ms; !seen(); ) {
      if (Date.now() > end) throw new Error(`not on screen after ${ms} ms: ${text}\n${screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return screen();
  };
  const press = (key: string) => tmux("send-keys", "-t", name, key);
  return { root, screen, until, press };
}

afterAll(() => {
  if (hasTmux) spawnSync("tmux", ["-L", socket, "kill-server"]);
  removeCopies();
});

describe.skipIf(!hasTmux)("npm run kata in a terminal", () => {
  it("shows the board, a hint per h, reruns on save and moves on when the step is green", async () => {
    const kata = terminal("e2e-watch");
    const first = await kata.until("Watching for changes", COLD_START_MS);
    expect(first).toContain("Next: Greeter, step 1 of 2: Greet");
    expect(first).toContain("✗ greet() > greets by name");
    expect(first).toContain(
      "h hint · n/p next/prev step · r rerun · a rerun all · l list · q quit",
    );

    kata.press("h");
    await kata.until("Hint 1/2: Use a template string.");

    writeFileSync(
      join(kata.root, greet),
      "export function greet(name: string): string {\n  const n: number = name;\n  return n;\n}\n",
    );
    const broken = await kata.until("does not compile");
    expect(broken).toMatch(/exercises\/greeter\/01-greet\/greet\.ts:2:9\n\s+TS2322: Type 'string'/);

    cpSync(join(kata.root, "solutions/greeter/01-greet/greet.ts"), join(kata.root, greet));
    const next = await kata.until("Greet is solved! On to Count.");
    expect(next).toContain("Next: Greeter, step 2 of 2: Count");
    expect(next).toContain("Greeter  ██████░░░░░░  1/2 steps solved");

    kata.press("l");
    await kata.until(/✓ greeter\/01-greet +3\/3 {2}Greet/);
    kata.press("p");
    await kata.until("Solved: Greeter, step 1 of 2: Greet");
    kata.press("n");
    await kata.until("Next: Greeter, step 2 of 2: Count");
    kata.press("q");
    await kata.until("1/2 steps solved. See you soon!");
  }, 120_000);

  it("hears every save, in place, renamed over the file and through a temporary file, again and again", async () => {
    const kata = terminal("e2e-saves");
    await kata.until("Watching for changes", COLD_START_MS);
    const file = join(kata.root, greet);
    const order = [
      "renameOver",
      "inPlace",
      "tempFile",
      "inPlace",
      "renameOver",
      "tempFile",
    ] as const;
    for (const [i, how] of order.entries()) {
      const word = `${how}${i}`;
      saves[how](file, wrong(word));
      await kata.until(`expected '${word}, Ada!' to be 'Hello, Ada!'`);
    }
    // A rename-over save that solves it still moves the board on.
    saves.renameOver(
      file,
      readFileSync(join(kata.root, "solutions/greeter/01-greet/greet.ts"), "utf8"),
    );
    await kata.until("Greet is solved! On to Count.");
    kata.press("q");
    await kata.until("See you soon!");
  }, 180_000);

  it("in polling mode (--poll), hears saves made every way", async () => {
    const kata = terminal("e2e-poll", ["--poll"]);
    await kata.until("Watching for changes (polling)", COLD_START_MS);
    for (const how of ["renameOver", "tempFile", "inPlace"] as const) {
      saves[how](join(kata.root, greet), wrong(how));
      await kata.until(`expected '${how}, Ada!' to be 'Hello, Ada!'`);
    }
    kata.press("q");
    await kata.until("See you soon!");
  }, 180_000);

  it("in manual mode, reruns on r after a save", async () => {
    const kata = terminal("e2e-manual", ["--manual"]);
    await kata.until("Manual mode: save, then press r (or Enter)", COLD_START_MS);
    writeFileSync(join(kata.root, greet), wrong("Hi"));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(kata.screen()).not.toContain("expected 'Hi, Ada!'");
    kata.press("r");
    await kata.until("expected 'Hi, Ada!' to be 'Hello, Ada!'");
    kata.press("q");
    await kata.until("See you soon!");
  }, 120_000);
});

describe("the watch-mode budget", () => {
  it("redraws the board within 400 ms of saving a stub (median of ten saves)", async () => {
    const root = fixtureCopy("e2e-budget");
    // Pipes rather than tmux: each redraw starts with a rule, and its arrival time is exact.
    const child = spawn(process.execPath, ["--import", "tsx", "kata/cli.ts", "--workbook", root], {
      cwd: repoRoot,
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let boards = 0;
    let text = "";
    let arrived: () => void = () => {};
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const count = text.split("Watching for changes").length - 1;
      if (count > boards) {
        boards = count;
        arrived();
      }
    });
    const nextBoard = () => new Promise<void>((resolve) => (arrived = resolve));
    await nextBoard();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const drawn = nextBoard();
      const saved = performance.now();
      writeFileSync(join(root, greet), wrong(i % 2 === 0 ? "Hi" : "Hey"));
      await drawn;
      times.push(Math.round(performance.now() - saved));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.stdin.end("q\n");
    const sorted = [...times].sort((a, b) => a - b);
    const median = ((sorted[4] ?? 0) + (sorted[5] ?? 0)) / 2;
    // The budget holds on a machine that is not running other work; one already loaded several
    // times over (load average above 1.5 per core) gets a looser bound, and says so.
    const busy = loadavg()[0] ?? 0;
    const loaded = busy > availableParallelism() * 1.5;
    console.log(
      `watch rerun after save, ms: ${times.join(", ")}; median ${median}` +
        (loaded ? ` (load average ${busy.toFixed(1)}: bound relaxed to 1500 ms)` : ""),
    );
    expect(text).toContain("expected 'Hey, Ada!' to be 'Hello, Ada!'");
    expect(median).toBeLessThan(loaded ? 1_500 : 400);
  }, 120_000);
});
