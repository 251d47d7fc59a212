/**
 * `npm run handout`: the repository students get holds the workbook and its specs, the Classroom
 * workflow, and no answer key anywhere in its history.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError } from "./command";
import { commitAll, fixtureCopy, removeCopies, write } from "./fixture-copies";
import { handout, isWithheld, WORKFLOW_PATH } from "./handout";

const scratch = mkdtempSync(join(tmpdir(), "kata-handout-"));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  removeCopies();
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8" });

describe("handout()", () => {
  it("writes one fresh commit with the specs and the workflow, and no answer key in its history", () => {
    const teacher = fixtureCopy("handout-teacher");
    write(teacher, ".github/workflows/ci.yml", "name: teacher's own CI\n");
    commitAll(teacher);
    const folder = join(scratch, "class-2027");
    const done = handout({ folder, repository: teacher, specsRepo: "school/patterns-kata" });
    const files = git(folder, "ls-files").trim().split("\n");
    expect(files).toContain("exercises/greeter/01-greet/greet.spec.ts");
    expect(files).toContain("exercises/greeter/01-greet/greet.ts");
    expect(files).toContain(WORKFLOW_PATH);
    expect(files.filter((f) => f.includes("solutions") || f.includes("mistakes"))).toEqual([]);
    expect(files).not.toContain(".github/workflows/ci.yml");
    expect(existsSync(join(folder, "solutions"))).toBe(false);
    expect(git(folder, "rev-list", "--all").trim().split("\n")).toEqual([done.commit]);
    expect(git(folder, "tag").trim()).toBe("handout");
    expect(git(folder, "status", "--porcelain")).toBe("");
    const workflow = readFileSync(join(folder, WORKFLOW_PATH), "utf8");
    expect(workflow).toContain("repository: school/patterns-kata");
    expect(workflow).toContain("ref: handout");
    expect(workflow).toContain("npm run grade -- --repo . --out ../reports ../submission");
    expect(done.withheld).toBe(6); // five answer-key files (one an approach) and the teacher's CI
  });

  it("refuses a folder that is not empty, and writes nothing into it", () => {
    const teacher = fixtureCopy("handout-full");
    commitAll(teacher);
    const folder = join(scratch, "taken");
    mkdirSync(folder);
    writeFileSync(join(folder, "notes.txt"), "mine\n");
    expect(() => handout({ folder, repository: teacher })).toThrow(
      new UsageError(`${folder}: the folder exists and is not empty`),
    );
    expect(existsSync(join(folder, ".git"))).toBe(false);
  });

  it("withholds answer keys wherever they are, and the teacher's CI", () => {
    expect(
      [
        "solutions/a/01/x.ts",
        "kata/fixtures/classroom/exercises/catalog.ts",
        "patterns/x/mistakes/y.ts",
        ".github/workflows/ci.yml",
        "exercises/a/01/x.spec.ts",
        "kata/grade.ts",
      ].filter(isWithheld),
    ).toEqual([
      "solutions/a/01/x.ts",
      "kata/fixtures/classroom/exercises/catalog.ts",
      "patterns/x/mistakes/y.ts",
      ".github/workflows/ci.yml",
    ]);
  });
});
