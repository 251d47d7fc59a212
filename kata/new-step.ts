/**
 * `npm run new-step <pattern> <name> [--module <file>] [--workbook <folder>]`: scaffolds the next
 * step of a pattern for a teacher to fill in — instructions, stub, spec, answer key, one mistake
 * and the step's entry in the catalog.
 *
 * The scaffold is deliberately unfinished, and `npm run verify` says so until it is filled in:
 * every part a teacher must write holds one marker, `[FILL IN: …]` (`PLACEHOLDER`, defined here
 * and nowhere else), which verify's catalog check refuses wherever it finds it; and the answer key
 * throws like the stub, so the spec fails on it ("answers" check).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import { isMain, isUserError, UsageError } from "./command";
import { loadWorkbook, rel, type Workbook } from "./layout";

export class ScaffoldError extends UsageError {
  override name = "ScaffoldError";
}

/** The marker of every part of a scaffold still to be written. Verify refuses a step holding it. */
export const PLACEHOLDER = "FILL IN";

/** A placeholder for `what` to write: `[FILL IN: what]`. */
export const placeholder = (what: string): string => `[${PLACEHOLDER}: ${what}]`;

/** Does `text` still hold a placeholder? */
export const holdsPlaceholder = (text: string): boolean => text.includes(`[${PLACEHOLDER}`);

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const camel = (kebab: string): string =>
  kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const title = (kebab: string): string => {
  const words = kebab.split("-").join(" ");
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The positions of `source` that are code: strings, template literals and comments skipped. */
function* codePositions(source: string, from = 0): Generator<number> {
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === "\\") i++;
    } else if (c === "/" && source[i + 1] === "/") {
      i = source.indexOf("\n", i);
      if (i < 0) return;
    } else if (c === "/" && source[i + 1] === "*") {
      i = source.indexOf("*/", i + 2) + 1;
      if (i <= 0) return;
    } else {
      yield i;
    }
  }
}

/** Where `]` closes the bracket opened at `open`, skipping strings, template literals and comments. */
export function closingBracket(source: string, open: number): number {
  let depth = 0;
  for (const i of codePositions(source, open)) {
    const c = source[i];
    if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new ScaffoldError("the catalog's brackets do not balance");
}

/** The first match of `pattern` (sticky) that starts in code, at or after `from`. */
function findInCode(source: string, pattern: RegExp, from = 0): RegExpExecArray | undefined {
  const sticky = new RegExp(pattern.source, "y");
  for (const i of codePositions(source, from)) {
    sticky.lastIndex = i;
    const found = sticky.exec(source);
    if (found) return found;
  }
  return undefined;
}

/** The catalog's text with a step appended to `pattern`'s steps. */
export function addToCatalog(source: string, pattern: string, entry: string): string {
  // The id is a string, so it is found as `id:` in code followed by the quoted name.
  const id = findInCode(source, new RegExp(`(?<![\\w$])id:\\s*(?=["']${pattern}["'])`));
  if (!id) throw new ScaffoldError(`the catalog has no pattern with id "${pattern}"`);
  const found = findInCode(source, /steps:\s*\[/, id.index);
  if (!found) throw new ScaffoldError(`pattern "${pattern}" has no steps array in the catalog`);
  const open = found.index + found[0].length - 1;
  const close = closingBracket(source, open);
  const lineStart = source.lastIndexOf("\n", found.index) + 1;
  const indent = /^\s*/.exec(source.slice(lineStart))?.[0] ?? "    ";
  const inner = source.slice(open + 1, close).trimEnd();
  const item = entry
    .split("\n")
    .map((line) => `${indent}  ${line}`)
    .join("\n");
  const body =
    inner === "" ? `\n${item}\n${indent}` : `${inner.replace(/,?$/, ",")}\n${item}\n${indent}`;
  return `${source.slice(0, open + 1)}${body}${source.slice(close)}`;
}

export interface Scaffold {
  readonly dir: string;
  readonly files: readonly string[];
}

/** Writes the next step of `pattern`, called `name`, into `workbook`; returns what it wrote. */
export function scaffold(
  workbook: Workbook,
  pattern: string,
  name: string,
  module = name,
): Scaffold {
  if (!KEBAB.test(name)) {
    throw new ScaffoldError(`"${name}" is not a kebab-case name (like cached-shapes)`);
  }
  if (!KEBAB.test(module)) {
    throw new ScaffoldError(`"${module}" is not a kebab-case module name (like shape-cache)`);
  }
  const entry = workbook.catalog.find((p) => p.id === pattern);
  if (!entry) {
    throw new ScaffoldError(
      `No pattern "${pattern}" in the catalog. Patterns: ${workbook.catalog.map((p) => p.id).join(", ")}.`,
    );
  }
  const number = String(entry.steps.length + 1).padStart(2, "0");
  const dir = `${number}-${name}`;
  const id = `${pattern}/${number}`;
  const exercise = join(workbook.exercisesDir, pattern, dir);
  const solution = join(workbook.solutionsDir, pattern, dir);
  if (existsSync(exercise) || existsSync(solution)) {
    throw new ScaffoldError(`${rel(exercise, workbook.root)} already exists`);
  }
  const fn = camel(module);
  const stepTitle = title(name);
  const todo = placeholder;
  const files: [string, string][] = [
    [
      join(exercise, "README.md"),
      `# ${stepTitle}\n\n` +
        `${todo("what to build and why, with the real-world scenario it comes from")}\n\n` +
        `## Rules\n\n${todo("every rule the spec checks, edge cases included, one bullet each")}\n\n` +
        `## Run it\n\n\`\`\`sh\nnpm test -- ${pattern}/${dir}\n\`\`\`\n\n` +
        `Hints: \`npm run kata -- hint ${pattern}/${dir}\`\n`,
    ],
    [
      join(exercise, `${module}.ts`),
      `/** ${todo("the contract in one to three lines")} */\n` +
        `export function ${fn}(): string {\n` +
        `  // TODO: ${todo("say exactly what to write here")}\n` +
        `  throw new Error("TODO(${id}): implement ${fn}()");\n}\n`,
    ],
    [
      join(exercise, `${module}.spec.ts`),
      'import { describe, expect, it } from "vitest";\n' +
        `import { ${fn} } from "./${module}";\n\n` +
        `describe("${fn}()", () => {\n` +
        `  // ${todo("one describe per behaviour, present-tense names; each test must fail on the")}\n` +
        "  // stub for the right reason.\n" +
        '  it("returns what the step teaches", () => {\n' +
        `    expect(${fn}()).toBe("${todo("the expected result")}");\n` +
        "  });\n});\n",
    ],
    [
      join(solution, `${module}.ts`),
      `/** ${todo("the contract, as in the stub")} */\n` +
        `export function ${fn}(): string {\n` +
        `  // ${todo("the smallest clear answer; until then the spec fails here too")}\n` +
        `  throw new Error("TODO(${id}): write the answer key");\n}\n`,
    ],
    [
      join(solution, "mistakes", "fill-in-the-mistake.patch"),
      `Mistake: ${todo("what is wrong; rename this file after it (returns-empty.patch…)")}\n` +
        `Caught by: "${todo("the name of the test that catches it")}"\n` +
        `Hint: ${todo("one paragraph for the student: the misconception, not the answer")}\n\n` +
        `--- a/${module}.ts\n` +
        `+++ b/${module}.ts\n` +
        "@@ -1,5 +1,5 @@\n" +
        `${[
          ` /** ${todo("the contract, as in the stub")} */`,
          ` export function ${fn}(): string {`,
          `   // ${todo("the smallest clear answer; until then the spec fails here too")}`,
          `-  throw new Error("TODO(${id}): write the answer key");`,
          '+  return "";',
          " }",
        ].join("\n")}\n`,
    ],
  ];
  const catalogFile = join(workbook.exercisesDir, "catalog.ts");
  const catalog = addToCatalog(
    readFileSync(catalogFile, "utf8"),
    pattern,
    [
      "{",
      `  dir: "${dir}",`,
      `  title: "${stepTitle}",`,
      `  hints: ["${todo("a mild hint first")}", "${todo("a stronger one (one to three in all)")}"],`,
      "},",
    ].join("\n"),
  );
  for (const [file, text] of files) {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, text);
  }
  writeFileSync(catalogFile, catalog);
  format([...files.map(([f]) => f), catalogFile]);
  return { dir: `${pattern}/${dir}`, files: [...files.map(([f]) => f), catalogFile] };
}

/** Formats the files as `npm run format` would (the catalog edit is not pretty otherwise). */
function format(files: readonly string[]): void {
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  spawnSync(process.execPath, [biome, "format", "--write", ...files], { stdio: "ignore" });
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { module: { type: "string" }, workbook: { type: "string" } },
    allowPositionals: true,
  });
  const [pattern, name] = positionals;
  if (!pattern || !name) {
    process.stderr.write(
      "Usage: npm run new-step -- <pattern> <name> [--module <file-name>]\n" +
        "  e.g. npm run new-step -- factory cached-shapes\n",
    );
    return 2;
  }
  const workbook = await loadWorkbook(values.workbook);
  const made = scaffold(workbook, pattern, name, values.module ?? name);
  const out = (line = "") => process.stdout.write(`${line}\n`);
  out(pc.green(`Scaffolded ${made.dir}:`));
  for (const file of made.files) out(`  ${rel(file, workbook.root)}`);
  out();
  out(`Fill in every ${placeholder("…")}: the instructions, the stub, the spec, the hints in the`);
  out("catalog, the answer key and at least one real mistake (a patch against the answer key:");
  out("see CONTRIBUTING.md). Until then verify fails. Then:");
  out();
  out(`  npm run verify -- ${made.dir}`);
  return 0;
}

if (isMain(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${isUserError(error) ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
