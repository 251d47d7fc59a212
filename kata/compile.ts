/**
 * The compiler's side of a kata session, loaded in the compiler's process (runner/compiler.ts):
 * the student's type-level specs, whether the student's modules compile at all, and whether they
 * import what they must not (the test framework, the kata's tooling: a tampering verdict).
 *
 * A stub with a syntax or type error must say so with its file and line, whatever its runtime
 * tests do (esbuild strips types, so a type error alone never fails a runtime test). Every parsed
 * file is kept for the worker's lifetime, so in watch mode only the saved file is parsed again;
 * the declarations of vitest and Node, which are most of the work, are parsed once.
 *
 * Type-level specs follow typecheck.ts (verify's runner) exactly: the same compiler options
 * (no ambient types), an `it` block passes when the compiler reports nothing inside it, and an
 * error outside every block fails them all. It is a copy rather than a call because TypeChecker
 * keeps its parsed files private and for ever, and watch mode must re-read a saved stub. Sessions
 * only check the student's own work, so no import is redirected here.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Workbook } from "./layout";
import type { TestOutcome } from "./outcome";
import { importTampering, SUSPICIOUS_NAMES } from "./runner/guard";
import { collectTests, type TypeTest, typeFailure } from "./typecheck";
import { type TS, ts } from "./typescript";

/** One compiler error in a student's module. */
export interface CompileProblem {
  /** Absolute path of the module. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** `TS1005: ';' expected.` */
  readonly message: string;
}

/** What a session asks the compiler worker. */
export interface CompileRequest {
  readonly workbook: Workbook;
  /** `*.test-d.ts` files to check, one outcome per `it` block. */
  readonly typeSpecs: readonly string[];
  /** Student modules whose compile errors are wanted. */
  readonly modules: readonly string[];
}

export interface CompileReply {
  readonly outcomes: TestOutcome[];
  readonly problems: CompileProblem[];
  /** Imports of the test framework or the kata's tooling in the student's modules. */
  readonly tampering: Tampering[];
}

/** A student's module reaching for what it must not touch: a named verdict, not a run. */
export interface Tampering {
  /** Absolute path of the module. */
  readonly file: string;
  readonly line: number;
  /** `imports the test framework ("vitest")` */
  readonly reason: string;
}

/** Every import, `import()` and `require()` of a module, and what it names that it must not. */
export function findTampering(workbook: Workbook, file: TS.SourceFile): Tampering[] {
  const found: Tampering[] = [];
  const at = (node: TS.Node, reason: string) =>
    found.push({
      file: file.fileName,
      line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1,
      reason,
    });
  const check = (node: TS.Node, specifier: TS.Expression | undefined) => {
    if (!specifier) return;
    if (!ts.isStringLiteralLike(specifier)) {
      at(node, "computes the name of a module it loads at run time");
      return;
    }
    const reason = importTampering(workbook, file.fileName, specifier.text);
    if (reason) at(node, reason);
  };
  const visit = (node: TS.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      check(node, node.moduleSpecifier);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      check(node, node.moduleReference.expression);
    } else if (ts.isImportTypeNode(node)) {
      // A type-only import runs nothing.
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === "require")
      ) {
        check(node, node.arguments[0]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const [pattern, what] of SUSPICIOUS_NAMES) {
    const match = pattern.exec(file.text);
    if (match) {
      found.push({
        file: file.fileName,
        line: file.text.slice(0, match.index).split("\n").length,
        reason: `reaches for ${what}`,
      });
    }
  }
  return found;
}

function compilerOptions(root: string): TS.CompilerOptions {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists) ?? resolve(root, "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, (f) => readFileSync(f, "utf8"));
  const parsed = ts.parseJsonConfigFileContent(
    config ?? {},
    ts.sys,
    dirname(configPath),
    undefined,
    configPath,
  );
  return { ...parsed.options, noEmit: true };
}

function problem(file: string, d: TS.Diagnostic): CompileProblem {
  const at =
    d.file && d.start !== undefined
      ? d.file.getLineAndCharacterOfPosition(d.start)
      : { line: 0, character: 0 };
  const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  return { file, line: at.line + 1, column: at.character + 1, message: `TS${d.code}: ${text}` };
}

const slashes = (path: string): string => path.replace(/\\/g, "/");

/**
 * The node_modules folders a workbook's imports may resolve in, as Node looks for them: in the
 * workbook and in every folder above it (a folder holding only caches must not hide the one
 * above), each also where its link leads.
 */
function nodeModulesOf(root: string): string[] {
  const found: string[] = [];
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const modules = join(dir, "node_modules");
    if (existsSync(modules)) found.push(modules, realpathSync(modules));
    if (dirname(dir) === dir) return found;
  }
}

/** The name of TYPE_SPEC_VITEST's virtual file, beside vitest's own declarations. */
const TYPE_SPEC_SHIM = "kata-type-spec-vitest.d.ts";

/**
 * Modules known to compile, by a hash of their step's modules and the compiler's settings, kept
 * in node_modules/.cache between runs: a step that compiled and has not changed since is not
 * checked again against Node's declarations, which cost more than everything else together.
 */
class CleanCache {
  readonly #modules: string;
  readonly #file: string;
  readonly #salt: string;
  #keys: string[];

  constructor(root: string, options: TS.CompilerOptions) {
    this.#modules = join(root, "node_modules");
    this.#file = join(this.#modules, ".cache", "kata", "compiled.json");
    this.#salt = `${ts.version}\0${JSON.stringify(options)}`;
    try {
      this.#keys = JSON.parse(readFileSync(this.#file, "utf8")).clean ?? [];
    } catch {
      this.#keys = [];
    }
  }

  key(files: readonly string[], text: (file: string) => string | undefined): string {
    const hash = createHash("sha1").update(this.#salt);
    for (const file of [...files].sort()) hash.update(`\0${file}\0${text(file) ?? ""}`);
    return hash.digest("hex");
  }

  has(key: string): boolean {
    return this.#keys.includes(key);
  }

  add(keys: readonly string[]): void {
    const fresh = keys.filter((k) => !this.#keys.includes(k));
    // A workbook without node_modules of its own (a grading area) keeps no cache.
    if (fresh.length === 0 || !existsSync(this.#modules)) return;
    this.#keys = [...this.#keys, ...fresh].slice(-1000);
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      writeFileSync(this.#file, JSON.stringify({ clean: this.#keys }));
    } catch {
      // A read-only node_modules only costs time.
    }
  }
}

/**
 * What a type spec takes from "vitest": suites, tests, and expect-type's assertions, which vitest
 * re-exports. Against this declaration instead of vitest's own, checking a type spec reads a few
 * files instead of vitest's, vite's and their dependencies' declarations (about 40 files and a
 * second of a cold `npm test`). The assertions are expect-type's either way, so are the verdicts.
 * A spec that imports anything else from vitest is checked against vitest's declarations.
 */
const TYPE_SPEC_VITEST = `export { expectTypeOf, type ExpectTypeOf } from "expect-type";
type Body = (...args: any[]) => unknown;
interface Test {
  (name: string | Function, body?: Body, options?: unknown): void;
  readonly skip: Test;
  readonly only: Test;
  readonly todo: Test;
  readonly fails: Test;
  readonly concurrent: Test;
  readonly sequential: Test;
  skipIf(condition: unknown): Test;
  runIf(condition: unknown): Test;
  each(...cases: any[]): Test;
  for(...cases: any[]): Test;
}
export declare const describe: Test, suite: Test, it: Test, test: Test;
export declare function assertType<T>(value: T): void;
`;
const TYPE_SPEC_NAMES = new Set([
  "describe",
  "suite",
  "it",
  "test",
  "expectTypeOf",
  "ExpectTypeOf",
  "assertType",
]);

/** Does this type spec import from "vitest" only what TYPE_SPEC_VITEST declares? */
function plainTypeSpec(file: TS.SourceFile): boolean {
  return file.statements.every((statement) => {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) return true;
    const from = statement.moduleSpecifier;
    if (!from || !ts.isStringLiteral(from) || from.text !== "vitest") return true;
    const bindings = ts.isImportDeclaration(statement)
      ? statement.importClause?.namedBindings
      : statement.exportClause;
    if (ts.isImportDeclaration(statement) && statement.importClause?.name) return false;
    return (
      bindings !== undefined &&
      (ts.isNamedImports(bindings) || ts.isNamedExports(bindings)) &&
      bindings.elements.every((e) => TYPE_SPEC_NAMES.has((e.propertyName ?? e.name).text))
    );
  });
}

interface Parsed {
  readonly text: string;
  readonly file: TS.SourceFile;
}

/** The parsed declarations of node_modules and the compiler's libraries, for every checker. */
const DECLARATIONS = new Map<string, Parsed>();

/**
 * Checks one workbook's type specs and modules, keeping every parsed file between checks.
 *
 * Two programs: type specs and modules are first checked without ambient types, as typecheck.ts
 * does (vitest's declarations, but not Node's). A module that compiles there compiles. A module
 * with any error there (perhaps only a Node global it uses, like setTimeout) is checked again with
 * the repository's real settings, `@types/node` included, and that answer stands.
 */
export class Checker {
  readonly #options: TS.CompilerOptions;
  readonly #bare: TS.CompilerOptions;
  readonly #libraries: string;
  /** The workbook's own parsed files; node_modules' and the libraries' are in `DECLARATIONS`. */
  readonly #own = new Map<string, Parsed>();
  /** The workbook's files too deeply nested for the parser, each with the parser's error. */
  readonly #unparsable = new Map<string, string>();
  readonly #cache: CleanCache;
  #programs: { bare?: TS.Program; full?: TS.Program } = {};

  /** The folders the compiler may read: the workbook, its node_modules, the compiler's libraries. */
  readonly #readable: readonly string[];
  readonly #unchanging: readonly string[];

  constructor(root: string) {
    this.#options = compilerOptions(root);
    this.#bare = { ...this.#options, types: [] };
    this.#libraries = slashes(dirname(ts.getDefaultLibFilePath(this.#options)));
    this.#cache = new CleanCache(root, this.#options);
    this.#unchanging = [...nodeModulesOf(root), this.#libraries].map((dir) =>
      slashes(resolve(dir)),
    );
    this.#readable = [
      ...[root, realpathSync(root)].map((dir) => slashes(resolve(dir))),
      ...this.#unchanging,
    ];
  }

  /**
   * May the compiler read this path? Nothing outside the workbook, its dependencies and the
   * compiler's own libraries: grading compiles a submission with the teacher's rights, outside the
   * sandbox, and a module importing a path of the teacher's (an answer key, say) must find nothing
   * there, or the compiler's messages would quote it.
   */
  #mayRead(path: string): boolean {
    const file = slashes(resolve(path));
    return this.#readable.some((dir) => file === dir || file.startsWith(`${dir}/`));
  }

  /**
   * Declarations in node_modules and the compiler's own libraries never change under us: they are
   * parsed once for every checker in this process.
   */
  #fixed(file: string): boolean {
    return this.#unchanging.some((dir) => file.startsWith(`${dir}/`));
  }

  /** Where a file's parse is kept: shared by every checker if the file never changes. */
  #sourcesOf(file: string): Map<string, Parsed> {
    return this.#fixed(file) ? DECLARATIONS : this.#own;
  }

  /** A file's text, read afresh unless it is fixed. */
  #text(fileName: string): string | undefined {
    if (fileName.endsWith(TYPE_SPEC_SHIM)) return TYPE_SPEC_VITEST;
    const known = DECLARATIONS.get(fileName);
    if (known && this.#fixed(fileName)) return known.text;
    return ts.sys.readFile(fileName);
  }

  #program(kind: "bare" | "full", rootNames: readonly string[]): TS.Program {
    const options = kind === "bare" ? this.#bare : this.#options;
    const host = ts.createCompilerHost(options, true);
    const may = (path: string) => this.#mayRead(path);
    const { directoryExists, getDirectories, realpath, readFile } = host;
    host.readFile = (fileName) => (may(fileName) ? readFile(fileName) : undefined);
    host.directoryExists = (dir) => may(dir) && (directoryExists?.(dir) ?? true);
    host.getDirectories = (dir) => (may(dir) ? (getDirectories?.(dir) ?? []) : []);
    host.realpath = (path) => {
      const real = realpath ? realpath(path) : path;
      return may(real) ? real : path;
    };
    host.getSourceFile = (fileName, languageVersion) => {
      if (!may(fileName)) return undefined;
      const sources = this.#sourcesOf(fileName);
      const known = sources.get(fileName);
      const text = this.#text(fileName);
      if (text === undefined) {
        sources.delete(fileName);
        return undefined;
      }
      if (known?.text === text) return known.file;
      const file = this.#parse(fileName, text, languageVersion);
      sources.set(fileName, { text, file });
      return file;
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (fileName) =>
      may(fileName) && (fileName.endsWith(TYPE_SPEC_SHIM) || fileExists(fileName));
    const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (f) => f, options);
    host.resolveModuleNameLiterals = (literals, containingFile, _reference, settings) =>
      literals.map((literal) => {
        const found = ts.resolveModuleName(literal.text, containingFile, settings, host, cache);
        const spec = this.#own.get(containingFile)?.file;
        const resolved = found.resolvedModule;
        if (
          literal.text !== "vitest" ||
          !resolved ||
          !spec ||
          !containingFile.endsWith(".test-d.ts")
        )
          return found;
        if (!plainTypeSpec(spec)) return found;
        const shim = join(dirname(resolved.resolvedFileName), TYPE_SPEC_SHIM);
        return { resolvedModule: { ...resolved, resolvedFileName: slashes(shim) } };
      });
    const program = ts.createProgram({
      rootNames,
      options,
      host,
      oldProgram: this.#programs[kind],
    });
    this.#programs[kind] = program;
    return program;
  }

  /**
   * Parses a file. One nested deeper than the parser's stack reaches (thousands of brackets)
   * stands for an empty module, and is a compile problem of its own (`#unparsed`).
   */
  #parse(
    fileName: string,
    text: string,
    version: TS.ScriptTarget | TS.CreateSourceFileOptions,
  ): TS.SourceFile {
    try {
      const file = ts.createSourceFile(fileName, text, version, true);
      this.#unparsable.delete(fileName);
      return file;
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      this.#unparsable.set(fileName, `${error.name}: ${error.message}`);
      return ts.createSourceFile(fileName, "export {};", version, true);
    }
  }

  /** The problem of a module the parser could not hold, if it is one. */
  #unparsed(fileName: string): CompileProblem[] {
    const error = this.#unparsable.get(fileName);
    if (error === undefined) return [];
    const message = `The compiler could not parse this module: it is nested too deeply (${error}). Simplify it.`;
    return [{ file: fileName, line: 1, column: 1, message }];
  }

  check({ workbook, typeSpecs, modules }: CompileRequest): CompileReply {
    const started = performance.now();
    const tampering = modules.flatMap((fileName) => {
      const text = this.#text(fileName);
      if (text === undefined) return [];
      const known = this.#own.get(fileName);
      const file =
        known?.text === text ? known.file : this.#parse(fileName, text, ts.ScriptTarget.Latest);
      return findTampering(workbook, file);
    });
    // Modules are judged a step (folder) at a time: they may import each other.
    const groups = new Map<string, string[]>();
    for (const file of modules)
      groups.set(dirname(file), [...(groups.get(dirname(file)) ?? []), file]);
    const keys = new Map(
      [...groups].map(([dir, files]) => [dir, this.#cache.key(files, (f) => this.#text(f))]),
    );
    const unknown = [...groups].filter(([dir]) => !this.#cache.has(keys.get(dir) ?? ""));
    const bare = this.#program("bare", [...typeSpecs, ...unknown.flatMap(([, files]) => files)]);

    const problems: CompileProblem[] = [];
    const clean: string[] = [];
    const doubtful: [string, string[]][] = [];
    for (const [dir, files] of unknown) {
      const wrong = (f: string) => this.#unparsable.has(f) || diagnose(bare, f).length > 0;
      if (files.some(wrong)) doubtful.push([dir, files]);
      else clean.push(keys.get(dir) ?? "");
    }
    if (doubtful.length > 0) {
      const full = this.#program(
        "full",
        doubtful.flatMap(([, files]) => files),
      );
      for (const [dir, files] of doubtful) {
        // A module the parser could not hold comes first: its importers' errors follow from it.
        const found = [
          ...files.flatMap((f) => this.#unparsed(f)),
          ...files
            .filter((f) => !this.#unparsable.has(f))
            .flatMap((f) => diagnose(full, f).map((d) => problem(f, d))),
        ];
        if (found.length === 0) clean.push(keys.get(dir) ?? "");
        problems.push(...found);
      }
    }
    this.#cache.add(clean);

    const outcomes = typeSpecs.flatMap((fileName) => {
      const file = bare.getSourceFile(fileName);
      if (!file) return [];
      const diagnostics = [
        ...bare.getSyntacticDiagnostics(file),
        ...bare.getSemanticDiagnostics(file),
      ];
      const tests = collectTests(file);
      const inside = (d: TS.Diagnostic, t: TypeTest) =>
        d.start !== undefined && d.start >= t.start && d.start < t.end;
      const outside = diagnostics.filter((d) => !tests.some((t) => inside(d, t)));
      const durationMs = (performance.now() - started) / typeSpecs.length;
      return tests.map((t): TestOutcome => {
        const failure = typeFailure(
          file,
          t,
          diagnostics.filter((d) => inside(d, t)),
          outside,
        );
        return {
          target: "exercises",
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
    return { outcomes, problems, tampering };
  }
}

/** A module's syntax errors, or if it has none its type errors (which syntax errors garble). */
function diagnose(program: TS.Program, fileName: string): readonly TS.Diagnostic[] {
  const file = program.getSourceFile(fileName);
  if (!file) return [];
  const syntax = program.getSyntacticDiagnostics(file);
  return syntax.length > 0 ? syntax : program.getSemanticDiagnostics(file);
}

/**
 * A checker per workbook, the latest few: watch mode keeps one, and grading, which checks each
 * submission's area once, would otherwise keep every area's parsed files for the whole batch.
 */
const checkers = new Map<string, Checker>();
const CHECKERS = 4;

/** Serves one request; a checker lives as long as the worker, one per workbook. */
export function serve(request: CompileRequest): CompileReply {
  const { workbook } = request;
  const checker = checkers.get(workbook.root) ?? new Checker(workbook.root);
  checkers.delete(workbook.root);
  checkers.set(workbook.root, checker);
  for (const root of [...checkers.keys()].slice(0, -CHECKERS)) checkers.delete(root);
  return checker.check(request);
}
