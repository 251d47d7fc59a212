/**
 * `npm run check` chooses the steps to check from the files that changed: a step's own folders,
 * and what their modules import by a relative path.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changedSteps } from "./check";
import { loadWorkbook, repoRoot, steps } from "./layout";

const workbook = await loadWorkbook(join(repoRoot, "kata", "fixtures", "sound"));
const all = steps(workbook);
const [greet] = all;
if (!greet) throw new Error("the sound fixture has no step");

describe("npm run check's choice of steps", () => {
  it("takes a step whose stub, spec, answer key or mistake changed", () => {
    for (const file of [
      join(greet.exerciseDir, "greet.ts"),
      join(greet.exerciseDir, "greet.spec.ts"),
      join(greet.solutionDir, "greet.ts"),
      join(greet.solutionDir, "mistakes", "forgets-the-bang.patch"),
    ]) {
      expect(changedSteps(workbook, all, [file]).map((s) => s.id)).toEqual([greet.id]);
    }
  });

  it("takes a step whose folder lost a file (a deleted path counts)", () => {
    const gone = join(greet.solutionDir, "mistakes", "deleted.ts");
    expect(changedSteps(workbook, all, [gone]).map((s) => s.id)).toEqual([greet.id]);
  });

  it("takes no step for a file outside every step's folders and imports", () => {
    expect(changedSteps(workbook, all, [join(workbook.root, "README.md")])).toEqual([]);
    expect(changedSteps(workbook, all, [])).toEqual([]);
  });
});
