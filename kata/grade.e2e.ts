/**
 * `npm run grade` as a teacher runs it: a subprocess grading two submissions against an older
 * commit of the teacher's repository (--ref), writing grade.json and junit.xml beside each, with
 * a summary table. It starts a fresh runner, so it lives with the slow tests (`npm run test:e2e`);
 * grade.spec.ts covers grading itself.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { commitAll, fixtureCopy, removeCopies } from "./fixture-copies";
import { validate } from "./json-schema";
import { repoRoot } from "./layout";

const schema = JSON.parse(readFileSync(join(repoRoot, "kata/grade.schema.json"), "utf8"));

afterAll(removeCopies);

describe("npm run grade", () => {
  it("grades submissions at a ref and writes grade.json and junit.xml beside each", () => {
    const teacher = fixtureCopy("grade-e2e-teacher");
    commitAll(teacher);
    const solved = fixtureCopy("grade-e2e-solved");
    for (const [step, module] of [
      ["01-greet", "greet.ts"],
      ["02-count", "counter.ts"],
    ] as const) {
      cpSync(
        join(solved, "solutions/greeter", step, module),
        join(solved, "exercises/greeter", step, module),
      );
    }
    const half = fixtureCopy("grade-e2e-half");
    cpSync(
      join(half, "solutions/greeter/01-greet/greet.ts"),
      join(half, "exercises/greeter/01-greet/greet.ts"),
    );

    // A second commit adds a test; grading at HEAD~1 must not know it.
    const spec = join(teacher, "exercises/greeter/02-count/counter.spec.ts");
    const original = join(
      repoRoot,
      "kata/fixtures/classroom/exercises/greeter/02-count/counter.spec.ts",
    );
    writeFileSync(spec, `${readFileSync(original, "utf8")}\nit("is new", () => {});\n`);
    const git = ["-c", "user.name=k", "-c", "user.email=k@k", "-c", "commit.gpgsign=false"];
    execFileSync("git", [...git, "commit", "--no-verify", "-qam", "more"], {
      cwd: teacher,
    });
    const out = execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        join(repoRoot, "kata/grade.ts"),
        "--repo",
        teacher,
        "--ref",
        "HEAD~1",
        solved,
        half,
      ],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" }, encoding: "utf8" },
    );
    expect(out).toMatch(/Summary[\s\S]*solved-\d+ +2\/2 +5\/5 +100%[\s\S]*half-\d+ +1\/2 +3\/5/);
    for (const folder of [solved, half]) {
      expect(existsSync(join(folder, "junit.xml"))).toBe(true);
      const report = JSON.parse(readFileSync(join(folder, "grade.json"), "utf8"));
      expect(validate(report, schema)).toEqual([]);
      expect(report.specs.ref).toBe("HEAD~1");
    }
  }, 60_000);
});
