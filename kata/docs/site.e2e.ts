/**
 * The docs site, tested in a browser (`npm run test:docs`; CI runs it in `npm run test:e2e`).
 * Builds the site, serves it on an ephemeral port and drives Debian's Chromium through
 * playwright-core (kata/browser.ts; nothing here downloads a browser). Screenshots of the home
 * page and of a lesson, and of every lesson and step page at each width a reader is likely to
 * have (`reports/docs/<width>/<page>.png`), are written to `reports/docs/` (git-ignored; CI keeps
 * the folder as an artifact) for review. Every lesson and step page is audited with axe-core.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../browser";
import { loadWorkbook, repoRoot } from "../layout";
import { type BuildResult, buildDocs, describeBuild } from "./build";
import { type RunningServer, serveSite } from "./serve";

const screenshots = join(repoRoot, "reports", "docs");
/** A phone, a tablet, a laptop. */
const widths = [420, 768, 1280] as const;
const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
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

/** The lesson and the step pages of every pattern (`documents/Observer_(synchronous).Lesson.html`). */
const lessonAndStepPages = (): string[] =>
  pagesOnDisk().filter((p) => /^documents\/[^/]+\.(Lesson|\d+\._[^/]*)\.html$/.test(p));

/** What a page looks like at the current width: overflow, tables, diagrams. */
interface Layout {
  viewport: number;
  pageWidth: number;
  /** Tables wider than the column that do not scroll inside a box of their own. */
  looseTables: string[];
  /** Tables that scroll in their box, but the box cannot be focused to scroll with the keyboard. */
  unfocusableBoxes: string[];
  /** Diagrams whose text is scaled below 0.7 of its size (mermaid's 16 px: under 11 px). */
  tinyDiagrams: string[];
}

const layoutInPage = `(() => {
  const column = document.querySelector(".tsd-typography")?.closest(".col-content") ?? document.body;
  const right = column.getBoundingClientRect().right + 1;
  const name = (table) => (table.querySelector("th")?.textContent ?? "").trim().slice(0, 30);
  const tables = [...document.querySelectorAll(".col-content table")];
  return {
    viewport: document.documentElement.clientWidth,
    pageWidth: document.documentElement.scrollWidth,
    looseTables: tables
      .filter((t) => {
        const box = t.closest(".kata-scroll");
        return !box || box.getBoundingClientRect().right > right || t.getBoundingClientRect().width > box.clientWidth + 1 && box.scrollWidth <= box.clientWidth + 1;
      })
      .map((t) => name(t) + " (" + Math.round(t.getBoundingClientRect().width) + " px)"),
    unfocusableBoxes: tables
      .map((t) => t.closest(".kata-scroll"))
      .filter((box) => box && box.scrollWidth > box.clientWidth + 1 && box.tabIndex < 0)
      .map((box) => name(box)),
    tinyDiagrams: [...document.querySelectorAll("figure.kata-diagram > svg")]
      .filter((svg) => {
        const natural = Number(svg.dataset.natural) || svg.viewBox.baseVal.width;
        return natural > 0 && svg.getBoundingClientRect().width / natural < 0.7;
      })
      .map((svg) => svg.closest("figure").dataset.diagram),
  };
})()`;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

describe.each(widths)("the docs site at %i px", (width) => {
  it("fits every lesson and step page, scrolls wide tables in their box, passes axe-core", {
    timeout: 900_000,
  }, async () => {
    const pages = lessonAndStepPages();
    // every step has a page, and the patterns have lessons
    expect(pages.length).toBeGreaterThan(catalog.reduce((n, p) => n + p.steps.length, 0));
    const folder = join(screenshots, String(width));
    mkdirSync(folder, { recursive: true });
    const sized = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await sized.newPage();
    const problems: string[] = [];
    for (const path of pages) {
      await open(page, path);
      const layout = await page.evaluate<Layout>(layoutInPage);
      if (layout.pageWidth > layout.viewport)
        problems.push(`${path}: the page is ${layout.pageWidth} px wide in ${layout.viewport}`);
      for (const t of layout.looseTables) problems.push(`${path}: table ${t} overflows its column`);
      for (const t of layout.unfocusableBoxes)
        problems.push(`${path}: table ${t} scrolls but its box cannot be focused`);
      for (const d of layout.tinyDiagrams)
        problems.push(`${path}: diagram ${d} is scaled below a readable size`);

      await page.addScriptTag({ path: axeScript });
      const violations = await page.evaluate<AxeViolation[]>(
        `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)`,
      );
      for (const v of violations) {
        if (v.impact !== "serious" && v.impact !== "critical") continue;
        const where = v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join("; ");
        problems.push(`${path}: axe ${v.impact} ${v.id} (${v.help}) at ${where}`);
      }
      const file = path.replace(/^documents\//, "").replace(/\.html$/, ".png");
      // The first screen of each page: full-page shots of pages 40 000 px tall cost seconds each
      // and shrink to nothing in a viewer; the checks above measured the whole page already.
      await page.screenshot({ path: join(folder, file), timeout: 120_000 });
    }
    await sized.close();
    expect(problems).toEqual([]);
  });
});

describe("a diagram's zoom dialog", () => {
  it("shows the whole diagram at full size, scrolling, and says so", async () => {
    const sized = await browser.newContext({ viewport: { width: 768, height: 900 } });
    const page = await sized.newPage();
    const lessons = lessonAndStepPages().filter((p) => p.endsWith(".Lesson.html"));
    let zoomed = false;
    for (const path of lessons) {
      await open(page, path);
      const zoomable = page.locator("figure.kata-diagram-zoomable").first();
      if ((await zoomable.count()) === 0) continue;
      await zoomable.click();
      const dialog = page.locator("dialog.kata-diagram-dialog[open]");
      await dialog.waitFor();
      expect(await dialog.innerText()).toMatch(/scroll/i);
      const fit = await page.evaluate<{
        right: number;
        viewport: number;
        scrolls: boolean;
      }>(`(() => {
        const view = document.querySelector("dialog[open] .kata-diagram-dialog-view");
        return {
          right: document.querySelector("dialog[open]").getBoundingClientRect().right,
          viewport: document.documentElement.clientWidth,
          scrolls: view.scrollWidth > view.clientWidth && getComputedStyle(view).overflowX === "scroll",
        };
      })()`);
      expect(fit.right).toBeLessThanOrEqual(fit.viewport);
      expect(fit.scrolls, `${path}: the full-size diagram should scroll in the dialog`).toBe(true);
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: join(screenshots, "zoom-dialog.png") });
      await page.getByRole("button", { name: "Close" }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      zoomed = true;
      break;
    }
    await sized.close();
    expect(zoomed, "no lesson has a diagram wider than the column at 768 px").toBe(true);
  });
});
