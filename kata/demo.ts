/**
 * `npm run demo` lists the demos; `npm run demo <name> [args…]` runs one.
 * A demo is any file `patterns/<pattern>/demos/<name>.ts`; the first line of its leading
 * comment is its description. Names are unique across patterns (verify would not know which).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import pc from "picocolors";
import { listFiles, loadWorkbook } from "./layout";

const workbook = await loadWorkbook();
const demos = workbook.catalog.flatMap((pattern) =>
  listFiles(`${workbook.patternsDir}/${pattern.id}/demos`, (n) => n.endsWith(".ts")).map(
    (file) => ({ name: basename(file, ".ts"), pattern, file }),
  ),
);

const describe = (file: string): string =>
  /\/\*\*?\s*\n?\s*\*?\s*(.+)/.exec(readFileSync(file, "utf8"))?.[1]?.trim() ?? "";

const [name, ...args] = process.argv.slice(2);
const demo = demos.find((d) => d.name === name);
if (!demo) {
  if (name) process.stderr.write(pc.red(`No demo is called "${name}".\n\n`));
  process.stdout.write(`${pc.bold("Demos")} (npm run demo <name>)\n\n`);
  const width = Math.max(...demos.map((d) => d.name.length));
  for (const d of demos) {
    process.stdout.write(
      `  ${d.name.padEnd(width)}  ${pc.dim(d.pattern.title)} · ${describe(d.file)}\n`,
    );
  }
  process.exitCode = name ? 2 : 0;
} else {
  process.argv = [process.argv[0] ?? "node", demo.file, ...args];
  await import(pathToFileURL(demo.file).href);
}
