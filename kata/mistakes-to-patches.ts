/**
 * `npm run mistakes:to-patches [-- <filter>…] [--dry-run] [--workbook <folder>] [--max-share <n>]`:
 * turns each whole-module mistake (`mistakes/<name>.ts`) that is a copy of its answer key with a
 * few edits into a patch (`mistakes/<name>.patch`, see kata/mistakes.ts), and deletes the module.
 *
 * - The leading comment becomes the header: its text is the `Mistake:` line, its `Hint:` (if it
 *   has one) the hint, and the quoted test names after "Caught by" the `Caught by:` line. A name
 *   is kept only if it is a test of the step; when exercises/fingerprints.json knows the mistake,
 *   only names of tests it really fails are kept, and if none is left, the tests it fails are
 *   named instead (verify checks that every name in a header catches the mistake).
 * - A subclass of the key's class whose members replace the key's without calling `super` is
 *   read as the key with those members rewritten (`inlineSubclass()`); one that calls `super`
 *   wraps the key, a different design, and stays whole.
 * - A mistake stays whole when its diff would change more than `--max-share` (default 0.5) of
 *   the answer key's lines (a different design, or an `export *` module that is already small),
 *   when a subclass's patch would be longer than the module by more than its diff header,
 *   when no test can be named, or when the patch would not give back exactly the same code.
 *
 * It prints one line per mistake and the line counts before and after. Run `npm run verify`
 * afterwards: every converted mistake must still be caught, by the same tests.
 */
import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { applyPatch, createTwoFilesPatch, diffLines, FILE_HEADERS_ONLY } from "diff";
import { isMain, isUserError, UsageError } from "./command";
import { leadingComment } from "./docs/pages";
import { loadWorkbook, noStepMatches, rel, type Step, selectSteps, steps } from "./layout";
import {
  describeMistake,
  formatHeader,
  isPatch,
  loadFingerprints,
  type MistakeHeader,
  mistakeName,
} from "./mistakes";
import { type TS, ts } from "./typescript";

/** What became of one mistake. */
export interface Conversion {
  readonly file: string;
  /** `patch`: written as `<name>.patch`; `whole`: kept as it is, for `reason`. */
  readonly outcome: "patch" | "whole";
  readonly reason: string;
  readonly linesBefore: number;
  readonly linesAfter: number;
  /** The patch's text, when converted. */
  readonly patch?: string;
}

const lineCount = (text: string): number => text.replace(/\n$/, "").split("\n").length;

/** The titles of a step's tests and suites, as written in its spec files. */
export function testTitles(step: Step): string[] {
  const titles: string[] = [];
  for (const spec of [...step.specs, ...step.typeSpecs]) {
    const source = readFileSync(spec, "utf8");
    for (const m of source.matchAll(
      /\b(?:it|test|describe|suite)(?:\.\w+)*\(\s*(["'`])((?:\\.|(?!\1).)*)\1/g,
    )) {
      titles.push((m[2] ?? "").replace(/\\(.)/g, "$1"));
    }
  }
  return titles;
}

/** Does `claimed` (a name from a comment) name one of `titles` or a `suite > test` path of them? */
const namesATest = (claimed: string, titles: readonly string[]): boolean =>
  claimed
    .split(" > ")
    .every((part) => titles.some((t) => t.includes(part.trim()) || part.trim().includes(t)));

/**
 * `code` written in `<solutionDir>/mistakes/` with its relative module specifiers rewritten as
 * from `solutionDir` (`../../../patterns/x` → `../../patterns/x`). The answer key's own module
 * (`../<key>`) is left as it is: `mergeIntoKey()` recognises it.
 */
export function fromKeyFolder(code: string, solutionDir: string, keyModule: string): string {
  return code.replace(
    /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\2/g,
    (whole, lead: string, quote: string, spec: string) => {
      if (spec.replace(/\.(js|ts)$/, "") === `../${keyModule}`) return whole;
      const target = join(solutionDir, "mistakes", spec);
      let moved = relative(solutionDir, target).split(sep).join("/");
      if (!moved.startsWith(".")) moved = `./${moved}`;
      return `${lead}${quote}${moved}${quote}`;
    },
  );
}

/** A line that is only a comment (or part of one) or blank: not behaviour. */
const isCommentLine = (line: string): boolean => /^\s*(\/\/|\/\*|\*|$)/.test(line);

/**
 * `mistake` with every comment line of `key` that it dropped put back: the code is the mistake's,
 * the comments the key's plus the mistake's own. Behaviour is unchanged (verify proves it by the
 * fingerprints: the same tests fail).
 */
export function keepKeyComments(key: string, mistake: string): string {
  const out: string[] = [];
  for (const change of diffLines(key, mistake)) {
    const lines = change.value.replace(/\n$/, "").split("\n");
    if (!change.removed) out.push(...lines);
    else out.push(...lines.filter(isCommentLine));
  }
  return `${out.join("\n")}\n`;
}

const topLevelNames = (statement: TS.Statement): string[] => {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) =>
      ts.isIdentifier(d.name) ? [d.name.text] : [],
    );
  }
  const named = statement as { name?: TS.Node };
  return named.name && ts.isIdentifier(named.name) ? [named.name.text] : [];
};

/**
 * The answer key with the mistake's top-level declarations in place of the key's of the same name,
 * the mistake's new ones after the declaration they follow there, and its imports and re-exports
 * of the key itself dropped (the key's own declarations are there). `undefined` when the mistake
 * imports something of the key under another name (`Subject as Answer`): it wraps the key, and
 * merging would lose what it wraps.
 */
export function mergeIntoKey(key: string, mistake: string, keyModule: string): string | undefined {
  const parse = (text: string) => ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true);
  const keyFile = parse(key);
  const wrongFile = parse(mistake);
  const fromKey = (s: TS.Statement) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
    s.moduleSpecifier !== undefined &&
    ts.isStringLiteral(s.moduleSpecifier) &&
    s.moduleSpecifier.text.replace(/\.(js|ts)$/, "") === `../${keyModule}`;
  const wrong = wrongFile.statements;
  if (!wrong.some(fromKey)) return mistake;
  for (const s of wrong) {
    if (!fromKey(s)) continue;
    if (ts.isImportDeclaration(s) && s.importClause?.name) return undefined;
    const bindings = ts.isImportDeclaration(s)
      ? s.importClause?.namedBindings
      : ts.isExportDeclaration(s)
        ? s.exportClause
        : undefined;
    if (bindings === undefined) continue;
    if (ts.isNamespaceImport(bindings) || ts.isNamespaceExport(bindings)) return undefined;
    const renamed = (
      bindings.elements as TS.NodeArray<TS.ImportSpecifier | TS.ExportSpecifier>
    ).some((e) => e.propertyName !== undefined);
    if (renamed) return undefined;
  }
  const text = (file: TS.SourceFile, s: TS.Statement) => file.text.slice(s.getStart(file), s.end);
  const specifier = (s: TS.Statement) =>
    ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)
      ? s.moduleSpecifier.text
      : undefined;
  const keyStatements = keyFile.statements;
  const keyIndexOf = (s: TS.Statement): number => {
    const from = specifier(s);
    if (from !== undefined) return keyStatements.findIndex((k) => specifier(k) === from);
    const names = topLevelNames(s);
    return keyStatements.findIndex((k) => topLevelNames(k).some((n) => names.includes(n)));
  };
  // Each key statement the mistake redefines gets the mistake's text, preceded by the mistake's
  // own new statements written just before it; new statements after the last go at the end.
  const replaced = new Map<number, { before: string; own: string }>();
  const newImports: string[] = [];
  let pending: string[] = [];
  for (const s of wrong) {
    if (fromKey(s)) continue;
    const at = keyIndexOf(s);
    if (at === -1) {
      if (ts.isImportDeclaration(s)) newImports.push(text(wrongFile, s));
      else pending.push(text(wrongFile, s));
      continue;
    }
    const was = replaced.get(at) ?? { before: "", own: "" };
    const before = pending.map((p) => `${p}\n\n`).join("");
    replaced.set(
      at,
      was.own === ""
        ? { before, own: text(wrongFile, s) }
        : { before: was.before, own: `${was.own}\n\n${before}${text(wrongFile, s)}` },
    );
    pending = [];
  }
  let merged = "";
  let cursor = 0;
  keyStatements.forEach((k, i) => {
    const mine = replaced.get(i);
    if (mine === undefined) return;
    // New statements go before the key's statement and its doc comment, not between them.
    const full = k.getFullStart();
    const lead = key.slice(full, k.getStart(keyFile));
    const gap = lead.match(/^\s*/)?.[0] ?? "";
    merged += key.slice(cursor, full) + gap + mine.before + lead.slice(gap.length) + mine.own;
    cursor = k.end;
  });
  merged += key.slice(cursor);
  if (pending.length > 0) merged = `${merged.trimEnd()}\n\n${pending.join("\n\n")}\n`;
  if (newImports.length > 0) {
    const imports = keyStatements.filter(ts.isImportDeclaration);
    const last = imports[imports.length - 1];
    const at = last ? merged.indexOf(text(keyFile, last)) + text(keyFile, last).length : -1;
    const extra = newImports.join("\n");
    merged = at < 0 ? `${extra}\n${merged}` : `${merged.slice(0, at)}\n${extra}${merged.slice(at)}`;
  }
  return merged;
}

/** The text of a class member's name (`notify`, `[Symbol.asyncIterator]`, `#run`). */
const memberName = (file: TS.SourceFile, member: TS.ClassElement): string | undefined =>
  member.name?.getText(file);

/**
 * A mistake written as a subclass of the answer key's class (`import { Subject as Answer }`,
 * `class Subject extends Answer`) whose members override the key's without calling `super`,
 * rewritten as the key's class with those members in place of the key's (and the subclass's new
 * members before the key's first one): the same code as one class, so that `mergeIntoKey()` can
 * make it a patch that shows only the members it gets wrong. `undefined` when it calls `super`
 * (it wraps the key: a different design) or is not such a subclass.
 */
export function inlineSubclass(
  key: string,
  mistake: string,
  keyModule: string,
): string | undefined {
  const parse = (text: string) => ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true);
  const keyFile = parse(key);
  const wrongFile = parse(mistake);
  let alias: { imported: string; local: string; element: TS.ImportSpecifier } | undefined;
  for (const s of wrongFile.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    if (s.moduleSpecifier.text.replace(/\.(js|ts)$/, "") !== `../${keyModule}`) continue;
    const bindings = s.importClause?.namedBindings;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    for (const element of bindings.elements) {
      if (element.propertyName === undefined) continue;
      if (alias !== undefined) return undefined; // two renamed imports: not one subclass
      alias = {
        imported: element.propertyName.getText(wrongFile),
        local: element.name.text,
        element,
      };
    }
  }
  if (alias === undefined) return undefined;
  const { imported, local } = alias;
  const subclass = wrongFile.statements.find(
    (s): s is TS.ClassDeclaration =>
      ts.isClassDeclaration(s) &&
      s.name?.text === imported &&
      (s.heritageClauses ?? []).some((h) =>
        h.types.some((t) => t.expression.getText(wrongFile) === local),
      ),
  );
  const keyClass = keyFile.statements.find(
    (s): s is TS.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === imported,
  );
  if (subclass === undefined || keyClass === undefined) return undefined;
  // Any other use of the alias (a wrapper, an instanceof) means the key is needed as it is.
  const uses = wrongFile.text.split(new RegExp(`\\b${local}\\b`)).length - 1;
  if (uses !== 2 || /\bsuper\b/.test(subclass.getText(wrongFile))) return undefined;
  const replacements: { start: number; end: number; text: string }[] = [];
  const added: string[] = [];
  const noOverride = (member: TS.ClassElement) =>
    member
      .getText(wrongFile)
      .replace(/^((?:(?:public|protected|private|static|readonly|async)\s+)*)override\s+/, "$1");
  for (const member of subclass.members) {
    if (ts.isConstructorDeclaration(member)) return undefined;
    const name = memberName(wrongFile, member);
    const same = keyClass.members.find(
      (k) => name !== undefined && memberName(keyFile, k) === name,
    );
    if (same === undefined) added.push(noOverride(member));
    else
      replacements.push({ start: same.getStart(keyFile), end: same.end, text: noOverride(member) });
  }
  if (replacements.length === 0) return undefined;
  const first = keyClass.members[0];
  if (added.length > 0 && first !== undefined) {
    const at = first.getStart(keyFile);
    const indent = key.slice(key.lastIndexOf("\n", at) + 1, at);
    replacements.push({ start: at, end: at, text: added.map((a) => `${a}\n\n${indent}`).join("") });
  }
  let merged = key.slice(keyClass.getStart(keyFile), keyClass.end);
  const offset = keyClass.getStart(keyFile);
  for (const r of replacements.sort((a, b) => b.start - a.start)) {
    merged = merged.slice(0, r.start - offset) + r.text + merged.slice(r.end - offset);
  }
  // The import keeps its other names; the renamed one goes (the class is the key's own now).
  const importText = alias.element.parent.parent.parent;
  const others = alias.element.parent.elements.filter((e) => e !== alias.element);
  const newImport =
    others.length === 0
      ? ""
      : `import { ${others.map((e) => e.getText(wrongFile)).join(", ")} } from "../${keyModule}";`;
  const edits = [
    { start: importText.getStart(wrongFile), end: importText.end, text: newImport },
    { start: subclass.getStart(wrongFile), end: subclass.end, text: merged },
  ].sort((a, b) => b.start - a.start);
  let out = mistake;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The patch that turns `step`'s answer key into the whole mistake `file`, or why there is none. */
export function convert(
  step: Step,
  file: string,
  failing: readonly string[] | undefined,
  maxShare = 0.5,
): Conversion {
  const source = readFileSync(file, "utf8").replace(/\r\n/g, "\n");
  const whole = (reason: string): Conversion => ({
    file,
    outcome: "whole",
    reason,
    linesBefore: lineCount(source),
    linesAfter: lineCount(source),
  });
  const stub = step.modules[0];
  if (!stub) return whole("the step has no stub, so no answer key");
  const keyName = basename(stub);
  const key = readFileSync(join(step.solutionDir, keyName), "utf8").replace(/\r\n/g, "\n");
  const { codeLine } = leadingComment(source);
  // Its relative imports, written from mistakes/, are rewritten as from the key's folder.
  const body = fromKeyFolder(
    source
      .split("\n")
      .slice(codeLine - 1)
      .join("\n"),
    step.solutionDir,
    basename(keyName, ".ts"),
  );

  const said = describeMistake(file);
  const titles = testTitles(step);
  let caughtBy = said.caughtBy.filter((name) => namesATest(name, titles));
  if (failing) {
    caughtBy = caughtBy.filter((name) => failing.some((f) => f.includes(name)));
    if (caughtBy.length === 0) caughtBy = failing.slice(0, 2).map((f) => f.split(" > ").pop() ?? f);
  }
  if (caughtBy.length === 0) return whole("its comment names no test of the step in quotes");

  // Whole mistakes were copied from their key (or re-export its unchanged parts), then the key's
  // comments were edited or dropped in one or the other. Only code is the mistake: keep the key's
  // declarations the mistake does not redefine and the key's comments, with the mistake's code and
  // its own comments (a "// wrong: …" note teaches), so that the patch is the bug and no more.
  const keyModule = basename(keyName, ".ts");
  const inlined = inlineSubclass(key, body, keyModule);
  const merged = mergeIntoKey(key, inlined ?? body, keyModule);
  if (merged === undefined) {
    return whole("it uses the answer key under another name (a subclass or a wrapper)");
  }
  const rebased = keepKeyComments(key, merged);
  const changed = diffLines(key, rebased)
    .filter((c) => c.added || c.removed)
    .reduce((n, c) => n + (c.count ?? 0), 0);
  const share = changed / Math.max(1, lineCount(key));
  if (share > maxShare) {
    return whole(
      `its diff would change ${changed} lines, ${Math.round(share * 100)} % of the answer key's ${lineCount(key)}: a different design`,
    );
  }
  const header: MistakeHeader = {
    // The comment's own "Caught by …" sentence moves to its field.
    mistake: said.mistake.replace(/\s*Caught by\b[\s\S]*$/i, "").trim() || said.mistake,
    caughtBy,
    hint: said.hint,
  };
  const patch =
    formatHeader(header) +
    createTwoFilesPatch(`a/${keyName}`, `b/${keyName}`, key, rebased, "", "", {
      headerOptions: FILE_HEADERS_ONLY,
      // One line of context is enough to apply it to the answer key; the docs show three.
      context: 1,
    });
  // A subclass that rewrites a long method says it in fewer lines than a diff of that method.
  if (inlined !== undefined && lineCount(patch) > lineCount(source) + 4) {
    return whole(
      `the patch would take ${lineCount(patch)} lines, the module ${lineCount(source)}: the override is the clearer statement`,
    );
  }
  if (applyPatch(key, patch) !== rebased) {
    return whole("the patch would not give back exactly the mistake's code");
  }
  return {
    file,
    outcome: "patch",
    reason: `${changed} changed lines`,
    linesBefore: lineCount(source),
    linesAfter: lineCount(patch),
    patch,
  };
}

/** Converts the whole mistakes of `chosen`; writes the patches unless `dryRun`. */
export function convertAll(
  root: string,
  chosen: readonly Step[],
  options: { dryRun?: boolean; maxShare?: number } = {},
): Conversion[] {
  const prints = loadFingerprints(root);
  return chosen.flatMap((step) =>
    step.mistakes
      .filter((file) => !isPatch(file))
      .map((file) => {
        const known = prints.steps[step.id]?.mistakes.find((m) => m.name === mistakeName(file));
        const done = convert(step, file, known?.failing, options.maxShare);
        if (done.patch !== undefined && !options.dryRun) {
          writeFileSync(
            join(step.solutionDir, "mistakes", `${mistakeName(file)}.patch`),
            done.patch,
          );
          unlinkSync(file);
        }
        return done;
      }),
  );
}

const USAGE = `Usage: npm run mistakes:to-patches [-- <filter>…] [--dry-run] [--workbook <folder>] [--max-share <n>]

  <filter>             only these steps: a pattern (observer) or part of a step id
  --dry-run            say what would be converted; write nothing
  --workbook <folder>  convert another workbook (a copy) instead of this repository
  --max-share <n>      keep a mistake whole when its diff changes more than this share of the
                       answer key's lines (default 0.5)
  --help               show this`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      "dry-run": { type: "boolean" },
      workbook: { type: "string" },
      "max-share": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const workbook = await loadWorkbook(values.workbook);
  const all = steps(workbook);
  const chosen = selectSteps(all, positionals);
  if (chosen.length === 0) throw new UsageError(noStepMatches(all, positionals));
  const maxShare = values["max-share"] === undefined ? 0.5 : Number(values["max-share"]);
  if (!(maxShare > 0 && maxShare <= 1)) throw new UsageError("--max-share is a number in (0, 1]");
  const done = convertAll(workbook.root, chosen, { dryRun: values["dry-run"], maxShare });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const c of done) {
    const what = c.outcome === "patch" ? "patch" : "whole";
    out(
      `${what.padEnd(5)}  ${rel(c.file, workbook.root)}: ${c.linesBefore} → ${c.linesAfter} lines (${c.reason})`,
    );
  }
  const sum = (f: (c: Conversion) => number) => done.reduce((n, c) => n + f(c), 0);
  const patches = done.filter((c) => c.outcome === "patch").length;
  out(
    `\n${patches} of ${done.length} whole mistakes ${values["dry-run"] ? "would become" : "became"} patches; ` +
      `their lines: ${sum((c) => c.linesBefore)} → ${sum((c) => c.linesAfter)}.`,
  );
  if (!values["dry-run"] && patches > 0) {
    out(
      "Now run `npm run verify -- --update-fingerprints` and check that every mistake is caught.",
    );
  }
  return 0;
}

if (isMain(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${isUserError(error) ? `${error.message}\n\n${USAGE}` : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
