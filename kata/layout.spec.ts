import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadWorkbook, repoRoot, type Step, selectSteps, steps, type Workbook } from "./layout";
import { moduleText, patchOf } from "./mistakes";
import { parseSpecId, redirect, specId, type Target } from "./targets";

const fixture = join(repoRoot, "kata", "fixtures", "sound");
let workbook: Workbook;
let all: Step[];

beforeAll(async () => {
  workbook = await loadWorkbook(fixture);
  all = steps(workbook);
});

describe("steps()", () => {
  it("resolves each catalog step to its folders and files", () => {
    const [step] = all;
    expect(step?.id).toBe("greeter/01-greet");
    expect(step?.modules.map((f) => f.slice(fixture.length))).toEqual([
      "/exercises/greeter/01-greet/greet.ts",
    ]);
    expect(step?.specs).toHaveLength(1);
    expect(step?.typeSpecs).toHaveLength(1);
    expect(step?.mistakes.map((f) => f.split("/").pop())).toEqual([
      "forgets-the-bang.patch",
      "rude.ts",
      "takes-anything.patch",
    ]);
  });
});

describe("selectSteps()", () => {
  const ids = (filters: string[]) => selectSteps(all, filters).map((s) => s.id);

  it("selects everything without a filter", () => {
    expect(ids([])).toEqual(["greeter/01-greet"]);
  });

  it("accepts a pattern, a step id, a folder path or part of an id", () => {
    for (const filter of ["greeter", "greeter/01-greet", "exercises/greeter/01-greet/", "01-gr"]) {
      expect(ids([filter])).toEqual(["greeter/01-greet"]);
    }
  });

  it("accepts Windows separators", () => {
    expect(ids(["exercises\\greeter\\01-greet"])).toEqual(["greeter/01-greet"]);
  });

  it("matches a pattern id exactly, not as a prefix of another pattern", () => {
    const [greet] = all as [Step];
    const other: Step = {
      ...greet,
      pattern: { ...greet.pattern, id: "greeter-async" },
      id: "greeter-async/01-greet",
    };
    const chosen = (filter: string) => selectSteps([greet, other], [filter]).map((s) => s.id);
    expect(chosen("greeter")).toEqual(["greeter/01-greet"]);
    expect(chosen("01-greet")).toEqual(["greeter/01-greet", "greeter-async/01-greet"]);
  });

  it("selects nothing for an unknown name or an empty filter", () => {
    expect(ids(["observer"])).toEqual([]);
    expect(ids(["/"])).toEqual([]);
  });
});

describe("redirect()", () => {
  const at = (path: string) => join(fixture, path);
  const spec = at("exercises/greeter/01-greet/greet.spec.ts");
  const stub = at("exercises/greeter/01-greet/greet.ts");
  const mistakes = "solutions/greeter/01-greet/mistakes";

  it("keeps the student's stub for the exercises target", () => {
    expect(redirect(workbook, { kind: "exercises" }, spec, stub)).toBeUndefined();
  });

  it("sends a spec's stub import to the answer key or to one mistake", () => {
    const step = all[0] as Step;
    const whole: Target = { kind: "mistake", step, file: at(`${mistakes}/rude.ts`) };
    expect(redirect(workbook, { kind: "solutions" }, spec, stub)).toBe(
      at("solutions/greeter/01-greet/greet.ts"),
    );
    expect(redirect(workbook, whole, spec, stub)).toBe(at(`${mistakes}/rude.ts`));
  });

  it("sends it to a patched answer key, in memory, for a mistake stored as a patch", () => {
    const step = all[0] as Step;
    const patch = at(`${mistakes}/forgets-the-bang.patch`);
    const served = redirect(workbook, { kind: "mistake", step, file: patch }, spec, stub) ?? "";
    // A virtual module in the answer key's folder (its relative imports resolve from there).
    expect(served).toBe(at("solutions/greeter/01-greet/greet.mistake~forgets-the-bang.ts"));
    expect(existsSync(served)).toBe(false);
    expect(patchOf(served)).toBe(patch);
    expect(moduleText(served)).toBe(
      readFileSync(at("solutions/greeter/01-greet/greet.ts"), "utf8").replace("}!`", "}`"),
    );
  });

  it("leaves imports that are not a spec's import of its own stub alone", () => {
    const solutions: Target = { kind: "solutions" };
    expect(redirect(workbook, solutions, stub, stub)).toBeUndefined();
    expect(redirect(workbook, solutions, spec, at("exercises/other/01-x/x.ts"))).toBeUndefined();
    expect(redirect(workbook, solutions, spec, spec)).toBeUndefined();
  });

  it("round-trips a target through a spec module id", () => {
    const step = all[0] as Step;
    const mistake: Target = { kind: "mistake", step, file: at(`${mistakes}/rude.ts`) };
    expect(parseSpecId(specId(spec, mistake), "exercises")).toEqual({
      file: spec,
      target: "mistake:greeter/01-greet/rude",
    });
    expect(specId(spec, { kind: "exercises" })).toBe(spec);
  });
});
