/**
 * The docs site's generated pages: one overview per pattern and one page per kata step, written
 * from the catalog and the step folders into a git-ignored folder (`docs-gen/`) that typedoc then
 * reads. Nothing is pasted from the sources: instructions, specs, answer keys and mistakes are
 * pulled in by typedoc's `{@include}` / `{@includeCode}` tags, so the site shows the real files.
 *
 * Everything here is a pure function of the workbook on disk (no typedoc), so the page logic is
 * unit-tested on its own (pages.spec.ts).
 */

import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { readApproach } from "../approaches";
import { listFiles, type PatternEntry, type Step, type Workbook } from "../layout";
import { applyMistake, isPatch, mistakeName, parseHeader, splitLeadingComment } from "../mistakes";

/** A pattern as the site shows it: its catalog entry and which of its sources exist. */
export interface Section {
  readonly pattern: PatternEntry;
  /** `patterns/<id>/README.md`, or `undefined` while the lesson is not written. */
  readonly lesson: string | undefined;
  /** `patterns/<id>/index.ts`, the API reference's entry point, when it exists. */
  readonly entryPoint: string | undefined;
  readonly steps: readonly Step[];
  readonly demos: readonly Demo[];
  /** Where the section's overview page is generated: `<gen>/<id>/index.md`. */
  readonly overview: string;
}

/** A runnable demo: `npm run demo <name>`. */
export interface Demo {
  readonly name: string;
  readonly description: string;
}

/** One generated Markdown file. */
export interface GeneratedPage {
  readonly file: string;
  readonly text: string;
}

/** `path` relative to `fromDir`, POSIX style and starting with `.` (as typedoc tags want it). */
export const posixRelative = (fromDir: string, path: string): string => {
  const rel = relative(fromDir, path).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
};

/** `exercises/singleton/01-one-instance/singleton.ts`: a path as prose shows it. */
export const repoPath = (workbook: Workbook, file: string): string =>
  relative(workbook.root, file).split(sep).join("/");

/** The step's page, beside its section's overview: `<gen>/<pattern>/<NN-step>.md`. */
export const stepPagePath = (genDir: string, step: Step): string =>
  join(genDir, step.pattern.id, `${step.entry.dir}.md`);

/** The step's number in its pattern, from its folder name (`02-lazy` → 2). */
export const stepNumber = (step: Step): number =>
  Number.parseInt(step.entry.dir, 10) || step.pattern.steps.indexOf(step.entry) + 1;

/** The step's name in the sidebar: `2. Lazy and resettable`. */
export const stepLabel = (step: Step): string => `${stepNumber(step)}. ${step.entry.title}`;

/** `new-instance-per-call.ts` (or `.patch`) → `New instance per call`. */
export const mistakeTitle = (file: string): string => {
  const words = mistakeName(file).split(/[-_]+/).filter(Boolean).join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * A mistake file's leading comment (what is wrong and which test catches it), as prose, and the
 * 1-based line its code starts on. Line comments (`// …`) and a leading block comment are
 * understood; `biome-ignore` lines are tooling, not prose. Paragraphs survive; line breaks
 * inside a paragraph do not.
 */
export function leadingComment(source: string): { comment: string; codeLine: number } {
  const { prose, codeIndex } = splitLeadingComment(source);
  const comment = prose
    .join("\n")
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.replace(/\s*\n\s*/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
  return { comment, codeLine: codeIndex + 1 };
}

/** The demos of a pattern (`patterns/<id>/demos/*.ts`), described by their leading comment. */
export function demosOf(workbook: Workbook, pattern: PatternEntry): Demo[] {
  return listFiles(join(workbook.patternsDir, pattern.id, "demos"), (n) => n.endsWith(".ts")).map(
    (file) => ({
      name: basename(file, ".ts"),
      description: (/\/\*\*?\s*\n?\s*\*?\s*(.+)/.exec(readFileSync(file, "utf8"))?.[1] ?? "")
        .replace(/\*\/.*$/, "")
        .trim(),
    }),
  );
}

/** The site's sections, one per catalog pattern, in catalog order. */
export function sectionsOf(
  workbook: Workbook,
  allSteps: readonly Step[],
  genDir: string,
): Section[] {
  return workbook.catalog.map((pattern) => {
    const dir = join(workbook.patternsDir, pattern.id);
    const lesson = join(dir, "README.md");
    const entryPoint = join(dir, "index.ts");
    return {
      pattern,
      lesson: existsSync(lesson) ? lesson : undefined,
      entryPoint: existsSync(entryPoint) ? entryPoint : undefined,
      steps: allSteps.filter((s) => s.pattern.id === pattern.id),
      demos: demosOf(workbook, pattern),
      overview: join(genDir, pattern.id, "index.md"),
    };
  });
}

/** What a section lacks, one problem line each (`verify` reports them under "docs"). */
export function missingSources(workbook: Workbook, section: Section): string[] {
  const { id } = section.pattern;
  const dir = join(workbook.patternsDir, id);
  const problems: string[] = [];
  if (!section.lesson) {
    problems.push(
      `${id}: no lesson (${repoPath(workbook, join(dir, "README.md"))}); the section has no lesson page`,
    );
  }
  if (!section.entryPoint) {
    problems.push(
      `${id}: no ${repoPath(workbook, join(dir, "index.ts"))}; the section has no API reference`,
    );
  }
  for (const step of section.steps) {
    if (!existsSync(step.readme)) {
      problems.push(
        `${step.id}: no ${repoPath(workbook, step.readme)}; the step's page has no instructions`,
      );
    }
  }
  return problems;
}

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Markdown code spans as HTML, for text inside an HTML element (where Markdown is not parsed). */
export const inlineCode = (text: string): string =>
  escapeHtml(text).replace(/`([^`]+)`/g, (_m, code: string) => `<code>${code}</code>`);

/** A folded block; the blank lines around its body let Markdown render inside it. */
const details = (className: string, summary: string, body: readonly string[]): string =>
  [
    `<details class="${className}">`,
    `<summary>${summary}</summary>`,
    "",
    ...body,
    "",
    "</details>",
  ].join("\n");

/** The path of the file the code block below it shows. */
const fileLabel = (path: string): string =>
  `<p class="kata-file"><code>${escapeHtml(path)}</code></p>`;

/** Frontmatter that names a page (typedoc reads `title`). */
const frontmatter = (title: string): string[] => [
  "---",
  `title: ${JSON.stringify(title)}`,
  "---",
  "",
];

/**
 * A mistake stored as a patch, folded: what is wrong, the tests that catch it and the hint (its
 * header), then its diff against the answer key, the clearest way to show a wrong answer. The
 * patch keeps one line of context, enough to apply it; the page shows three, enough to read it.
 * The diff is copied in (typedoc has no `diff` include); the page is regenerated on every build.
 */
export function patchedMistake(workbook: Workbook, mistake: string): string {
  const text = readFileSync(mistake, "utf8").replace(/\r\n/g, "\n");
  const { header } = parseHeader(text);
  const { answerKey, text: wrong } = applyMistake(mistake, workbook.root);
  const name = basename(answerKey);
  const diff = createTwoFilesPatch(
    `a/${name}`,
    `b/${name}`,
    readFileSync(answerKey, "utf8"),
    wrong,
    "",
    "",
    { headerOptions: FILE_HEADERS_ONLY, context: 3 },
  ).trimEnd();
  const fence = "`".repeat(
    Math.max(3, ...[...diff.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)),
  );
  const said = [
    header.mistake
      ? `**Why it fails.** ${header.mistake.charAt(0).toUpperCase()}${header.mistake.slice(1)}`
      : "*This mistake does not say why it fails.*",
    header.caughtBy.length > 0
      ? `**Caught by** ${header.caughtBy.map((t) => inlineCode(t)).join(", ")}.`
      : "",
    header.hint ? `**Hint.** ${header.hint}` : "",
  ].filter(Boolean);
  return details(
    "kata-spoiler kata-mistake",
    `Spoiler: mistake · ${inlineCode(mistakeTitle(mistake))}`,
    [
      ...said.flatMap((p) => [p, ""]),
      fileLabel(repoPath(workbook, mistake)),
      "",
      `${fence}diff`,
      diff,
      fence,
    ],
  );
}

/**
 * A step's page: its title, where to work and what to run, the instructions (the step's README.md
 * without its title, included by typedoc so its links resolve from where it lives), the hints
 * folded, the spec's source, and behind spoilers the answer key, each mistake with the comment
 * that says why it fails, and each other approach with its trade-offs. Previous and next links
 * close it.
 */
export function stepPage(
  workbook: Workbook,
  section: Section,
  step: Step,
  genDir: string,
): GeneratedPage {
  const file = stepPagePath(genDir, step);
  const link = (target: string) => posixRelative(dirname(file), target);
  const a = (target: string, text: string) =>
    `<a href="${escapeHtml(link(target))}">${escapeHtml(text)}</a>`;
  const include = (tag: "include" | "includeCode", target: string, lines?: [number, number]) =>
    `{@${tag} ${link(target)}${lines ? `:${lines[0]}-${lines[1]}` : ""}}`;
  const { pattern } = section;
  const n = stepNumber(step);
  const index = section.steps.indexOf(step);
  const previous = section.steps[index - 1];
  const next = section.steps[index + 1];
  const stub = step.modules[0];
  const out: string[] = frontmatter(stepLabel(step));

  out.push(
    `# ${pattern.title} ${n}: ${step.entry.title}`,
    "",
    `<p class="kata-meta">${a(section.overview, pattern.title)} · step ${n} of ${section.steps.length}${
      section.lesson ? ` · read ${a(section.lesson, "the lesson")} first` : ""
    }</p>`,
    "",
    '<dl class="kata-facts">',
    `<dt>Edit</dt><dd>${stub ? `<code>${escapeHtml(repoPath(workbook, stub))}</code>` : "(no stub yet)"}</dd>`,
    `<dt>Run</dt><dd><code>npm test -- ${escapeHtml(step.id)}</code></dd>`,
    `<dt>Hint</dt><dd><code>npm run kata -- hint ${escapeHtml(step.id)}</code></dd>`,
    "</dl>",
    "",
    "## Instructions",
    "",
  );
  if (existsSync(step.readme)) {
    const lines = readFileSync(step.readme, "utf8").replace(/\r\n/g, "\n").trimEnd().split("\n");
    // The catalog titles the page; include the README from the line after its own title.
    const title = lines.findIndex((l) => l.trim() !== "");
    const titled = /^#\s/.test(lines[title] ?? "");
    const body = titled ? lines.findIndex((l, i) => i > title && l.trim() !== "") : 0;
    const from = body === -1 ? lines.length + 1 : body + 1; // 1-based, as typedoc counts lines
    out.push(
      from > lines.length
        ? `*${repoPath(workbook, step.readme)} has no instructions yet.*`
        : include("include", step.readme, [from, lines.length]),
    );
  } else {
    out.push(`*No instructions yet: ${repoPath(workbook, step.readme)} is missing.*`);
  }
  out.push("");

  if (step.entry.hints.length > 0) {
    out.push(
      "## Hints",
      "",
      `Open them one at a time, mildest first. In the terminal: \`npm run kata -- hint ${step.id}\`.`,
      "",
    );
    step.entry.hints.forEach((hint, i) => {
      out.push(details("kata-hint", `Hint ${i + 1}`, [hint]), "");
    });
  }

  const specs = [...step.specs, ...step.typeSpecs];
  if (specs.length > 0) {
    out.push(
      "## The spec",
      "",
      "The step is solved when these tests pass. They import the stub beside them" +
        (step.typeSpecs.length > 0
          ? "; the type-level spec (`*.test-d.ts`) is checked by the compiler, one `it` block at a time."
          : "."),
      "",
    );
    for (const spec of specs)
      out.push(fileLabel(repoPath(workbook, spec)), "", include("includeCode", spec), "");
  }

  const answer = stub && join(step.solutionDir, basename(stub));
  const hasAnswer = answer !== undefined && existsSync(answer);
  if (hasAnswer || step.mistakes.length > 0) {
    out.push(
      "## Spoilers",
      "",
      "Try the step first. The answer key and the common mistakes are folded below; each mistake " +
        "says why the spec rejects it.",
      "",
    );
  }
  if (hasAnswer) {
    out.push(
      details("kata-spoiler kata-answer", "Spoiler: the answer key", [
        fileLabel(repoPath(workbook, answer)),
        "",
        include("includeCode", answer),
      ]),
      "",
    );
  }
  for (const mistake of step.mistakes) {
    if (isPatch(mistake)) {
      out.push(patchedMistake(workbook, mistake), "");
      continue;
    }
    const source = readFileSync(mistake, "utf8");
    const { comment: said, codeLine } = leadingComment(source);
    // "Mistake: …" would repeat the summary line.
    const comment = said.replace(/^mistake\s*[:—-]\s*(.)/i, (_m, c: string) => c.toUpperCase());
    const last = source.replace(/\r\n/g, "\n").trimEnd().split("\n").length;
    out.push(
      details(
        "kata-spoiler kata-mistake",
        `Spoiler: mistake · ${inlineCode(mistakeTitle(mistake))}`,
        [
          comment
            ? `**Why it fails.** ${comment}`
            : "*This mistake has no comment saying why it fails.*",
          "",
          fileLabel(repoPath(workbook, mistake)),
          "",
          include(
            "includeCode",
            mistake,
            codeLine > 1 && codeLine <= last ? [codeLine, last] : undefined,
          ),
        ],
      ),
      "",
    );
  }

  if (step.approaches.length > 0) {
    out.push(
      "## Other approaches",
      "",
      "Each of these passes the spec as the answer key does; they differ in a way worth comparing. " +
        `Solve the step first; in the terminal: \`npm run kata -- approaches ${step.id}\`.`,
      "",
    );
    for (const file of step.approaches) {
      const approach = readApproach(file);
      const last = readFileSync(file, "utf8").replace(/\r\n/g, "\n").trimEnd().split("\n").length;
      out.push(
        details(
          "kata-spoiler kata-approach",
          `Spoiler: approach · ${inlineCode(approach.title || mistakeTitle(file))}`,
          [
            approach.tradeOffs || "*This approach does not say what it trades.*",
            "",
            fileLabel(repoPath(workbook, file)),
            "",
            include(
              "includeCode",
              file,
              approach.codeLine > 1 && approach.codeLine <= last
                ? [approach.codeLine, last]
                : undefined,
            ),
          ],
        ),
        "",
      );
    }
  }

  out.push(
    '<nav class="kata-step-nav">',
    `<span>${previous ? `← ${a(stepPagePath(genDir, previous), stepLabel(previous))}` : ""}</span>`,
    `<span>${a(section.overview, `${pattern.title}: all steps`)}</span>`,
    `<span>${next ? `${a(stepPagePath(genDir, next), stepLabel(next))} →` : ""}</span>`,
    "</nav>",
    "",
  );
  return { file, text: out.join("\n") };
}

/**
 * A section's overview: the pattern's summary, where to start, its steps and demos. It becomes the
 * top of the pattern's module page, above the API reference of its `index.ts`.
 */
export function overviewPage(workbook: Workbook, section: Section, genDir: string): GeneratedPage {
  const link = (target: string) => posixRelative(dirname(section.overview), target);
  const { pattern } = section;
  const out: string[] = [inlineCode(pattern.summary), ""];
  const first = section.steps[0];
  if (section.lesson) {
    out.push(
      `<p class="kata-start">Start with <a class="kata-lesson-link" href="${escapeHtml(
        link(section.lesson),
      )}">the lesson</a>: the pattern's intent, its structure, a walk through the reference ` +
        "implementation, its pitfalls and when not to use it." +
        (first
          ? ` Then build it yourself, one step at a time, from <a href="${escapeHtml(
              link(stepPagePath(genDir, first)),
            )}">step 1</a>.`
          : "") +
        "</p>",
      "",
    );
  } else {
    out.push("*The lesson for this pattern is not written yet.*", "");
  }
  if (section.steps.length > 0) {
    out.push("## Kata steps", "", "| step | what you build | stub to complete |", "|---|---|---|");
    for (const step of section.steps) {
      const stub = step.modules[0];
      out.push(
        `| ${stepNumber(step)} | [${escapeTableCell(escapeMarkdown(step.entry.title))}](${link(
          stepPagePath(genDir, step),
        )}) | ${stub ? `\`${basename(stub)}\`` : ""} |`,
      );
    }
    out.push(
      "",
      `The stubs are in \`exercises/${pattern.id}/<step>/\`. Run the pattern's steps with ` +
        `\`npm test -- ${pattern.id}\`.`,
      "",
    );
  }
  if (section.demos.length > 0) {
    out.push("## Demos", "", "| command | what it shows |", "|---|---|");
    for (const demo of section.demos) {
      out.push(`| \`npm run demo ${demo.name}\` | ${escapeTableCell(demo.description)} |`);
    }
    out.push("");
  }
  if (section.entryPoint) {
    out.push(
      "## API reference",
      "",
      `The reference implementation's public API, exported from \`${repoPath(
        workbook,
        section.entryPoint,
      )}\`, is listed below.`,
      "",
    );
  }
  return { file: section.overview, text: out.join("\n") };
}

const escapeMarkdown = (text: string): string => text.replace(/([[\]\\*_`<>])/g, "\\$1");

const escapeTableCell = (text: string): string => text.replace(/\|/g, "\\|");

/** The home page's table of patterns, in catalog order (build.ts puts it in docs/index.md). */
export function patternsTable(sections: readonly Section[], file: string): GeneratedPage {
  const link = (target: string) => escapeHtml(posixRelative(dirname(file), target));
  const out = [
    '<table class="kata-patterns">',
    "<thead><tr><th>pattern</th><th>what it is</th><th>steps</th></tr></thead>",
    "<tbody>",
  ];
  for (const { pattern, overview, steps } of sections) {
    out.push(
      `<tr data-pattern="${escapeHtml(pattern.id)}"><td><a href="${link(overview)}">${escapeHtml(
        pattern.title,
      )}</a></td><td>${inlineCode(pattern.summary)}</td><td>${steps.length}</td></tr>`,
    );
  }
  out.push("</tbody>", "</table>", "");
  return { file, text: out.join("\n") };
}
