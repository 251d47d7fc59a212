/**
 * `buildDocs()` on a small workbook made for the purpose (`npm run test:docs`): what it builds
 * and what it reports. Slower than a unit spec (typedoc runs for real), so it lives with the
 * browser tests rather than in `npm run verify`.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildResult, buildDocs } from "./build";

let root: string;
let result: BuildResult;

const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

const catalog = `
export const catalog = [
  {
    id: "greeter",
    title: "Greeter",
    summary: "Says hello.",
    steps: [{ dir: "01-greet", title: "Greet", hints: ["Return a string."] }],
  },
  { id: "absent", title: "Absent", summary: "Not written yet.", steps: [] },
];
`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "kata-docs-build-"));
  write("exercises/catalog.ts", catalog);
  write("exercises/greeter/01-greet/README.md", "# Greeter 1: Greet\n\nWrite `greet()`.\n");
  write("exercises/greeter/01-greet/greet.ts", "export const greet = (): string => '';\n");
  write("exercises/greeter/01-greet/greet.spec.ts", "// the spec\n");
  write("solutions/greeter/01-greet/greet.ts", "export const greet = (): string => 'hello';\n");
  write(
    "solutions/greeter/01-greet/mistakes/empty.ts",
    "// Returns nothing. Caught by `says hello`.\nexport const greet = (): string => '';\n",
  );
  write(
    "patterns/greeter/greet.ts",
    [
      "// #region greet",
      "/** Greets `name`. */",
      "export function greet(name: string): string {",
      '  return "hello " + name;',
      "}",
      "// #endregion greet",
      "",
      "export const undocumented = 1;",
      "",
    ].join("\n"),
  );
  write("patterns/greeter/index.ts", 'export { greet, undocumented } from "./greet";\n');
  write(
    "patterns/greeter/README.md",
    [
      "# Greeter",
      "",
      "```mermaid",
      "classDiagram",
      "  class Greeter",
      "```",
      "",
      "{@includeCode ./greet.ts#greet}",
      "",
      "{@includeCode ./greet.ts#missing-region}",
      "",
    ].join("\n"),
  );
  write("docs/index.md", "# Home\n\n<!-- kata:patterns -->\n\nThe end.\n");
  write("docs/getting-started.md", "# Getting started\n");
  write("docs/classroom.md", "# Classroom guide\n");
  result = await buildDocs({ root });
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("buildDocs()", () => {
  it("writes the site even when it reports problems, and says it is not ok", () => {
    expect(existsSync(join(root, "site", "index.html"))).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.out).toBe(join(root, "site"));
    expect(result.pages).toBeGreaterThan(5);
    expect(result.bytes).toBeGreaterThan(1_000_000); // mermaid alone is over a megabyte
    expect(result.seconds).toBeGreaterThan(0);
  });

  it("reports a catalog pattern without a lesson or an index.ts", () => {
    expect(result.problems).toContain(
      "absent: no lesson (patterns/absent/README.md); the section has no lesson page",
    );
    expect(result.problems).toContain(
      "absent: no patterns/absent/index.ts; the section has no API reference",
    );
  });

  it("reports typedoc's validation warnings: an undocumented export", () => {
    expect(
      result.problems.some((p) =>
        /warning: .*undocumented.*does not have any documentation/.test(p),
      ),
    ).toBe(true);
  });

  it("reports an includeCode region that does not exist, naming the lesson", () => {
    const problem = result.problems.find((p) => p.includes("missing-region"));
    expect(problem).toMatch(/^typedoc error: /);
    expect(problem).toContain("patterns/greeter/greet.ts");
  });

  it("pulls the reference's code into the lesson and keeps the diagram for the browser", () => {
    const lesson = readFileSync(join(root, "site", "documents", "Greeter.Lesson.html"), "utf8");
    expect(lesson).toContain('<code class="mermaid">classDiagram');
    expect(lesson).toMatch(/greet<\/span>.*hello /s);
  });

  it("lists the catalog's patterns on the home page, where docs/index.md asks for them", () => {
    const home = readFileSync(join(root, "site", "index.html"), "utf8");
    const table = home.indexOf('<table class="kata-patterns">');
    expect(table).toBeGreaterThan(home.indexOf("<h1"));
    expect(table).toBeLessThan(home.indexOf("The end."));
    expect([...home.matchAll(/data-pattern="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "greeter",
      "absent",
    ]);
    expect(home).toContain('<a href="modules/Greeter.html">Greeter</a>');
  });

  it("leaves no build folder behind", () => {
    expect(readdirSync(join(root, "docs-gen"))).toEqual([]);
  });

  it("lets two builds run at once without spoiling each other's site", async () => {
    const both = await Promise.all([buildDocs({ root }), buildDocs({ root })]);
    for (const other of both) {
      expect(other.problems.filter((p) => p.startsWith("docs:"))).toEqual([]);
      expect(other.pages).toBe(result.pages);
    }
    expect(existsSync(join(root, "site", "index.html"))).toBe(true);
    expect(readdirSync(join(root, "docs-gen"))).toEqual([]);
  });

  it("copies mermaid into the site, so diagrams need no CDN", () => {
    expect(existsSync(join(root, "site", "assets", "mermaid.min.js"))).toBe(true);
    expect(existsSync(join(root, "site", "assets", "custom.js"))).toBe(true);
  });

  it("gives each step a page and each pattern a section, even one with nothing written", () => {
    expect(existsSync(join(root, "site", "documents", "Greeter.1._Greet.html"))).toBe(true);
    expect(existsSync(join(root, "site", "modules", "Greeter.html"))).toBe(true);
    expect(existsSync(join(root, "site", "modules", "Absent.html"))).toBe(true);
  });
});
