import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PatternEntry, type Step, steps, type Workbook } from "../layout";
import {
  leadingComment,
  missingSources,
  mistakeTitle,
  overviewPage,
  patternsTable,
  posixRelative,
  type Section,
  sectionsOf,
  stepLabel,
  stepPage,
} from "./pages";

describe("leadingComment()", () => {
  it("joins a mistake's line comments into prose and finds where its code starts", () => {
    const source = [
      "// Mistake: getInstance() builds a fresh Config on every call,",
      "// so callers never share settings.",
      "// Caught by `returns the same object`.",
      "",
      "export class Config {}",
    ].join("\n");
    expect(leadingComment(source)).toEqual({
      comment:
        "Mistake: getInstance() builds a fresh Config on every call, so callers never share " +
        "settings. Caught by `returns the same object`.",
      codeLine: 5,
    });
  });

  it("keeps paragraphs apart and leaves out biome-ignore lines", () => {
    const source = "// One.\n//\n// Two.\n// biome-ignore lint/x: why\nexport {};\n";
    expect(leadingComment(source)).toEqual({ comment: "One.\n\nTwo.", codeLine: 5 });
  });

  it("reads a leading block comment", () => {
    const source = "/**\n * Wrong: caches the rejection.\n * Caught by `retries`.\n */\nexport {};";
    expect(leadingComment(source)).toEqual({
      comment: "Wrong: caches the rejection. Caught by `retries`.",
      codeLine: 5,
    });
  });

  it("finds no comment in a file that starts with code, and handles CRLF line ends", () => {
    expect(leadingComment("export {};\r\n// later\r\n")).toEqual({ comment: "", codeLine: 1 });
    expect(leadingComment("// Why.\r\nexport {};\r\n")).toEqual({ comment: "Why.", codeLine: 2 });
  });
});

describe("names", () => {
  it("turns a mistake's file name into a title", () => {
    expect(mistakeTitle("/x/mistakes/new-instance-per-call.ts")).toBe("New instance per call");
    expect(mistakeTitle("caches_rejection.ts")).toBe("Caches rejection");
  });

  it("gives relative paths with forward slashes, starting with a dot", () => {
    expect(posixRelative("/a/docs-gen/singleton", "/a/exercises/s/README.md")).toBe(
      "../../exercises/s/README.md",
    );
    expect(posixRelative("/a/docs-gen", "/a/docs-gen/singleton/index.md")).toBe(
      "./singleton/index.md",
    );
  });
});

describe("generated pages", () => {
  let root: string;
  let genDir: string;
  let workbook: Workbook;
  let all: Step[];
  let sections: Section[];

  const greeter: PatternEntry = {
    id: "greeter",
    title: "Greeter",
    summary: "Says `hello`, politely.",
    steps: [
      { dir: "01-greet", title: "Greet", hints: ["Return a string.", "Use a template literal."] },
      { dir: "02-shout", title: "Shout", hints: ["Upper case."] },
    ],
  };
  const silent: PatternEntry = {
    id: "silent",
    title: "Silent",
    summary: "Nothing yet.",
    steps: [],
  };

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "kata-pages-"));
    genDir = join(root, "docs-gen");
    write(
      "exercises/greeter/01-greet/README.md",
      "# Greeter 1: Greet\n\nBuild `greet()`.\n\nRun it.\n",
    );
    write("exercises/greeter/01-greet/greet.ts", "export const greet = () => '';\n");
    write("exercises/greeter/01-greet/greet.spec.ts", "// spec\n");
    write("exercises/greeter/01-greet/greet.test-d.ts", "// type spec\n");
    write(
      "solutions/greeter/01-greet/greet.ts",
      "// Greets.\n// Politely.\n// In English.\nexport const greet = () => 'hello';\n// End.\n",
    );
    write(
      "solutions/greeter/01-greet/mistakes/returns-nothing.ts",
      "// Mistake: returns an empty string.\n// Caught by `says hello`.\n\nexport const greet = () => '';\n",
    );
    write(
      "solutions/greeter/01-greet/mistakes/says-hi.patch",
      [
        "Mistake: says `hi`, not hello.",
        'Caught by: "says hello"',
        "Hint: A greeting is compared word for word.",
        "",
        "--- a/greet.ts",
        "+++ b/greet.ts",
        "@@ -3,3 +3,3 @@",
        " // In English.",
        "-export const greet = () => 'hello';",
        "+export const greet = () => 'hi';",
        " // End.",
        "",
      ].join("\n"),
    );
    write(
      "solutions/greeter/01-greet/approaches/joined.ts",
      [
        "// Approach: Joined parts",
        "//",
        "// - Gains: each part is a value.",
        "// - Costs: an array for one string.",
        "",
        "export const greet = () => ['hel', 'lo'].join('');",
        "",
      ].join("\n"),
    );
    write("exercises/greeter/02-shout/shout.ts", "export {};\n");
    write("exercises/greeter/02-shout/shout.spec.ts", "// spec\n");
    write("patterns/greeter/README.md", "# Greeter\n");
    write(
      "patterns/greeter/demos/hello.ts",
      "/**\n * Greets the world.\n */\nconsole.log('hi');\n",
    );
    workbook = {
      root,
      exercisesDir: join(root, "exercises"),
      solutionsDir: join(root, "solutions"),
      patternsDir: join(root, "patterns"),
      catalog: [greeter, silent],
    };
    all = steps(workbook);
    sections = sectionsOf(workbook, all, genDir);
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const section = () => sections[0] as Section;
  const page = (i: number) => stepPage(workbook, section(), all[i] as Step, genDir);

  it("makes one section per catalog pattern, in catalog order, noting which sources exist", () => {
    expect(sections.map((s) => s.pattern.id)).toEqual(["greeter", "silent"]);
    expect(section()).toMatchObject({
      lesson: join(root, "patterns/greeter/README.md"),
      entryPoint: undefined,
      demos: [{ name: "hello", description: "Greets the world." }],
      overview: join(genDir, "greeter", "index.md"),
    });
  });

  it("names what a section lacks: its lesson, its index.ts, a step's instructions", () => {
    expect(missingSources(workbook, section())).toEqual([
      "greeter: no patterns/greeter/index.ts; the section has no API reference",
      "greeter/02-shout: no exercises/greeter/02-shout/README.md; the step's page has no instructions",
    ]);
    expect(missingSources(workbook, sections[1] as Section)).toEqual([
      "silent: no lesson (patterns/silent/README.md); the section has no lesson page",
      "silent: no patterns/silent/index.ts; the section has no API reference",
    ]);
  });

  it("titles a step page from the catalog, in its frontmatter and its heading", () => {
    const { file, text } = page(0);
    expect(file).toBe(join(genDir, "greeter", "01-greet.md"));
    expect(stepLabel(all[0] as Step)).toBe("1. Greet");
    expect(text.startsWith('---\ntitle: "1. Greet"\n---\n')).toBe(true);
    expect(text).toContain("# Greeter 1: Greet\n");
    expect(text).toContain("step 1 of 2");
  });

  it("includes the step's README from the line after its own title", () => {
    expect(page(0).text).toContain("{@include ../../exercises/greeter/01-greet/README.md:3-5}");
  });

  it("says so when a step has no README", () => {
    expect(page(1).text).toContain(
      "*No instructions yet: exercises/greeter/02-shout/README.md is missing.*",
    );
  });

  it("folds each hint, mildest first", () => {
    const { text } = page(0);
    const first = text.indexOf("<summary>Hint 1</summary>\n\nReturn a string.");
    const second = text.indexOf("<summary>Hint 2</summary>\n\nUse a template literal.");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
  });

  it("pulls in the spec and the type-level spec with includeCode", () => {
    const { text } = page(0);
    expect(text).toContain("{@includeCode ../../exercises/greeter/01-greet/greet.spec.ts}");
    expect(text).toContain("{@includeCode ../../exercises/greeter/01-greet/greet.test-d.ts}");
  });

  it("hides the answer key and each mistake behind a spoiler, with why the mistake fails", () => {
    const { text } = page(0);
    expect(text).toContain('<details class="kata-spoiler kata-answer">');
    expect(text).toContain("{@includeCode ../../solutions/greeter/01-greet/greet.ts}");
    expect(text).toContain("<summary>Spoiler: mistake · Returns nothing</summary>");
    expect(text).toContain("**Why it fails.** Returns an empty string. Caught by `says hello`.");
    // The code without its comment, which is already shown as prose.
    expect(text).toContain(
      "{@includeCode ../../solutions/greeter/01-greet/mistakes/returns-nothing.ts:4-4}",
    );
  });

  it("shows a mistake stored as a patch as its header and a diff against the answer key, with three lines of context where the patch keeps one", () => {
    const { text } = page(0);
    expect(text).toContain("<summary>Spoiler: mistake · Says hi</summary>");
    expect(text).toContain("**Why it fails.** Says `hi`, not hello.");
    expect(text).toContain("**Caught by** says hello.");
    expect(text).toContain("**Hint.** A greeting is compared word for word.");
    expect(text).toContain(
      [
        "```diff",
        "--- a/greet.ts",
        "+++ b/greet.ts",
        "@@ -1,5 +1,5 @@",
        " // Greets.",
        " // Politely.",
        " // In English.",
        "-export const greet = () => 'hello';",
        "+export const greet = () => 'hi';",
        " // End.",
        "```",
      ].join("\n"),
    );
    expect(text.indexOf("Returns nothing")).toBeLessThan(text.indexOf("Says hi"));
  });

  it("shows each other approach behind a spoiler after the mistakes, with its trade-offs", () => {
    const { text } = page(0);
    expect(text).toContain(
      "Solve the step first; in the terminal: `npm run kata -- approaches greeter/01-greet`.",
    );
    expect(text).toContain(
      [
        '<details class="kata-spoiler kata-approach">',
        "<summary>Spoiler: approach · Joined parts</summary>",
        "",
        "- Gains: each part is a value.",
        "- Costs: an array for one string.",
        "",
        '<p class="kata-file"><code>solutions/greeter/01-greet/approaches/joined.ts</code></p>',
        "",
        // The code without its header, which is already shown as prose.
        "{@includeCode ../../solutions/greeter/01-greet/approaches/joined.ts:6-6}",
      ].join("\n"),
    );
    expect(text.indexOf("## Other approaches")).toBeGreaterThan(text.indexOf("Says hi"));
    expect(text.indexOf("## Other approaches")).toBeLessThan(text.indexOf("kata-step-nav"));
    expect(page(1).text).not.toContain("## Other approaches");
  });

  it("has no spoiler section when a step has neither an answer key nor a mistake", () => {
    expect(page(1).text).not.toContain("## Spoilers");
  });

  it("links the previous and next steps and the section", () => {
    expect(page(0).text).toContain('<a href="./02-shout.md">2. Shout</a> →');
    expect(page(1).text).toContain('← <a href="./01-greet.md">1. Greet</a>');
    expect(page(1).text).toContain('<a href="./index.md">Greeter: all steps</a>');
  });

  it("gives the overview the lesson link, the steps, the demos, and no API heading without index.ts", () => {
    const { text } = overviewPage(workbook, section(), genDir);
    expect(text.startsWith("Says <code>hello</code>, politely.")).toBe(true);
    expect(text).toContain('class="kata-lesson-link" href="../../patterns/greeter/README.md"');
    expect(text).toContain("| 1 | [Greet](./01-greet.md) | `greet.ts` |");
    expect(text).toContain("| `npm run demo hello` | Greets the world. |");
    expect(text).not.toContain("## API reference");
  });

  it("says so when a pattern has no lesson yet", () => {
    expect(overviewPage(workbook, sections[1] as Section, genDir).text).toContain(
      "*The lesson for this pattern is not written yet.*",
    );
  });

  it("lists the patterns on the home page in catalog order, with their ids", () => {
    const { text } = patternsTable(sections, join(genDir, "patterns.md"));
    expect([...text.matchAll(/data-pattern="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "greeter",
      "silent",
    ]);
    expect(text).toContain('<a href="./greeter/index.md">Greeter</a>');
    expect(text).toContain("<td>Says <code>hello</code>, politely.</td><td>2</td>");
  });
});
