/**
 * The jobs dashboard in a real browser (Debian's Chromium through playwright-core): the demo runs
 * in a child process (`npm run demo jobs -- --dashboard --port 0`, the in-memory queue), the
 * page opens 420 px wide, and the test watches the numbers and the chart move as the demo's
 * batches run. It waits for what it expects to see, never for a length of time. Run by
 * `npm run test:e2e`, not by `npm test` or `npm run verify`, which must not need a browser.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../../../kata/browser";

const WAIT = 60_000;
const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let demo: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const script = fileURLToPath(new URL("../demos/jobs.ts", import.meta.url));
  demo = spawn(process.execPath, ["--import", "tsx", script, "--dashboard", "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = "";
    demo.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /dashboard: (http:\/\/\S+\/)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    demo.once("exit", (code) => reject(new Error(`the demo exited with ${code}:\n${out}`)));
  });
  browser = await launchBrowser();
  // bypassCSP: the page's policy allows its own scripts only, and axe-core is injected.
  const context = await browser.newContext({
    viewport: { width: 420, height: 900 },
    bypassCSP: true,
  });
  page = await context.newPage();
  await page.goto(url);
}, WAIT);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once("exit", resolve));
    demo.kill("SIGTERM");
    await exited;
  }
});

const number = async (id: string) => Number(await page.locator(`#${id}`).textContent());

/** Resolves once `read()` returns something other than `before`. */
async function changes<T>(read: () => Promise<T>, before: T): Promise<T> {
  for (;;) {
    const now = await read();
    if (now !== before) return now;
    await page.waitForTimeout(100);
  }
}

describe("the jobs dashboard", () => {
  it(
    "goes live and counts jobs as they succeed, retry and die",
    async () => {
      await page.locator("#status", { hasText: "Live" }).waitFor({ timeout: WAIT });
      const first = await number("succeeded");
      const later = await changes(() => number("succeeded"), first);
      expect(later).toBeGreaterThan(first);
      // Every batch has bob's two retries and two dead letters (mallory, dave).
      await page.waitForFunction(
        'Number(document.querySelector("#retried")?.textContent) >= 2',
        undefined,
        { timeout: WAIT },
      );
      await page.waitForFunction(
        'Number(document.querySelector("#dead")?.textContent) >= 2',
        undefined,
        { timeout: WAIT },
      );
      expect(await number("enqueued")).toBeGreaterThanOrEqual(5);
      await page.locator("#log li.succeeded").first().waitFor({ timeout: WAIT });
    },
    WAIT,
  );

  it(
    "moves the batch's progress bar, fed by the task monitor",
    async () => {
      await page.waitForFunction('document.querySelector("#progress")?.max === 5', undefined, {
        timeout: WAIT,
      });
      const text = () => page.locator("#progress-text").textContent();
      const before = await text();
      expect(await changes(text, before)).toMatch(/^\d of 5 done/);
    },
    WAIT,
  );

  it(
    "draws the last minute in the chart, and keeps it moving",
    async () => {
      await page.waitForFunction(
        'Number(document.querySelector("#chart")?.dataset.total) > 0',
        undefined,
        { timeout: WAIT },
      );
      const points = () => page.locator("#line-succeeded").getAttribute("points");
      const before = await points();
      expect((before ?? "").split(" ")).toHaveLength(60);
      // Each second shifts the series left by one: the line is redrawn.
      expect(await changes(points, before)).not.toBe(before);
    },
    WAIT,
  );

  it(
    "fits 420 px without scrolling sideways, and passes axe-core",
    async () => {
      const widths = await page.evaluate<{ page: number; viewport: number }>(
        "({ page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth })",
      );
      expect(widths.page).toBeLessThanOrEqual(widths.viewport);
      // The progress bar is named by its label.
      expect(await page.getByRole("progressbar", { name: /done|No batch yet/ }).count()).toBe(1);

      await page.addScriptTag({ path: axeScript });
      const violations = await page.evaluate<{ id: string; impact: string }[]>(
        `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))`,
      );
      expect(violations).toEqual([]);
    },
    WAIT,
  );
});
