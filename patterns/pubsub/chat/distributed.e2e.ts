/**
 * The distributed chat in a real browser (Debian's Chromium through playwright-core): two chat
 * servers share their rooms through a redis-server started for the test (kata/services.ts), one
 * page opens on each server, and a line typed on one appears on the other. Run by
 * `npm run test:e2e`, not by `npm test` or `npm run verify`, which must not need a browser.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../../../kata/browser";
import { type RedisService, startRedis } from "../../../kata/services";
import { type ChatServer, startChatServer } from "./server";

let redis: RedisService;
let servers: ChatServer[] = [];
let browser: Browser;

beforeAll(async () => {
  redis = await startRedis();
  servers = await Promise.all(
    [1, 2].map((n) => startChatServer({ port: 0, redis: redis.url, node: `page${n}` })),
  );
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => server.close()));
  await redis?.stop();
});

/** A fresh page on `server`, named `name`, in the lobby. */
async function open(server: ChatServer, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(server.url);
  await page.locator("#status", { hasText: "connected as" }).waitFor({ timeout: 5_000 });
  await page.fill("#name", name);
  await page.click("#name-form button");
  await page.locator("#status", { hasText: `connected as ${name}` }).waitFor({ timeout: 5_000 });
  await page.click('#rooms button[data-room="lobby"]');
  await page.locator("#messages li.notice", { hasText: "you joined" }).waitFor();
  return page;
}

describe("the chat on two servers", () => {
  it("shows a line typed on a page of one server on a page of the other", async () => {
    const [a, b] = servers as [ChatServer, ChatServer];
    const ada = await open(a, "Ada");
    const bob = await open(b, "Bob");
    // Bob's joining crossed to Ada's server; Bob's page listed Ada, who is on the other server.
    await ada.locator("#messages li.notice", { hasText: "Bob joined" }).waitFor({ timeout: 5_000 });
    expect(
      await bob.locator("#messages li.notice", { hasText: "you joined" }).textContent(),
    ).toContain("Ada");

    await ada.fill("#text", "hello from server A");
    await ada.click("#send-form button[type=submit]");

    const line = bob.locator("#messages li.message", { hasText: "hello from server A" });
    await line.waitFor({ timeout: 5_000 });
    expect(await line.locator(".name").textContent()).toBe("Ada");
    expect(await line.getAttribute("class")).toBe("message"); // not Bob's own
  });
});
