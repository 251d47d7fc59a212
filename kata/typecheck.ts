/**
 * The type-level test runner. A `*.test-d.ts` spec is a test file whose assertions are checked by
 * the compiler: `expectTypeOf(…)` and `// @ts-expect-error` inside `it(…)` blocks. Each `it` passes
 * when the compiler reports nothing inside it, and fails with the compiler's message otherwise (an
 * unused `@ts-expect-error` is such a message: the stub accepted what it must reject).
 *
 * We use the compiler API rather than `vitest --typecheck` because the same spec must be checked
 * against the stub, the answer key and each mistake: `tsc` knows nothing of Vite's resolver, so
 * the redirection lives in our compiler host. Parsed source files are cached across targets (but
 * not whole programs: TypeScript would reuse the old module resolutions), so checking another
 * target costs only the checker's time, tens of milliseconds.
 */
import { readFileSync } from "node:fs";
import { resolve, sep } from "node:path";
import { repoRoot, type Workbook } from "./layout";
import { moduleText, patchOf } from "./mistakes";
import type { TestOutcome } from "./outcome";
import { redirect, type Target, targetName } from "./targets";
import { type TS, ts } from "./typescript";

const TEST_CALLS = new Set(["it", "test"]);
const SUITE_CALLS = new Set(["describe", "suite"]);

/** The repository's compiler options (with @types/node: stubs use timers and AbortSignal). */
function compilerOptions(): TS.CompilerOptions {
  const configPath = resolve(repoRoot, "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, (f) => readFileSync(f, "utf8"));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot, undefined, configPath);
  return parsed.options;
}

export interface TypeTest {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** The `it(…)` blocks of a type spec, with their full names (`suite > test`) and text ranges. */
export function collectTests(file: TS.SourceFile): TypeTest[] {
  const tests: TypeTest[] = [];
  const visit = (node: TS.Node, suites: readonly string[]): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const [title] = node.arguments;
      const callee = node.expression.text;
      if (title && ts.isStringLiteralLike(title)) {
        if (TEST_CALLS.has(callee)) {
          tests.push({
            name: [...suites, title.text].join(" > "),
            start: node.getStart(file),
            end: node.getEnd(),
            line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
          });
          return;
        }
        if (SUITE_CALLS.has(callee)) {
          node.arguments.slice(1).forEach((arg) => {
            visit(arg, [...suites, title.text]);
          });
          return;
        }
      }
    }
    ts.forEachChild(node, (child) => visit(child, suites));
  };
  visit(file, []);
  return tests;
}

/** A diagnostic as the board shows it inside a spec: `TS2578 (line 6): …`. */
export const message = (d: TS.Diagnostic): string => {
  const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return text;
  const { line } = d.file.getLineAndCharacterOfPosition(d.start);
  return `TS${d.code} (line ${line + 1}): ${text}`;
};

/** TypeScript's "Unused '@ts-expect-error' directive": the code below it compiled. */
const UNUSED_DIRECTIVE = 2578;

const lineOf = (file: TS.SourceFile, d: TS.Diagnostic): number =>
  file.getLineAndCharacterOfPosition(d.start ?? 0).line;

/** The first line of code after line `at` (0-based), skipping blank and comment lines. */
function codeBelow(lines: readonly string[], at: number): number {
  let i = at + 1;
  while (i < lines.length && /^\s*(\/\/.*)?$/.test(lines[i] ?? "")) i++;
  return i < lines.length ? i : at;
}

/**
 * An unused `@ts-expect-error` in the spec's own words: the code that should not compile, and
 * why, from the directive's comment (and the comment lines right above it), or else the test's
 * title. The compiler's "TS2578: Unused '@ts-expect-error' directive" says none of that.
 */
export function explainUnusedDirective(
  file: TS.SourceFile,
  test: TypeTest,
  d: TS.Diagnostic,
): string {
  const lines = file.text.split(/\r?\n/);
  const at = lineOf(file, d);
  const comment = (line: string | undefined) => /^\s*\/\/\s?(.*)$/.exec(line ?? "")?.[1]?.trim();
  const why: string[] = [];
  for (let i = at - 1; i >= 0; i--) {
    const text = comment(lines[i]);
    if (text === undefined || text.includes("@ts-")) break;
    if (text !== "") why.unshift(text);
  }
  const reason = /@ts-expect-error\b:?\s*(.*)$/.exec(lines[at] ?? "")?.[1]?.trim();
  if (reason) why.push(reason);
  const below = codeBelow(lines, at);
  const code = lines[below]?.trim();
  const title = test.name.split(" > ").at(-1) ?? test.name;
  return [
    `This should not compile, but it does (line ${below + 1}):${code ? ` ${code}` : ""}`,
    why.length > 0
      ? `Why it must not: ${why.join(" ")}`
      : `Why it must not: the test says it ${title}.`,
  ].join("\n");
}

/**
 * A type test's failure as the student reads it: errors outside every test first (they fail them
 * all), then its own, an unused `@ts-expect-error` explained in the spec's words; and where the
 * first of its own is, with that line's source.
 */
export function typeFailure(
  file: TS.SourceFile,
  test: TypeTest,
  own: readonly TS.Diagnostic[],
  outside: readonly TS.Diagnostic[] = [],
): Pick<TestOutcome, "messages" | "failedAt"> {
  const messages = [
    ...outside.map(message),
    ...own.map((d) =>
      d.code === UNUSED_DIRECTIVE ? explainUnusedDirective(file, test, d) : message(d),
    ),
  ];
  const [first] = own;
  if (!first) return { messages };
  const lines = file.text.split(/\r?\n/);
  // An unused directive is about the code it stands over: point there.
  const at = lineOf(file, first);
  const line = first.code === UNUSED_DIRECTIVE ? codeBelow(lines, at) : at;
  const source = lines[line]?.trim();
  return { messages, failedAt: { line: line + 1, ...(source ? { source } : {}) } };
}

/** Checks type specs against targets, sharing parsed files between the programs it builds. */
export class TypeChecker {
  readonly #options = compilerOptions();
  readonly #sources = new Map<string, TS.SourceFile | undefined>();

  /** Runs every test in `files` (absolute `*.test-d.ts` paths) against `target`. */
  check(workbook: Workbook, target: Target, files: readonly string[]): TestOutcome[] {
    if (files.length === 0) return [];
    const host = this.#host(workbook, target);
    const started = performance.now();
    const program = ts.createProgram({
      rootNames: [...files],
      options: this.#options,
      host,
    });
    const name = targetName(target);
    return files.flatMap((fileName) => {
      const file = program.getSourceFile(fileName);
      if (!file) throw new Error(`type spec not found: ${fileName}`);
      const diagnostics = [
        ...program.getSyntacticDiagnostics(file),
        ...program.getSemanticDiagnostics(file),
      ];
      const tests = collectTests(file);
      const outside = diagnostics.filter(
        (d) => !tests.some((t) => d.start !== undefined && d.start >= t.start && d.start < t.end),
      );
      const durationMs = (performance.now() - started) / files.length;
      return tests.map((t): TestOutcome => {
        const own = diagnostics.filter(
          (d) => d.start !== undefined && d.start >= t.start && d.start < t.end,
        );
        const failure = typeFailure(file, t, own, outside);
        return {
          target: name,
          file: fileName,
          name: t.name,
          line: t.line,
          kind: "type",
          state: failure.messages.length === 0 ? "passed" : "failed",
          ...failure,
          durationMs,
        };
      });
    });
  }

  #host(workbook: Workbook, target: Target): TS.CompilerHost {
    const host = ts.createCompilerHost(this.#options, true);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError) => {
      if (!this.#sources.has(fileName)) {
        // A patched mistake has no file: its text is the answer key with the patch applied.
        const text = patchOf(fileName) ? moduleText(fileName) : undefined;
        this.#sources.set(
          fileName,
          text === undefined
            ? getSourceFile(fileName, languageVersion, onError)
            : ts.createSourceFile(fileName, text, languageVersion, true),
        );
      }
      return this.#sources.get(fileName);
    };
    const cache = ts.createModuleResolutionCache(workbook.root, (f) => f, this.#options);
    host.resolveModuleNameLiterals = (literals, containingFile, _ref, options) =>
      literals.map((literal) => {
        const found = ts.resolveModuleName(literal.text, containingFile, options, host, cache);
        const resolved = found.resolvedModule;
        if (!resolved) return found;
        const to = redirect(
          workbook,
          target,
          resolve(containingFile),
          resolve(resolved.resolvedFileName),
        );
        return to
          ? { resolvedModule: { ...resolved, resolvedFileName: to.split(sep).join("/") } }
          : found;
      });
    return host;
  }
}

/** One batch of type specs to check against one target. */
export interface TypeJob {
  readonly workbook: Workbook;
  readonly target: Target;
  readonly files: readonly string[];
}

export function checkJobs(jobs: readonly TypeJob[]): TestOutcome[] {
  const checker = new TypeChecker();
  return jobs.flatMap((job) => checker.check(job.workbook, job.target, job.files));
}
