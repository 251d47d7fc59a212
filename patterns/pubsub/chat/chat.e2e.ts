/**
 * The chat page in a real browser (Debian's Chromium through playwright-core): two pages join
 * the lobby, one sends a line, the other sees it arrive. Run by `npm run test:e2e`, not by
 * `npm test` or `npm run verify`, which must not need a browser.
 */
import type { Browser, Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { launchBrowser } from "../../../kata/browser";
import { type ChatServer, startChatServer } from "./server";

let server: ChatServer;
let browser: Browser;

beforeEach(async () => {
  server = await startChatServer({ port: 0, host: "127.0.0.1" });
  browser = await launchBrowser();
});

afterEach(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page (its own context: no shared storage) connected and named `name`. */
async function open(name: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator("#status", { hasText: "connected as" }).waitFor({ timeout: 5_000 });
  await page.fill("#name", name);
  await page.click("#name-form button");
  await page.locator("#status", { hasText: `connected as ${name}` }).waitFor({ timeout: 5_000 });
  return page;
}

async function join(page: Page, room: string): Promise<void> {
  await page.click(`#rooms button[data-room="${room}"]`);
  await page.locator("#messages li.notice", { hasText: "you joined" }).first().waitFor();
  await expect(page.locator(`#rooms button[data-room="${room}"]`).textContent()).resolves.toBe(
    "Leave",
  );
}

describe("the chat page", () => {
  it("delivers a line sent from one page to another page in the same room", async () => {
    const ada = await open("Ada");
    const bob = await open("Bob");
    await join(ada, "lobby");
    await join(bob, "lobby");

    await ada.fill("#text", "hello from Ada <b>not bold</b>");
    await ada.click("#send-form button[type=submit]");

    const line = bob.locator("#messages li.message", { hasText: "hello from Ada" });
    await line.waitFor({ timeout: 5_000 });
    expect(await line.locator(".name").textContent()).toBe("Ada");
    // Rendered as text, never as markup.
    expect(await line.locator(".text").textContent()).toBe("hello from Ada <b>not bold</b>");
    expect(await line.locator("b").count()).toBe(0);
    // Ada joined with echo: she sees her own line, marked as hers.
    await ada.locator("#messages li.message.own", { hasText: "hello from Ada" }).waitFor();
  });

  it("stops delivering to a page that left the room", async () => {
    const ada = await open("Ada");
    const bob = await open("Bob");
    await join(ada, "lobby");
    await join(bob, "lobby");

    await bob.click('#rooms button[data-room="lobby"]');
    await bob.locator("#messages li.notice", { hasText: "you left" }).waitFor();
    await ada.locator("#messages li.notice", { hasText: "Bob left" }).waitFor();
    await ada.fill("#text", "anyone there?");
    await ada.click("#send-form button[type=submit]");
    await ada.locator("#messages li.message.own", { hasText: "anyone there?" }).waitFor();

    expect(await bob.locator("#messages li.message").count()).toBe(0);
  });

  it("wraps a long line without spaces, and the sidebar stays on screen", async () => {
    const ada = await open("Ada");
    const bob = await open("Bob");
    await join(ada, "lobby");
    await join(bob, "lobby");
    await bob.setViewportSize({ width: 900, height: 700 });

    await ada.fill("#text", "x".repeat(1000));
    await ada.click("#send-form button[type=submit]");
    const line = bob.locator("#messages li.message", { hasText: "xxxx" });
    await line.waitFor({ timeout: 5_000 });

    const layout = (await bob.evaluate(`(() => {
      const aside = document.querySelector("aside").getBoundingClientRect();
      const line = document.querySelector("#messages li.message");
      return {
        viewport: window.innerWidth,
        page: document.documentElement.scrollWidth,
        asideLeft: aside.left,
        asideRight: aside.right,
        lineOverflow: line.scrollWidth - line.clientWidth,
        lineHeight: line.getBoundingClientRect().height,
      };
    })()`)) as Record<string, number>;
    expect(layout.page).toBeLessThanOrEqual(layout.viewport ?? 0);
    expect(layout.asideLeft).toBeGreaterThanOrEqual(0);
    expect(layout.asideRight).toBeLessThanOrEqual(layout.viewport ?? 0);
    expect(layout.lineOverflow).toBe(0);
    expect(layout.lineHeight).toBeGreaterThan(40); // wrapped onto several lines
  });
});
