/**
 * The demos as a reader runs them (`npm run demo <name>`): output that explains its own notation.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./layout";

const demo = (name: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "kata/demo.ts", name], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });

describe("npm run demo asset-events", () => {
  it("opens with a heading and a legend for the trace's notation, then uses that notation", () => {
    const run = demo("asset-events");
    expect(run.status).toBe(0);
    const [head = "", trace = ""] = run.stdout.split("\n1. ");
    expect(head).toMatch(/^Asset events: .+\n\nHow to read the trace:\n/);
    for (const notation of ["• topic [m2, chain m1 ← m1]", "indentation", "plain lines"]) {
      expect(head).toContain(notation);
    }
    expect(head).toContain("after ←, the message\n");
    expect(trace).toContain("  • assets.updated.image [m1, chain m1]");
    expect(trace).toContain("    • search.reindexed [m2, chain m1 ← m1]");
  }, 60_000);
});
