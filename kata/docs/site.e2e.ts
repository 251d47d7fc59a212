/**
 * The docs site, tested in a browser (`npm run test:docs`; CI runs it in `npm run test:e2e`).
 * Builds the site, serves it on an ephemeral port and drives Debian's Chromium through
 * playwright-core (kata/browser.ts; nothing here downloads a browser). Screenshots of the home
 * page and of a lesson are written to `reports/docs/` (git-ignored) for review.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../browser";
import { loadWorkbook, repoRoot } from "../layout";
import { type BuildResult, buildDocs, describeBuild } from "./build";
import { type RunningServer, serveSite } from "./serve";

const screenshots = join(repoRoot, "reports", "docs");
const { catalog } = await loadWorkbook();

let site: BuildResult;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
/** Requests for anything outside the site: a CDN, a web font. The site must work offline. */
const outside: string[] = [];

beforeAll(async () => {
  site = await buildDocs();
  console.info(`docs: ${describeBuild(site)}`);
  server = await serveSite(site.out, 0);
  browser = await launchBrowser();
  context = await offlineContext();
}, 120_000);

/**
 * A browser context that records every request for something outside the site (a CDN, a web
 * font) in `outside`: the site must work offline. Listening is enough, and cheaper than routing.
 */
async function offlineContext(): Promise<BrowserContext> {
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const origin = new URL(server.url).origin;
  fresh.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== "data:") outside.push(url.href);
  });
  return fresh;
}

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * What the tests ask the page itself, as expressions evaluated in the browser (the repository's
 * compiler settings have no DOM types, and they should not: only this file runs code there).
 */
const inPage = {
  /** typedoc hides the page until its script has set it up. */
  shown: `document.body.style.display !== "none"`,
  /** site.js marks a diagram busy until mermaid has rendered it (or reported it broken). */
  diagramsDone: `document.querySelector(".kata-diagram[aria-busy]") === null`,
  /** typedoc's search index has loaded. */
  searchReady: `"searchData" in window`,
  idsAndLinks: `({
    ids: [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.getAttribute("name")),
    hrefs: [...document.querySelectorAll("a[href]")].map((a) => a.href),
  })`,
  patternRows: `[...document.querySelectorAll("table.kata-patterns tr[data-pattern]")].map((tr) => ({
    id: tr.dataset.pattern,
    href: tr.querySelector("a").getAttribute("href"),
  }))`,
} as const;

/** Every HTML page of the site, as URL paths (`documents/Getting_started.html`). */
const pagesOnDisk = (): string[] =>
  readdirSync(site.out, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".html"))
    .map((f) => f.split(sep).join("/"))
    .sort();

/** Console errors, uncaught exceptions and failed requests, while `page` is open. */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "";
    // Aborted by moving on to the next page (the favicon, a late script): not the site's fault.
    if (reason !== "net::ERR_ABORTED") errors.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return errors;
}

/** Opens `path` and waits until typedoc has shown the page and every diagram has rendered. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(new URL(path, server.url).href, { waitUntil: "load" });
  await page.waitForFunction(inPage.shown);
  await page.waitForFunction(inPage.diagramsDone, undefined, { timeout: 15_000 });
}

describe("the docs build", () => {
  it("reports no problem (typedoc validation, missing lessons, references or instructions)", () => {
    expect(site.problems).toEqual([]);
  });

  it("writes a home page and a page per guide, pattern and kata step", () => {
    const pages = pagesOnDisk();
    expect(pages).toContain("index.html");
    const steps = catalog.reduce((n, p) => n + p.steps.length, 0);
    // guides (2) + Contributing + one module page per pattern + one page per step, at least
    expect(pages.length).toBeGreaterThanOrEqual(1 + 3 + catalog.length + steps);
    expect(site.pages).toBe(pages.length);
  });
});

describe("the docs site in Chromium", () => {
  it("loads every page without a console error, and every internal link resolves", {
    timeout: 300_000,
  }, async () => {
    const problems: string[] = [];
    const pages = new Set(pagesOnDisk());
    const anchors = new Map<string, Set<string>>();
    const links = new Map<string, Set<string>>(); // target URL → pages linking to it
    const origin = new URL(server.url).origin;

    // A few tabs at once: each takes the next page until none is left.
    const queue = [...pages];
    const visit = async () => {
      const page = await context.newPage();
      const errors = watchForErrors(page);
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        errors.length = 0;
        await open(page, path);
        const found = await page.evaluate<{ ids: string[]; hrefs: string[] }>(inPage.idsAndLinks);
        problems.push(...errors.map((e) => `${path}: ${e}`));
        anchors.set(path, new Set(found.ids));
        for (const href of found.hrefs) {
          if (!href.startsWith(origin)) continue;
          const from = links.get(href) ?? new Set<string>();
          from.add(path);
          links.set(href, from);
        }
      }
      await page.close();
    };
    await Promise.all([visit(), visit()]);

    for (const [href, from] of links) {
      const url = new URL(href);
      const path = decodeURIComponent(url.pathname.replace(/^\//, "")) || "index.html";
      const where = `linked from ${[...from].slice(0, 3).join(", ")}`;
      if (path.endsWith(".html") || path.endsWith("/")) {
        const target = path.endsWith("/") ? `${path}index.html` : path;
        if (!pages.has(target)) {
          problems.push(`broken link ${url.pathname} (${where})`);
        } else if (url.hash.length > 1) {
          const id = decodeURIComponent(url.hash.slice(1));
          if (!anchors.get(target)?.has(id)) {
            problems.push(`broken anchor ${url.pathname}${url.hash} (${where})`);
          }
        }
      } else {
        const response = await fetch(href, { method: "HEAD" });
        if (!response.ok)
          problems.push(`broken link ${url.pathname}: ${response.status} (${where})`);
      }
    }
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    expect(links.size).toBeGreaterThan(pages.size);
  });

  it("finds Observer with the search box", async () => {
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await open(page, "index.html");
    await page.waitForFunction(inPage.searchReady);
    await page.click("#tsd-search-trigger");
    await page.fill("#tsd-search-input", "Observer");
    const results = page.locator("#tsd-search-results li");
    await results.first().waitFor();
    const texts = await results.allInnerTexts();
    expect(texts.some((t) => /observer/i.test(t))).toBe(true);

    // The first result leads to a page that loads.
    await results.first().locator("a").click();
    await page.waitForLoadState("load");
    expect(new URL(page.url()).pathname).not.toBe("/index.html");
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(catalog.map((p) => [p.id]))(
    "shows %s's structure diagram on its lesson as a rendered SVG",
    async (id) => {
      const page = await context.newPage();
      const errors = watchForErrors(page);
      await open(page, "index.html");
      const section = page.locator(`table.kata-patterns tr[data-pattern="${id}"] a`);
      await expect
        .poll(() => section.count(), { message: `no row for ${id} on the home page` })
        .toBe(1);
      await section.click();
      await page.waitForLoadState("load");
      const lesson = page.locator("a.kata-lesson-link");
      expect(await lesson.count(), `${id} has no lesson (patterns/${id}/README.md)`).toBe(1);
      await lesson.click();
      await open(page, new URL(page.url()).pathname);

      const diagrams = page.locator("figure.kata-diagram");
      expect(
        await diagrams.count(),
        `no \`\`\`mermaid block in patterns/${id}/README.md`,
      ).toBeGreaterThan(0);
      expect(await page.locator("figure.kata-diagram-error").allInnerTexts()).toEqual([]);
      expect(await page.locator("figure.kata-diagram > svg").count()).toBe(await diagrams.count());
      const box = await page.locator("figure.kata-diagram > svg").first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(50);
      expect(box?.height ?? 0).toBeGreaterThan(30);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it("writes screenshots of the home page and of a lesson for review", async () => {
    mkdirSync(screenshots, { recursive: true });
    // A fresh context: the sidebar as a first-time reader sees it, not as the tests left it.
    const fresh = await offlineContext();
    const page = await fresh.newPage();
    await open(page, "index.html");
    await page.screenshot({ path: join(screenshots, "home.png"), fullPage: true });

    const rows = await page.evaluate<{ id: string; href: string }[]>(inPage.patternRows);
    let shot: string | undefined;
    for (const { id, href } of rows) {
      await open(page, new URL(href, page.url()).pathname);
      const lesson = await page
        .locator("a.kata-lesson-link")
        .getAttribute("href", { timeout: 1000 })
        .catch(() => null);
      if (!lesson) continue;
      await open(page, new URL(lesson, page.url()).pathname);
      shot = join(screenshots, `lesson-${id}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      break;
    }
    await fresh.close();
    expect(shot, "no pattern has a lesson to screenshot").toBeDefined();
    console.info(
      `docs: screenshots in ${relative(repoRoot, screenshots)}/ (home.png${shot ? `, ${relative(screenshots, shot)}` : ""})`,
    );
  });
});
