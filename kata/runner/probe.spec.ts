/**
 * The probe: a student module goes through vite's native code in a process of its own first, so
 * that a module which crashes that code fails alone instead of killing the runner.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TransformProbe } from "./probe";

const FILE = "/workbook/exercises/greeter/01-greet/greet.ts";
const SOUND = 'export function greet(name: string): string {\n  return "Hello, " + name;\n}\n';
const deep = (levels: number) => `export const x = ${"(".repeat(levels)}1${")".repeat(levels)};\n`;
const CRASHED = /^vite's compiler \(native code\) crashed on this module \(SIGSEGV\)/;

let probe: TransformProbe | undefined;
afterEach(() => probe?.close());

describe("the probe", () => {
  it("lets a sound module through, at both stages", async () => {
    probe = new TransformProbe();
    expect(await probe.check(FILE, SOUND, "source")).toBeUndefined();
    expect(await probe.check(FILE, SOUND.replace(": string", ""), "output")).toBeUndefined();
  });

  it("lets a syntax error through: vite reports it, as it always does", async () => {
    probe = new TransformProbe();
    expect(await probe.check(FILE, "export const = ;\n", "source")).toBeUndefined();
  });

  it.each([
    ["source", "source"],
    ["final code", "output"],
  ] as const)(
    "refuses a module whose %s crashes vite's native code, and goes on with a fresh process",
    async (_, stage) => {
      probe = new TransformProbe();
      const [crashed, next] = await Promise.all([
        probe.check(FILE, deep(100_000), stage),
        probe.check(FILE, SOUND, "source"),
      ]);
      expect(crashed).toMatch(CRASHED);
      expect(next).toBeUndefined();
    },
  );

  it("never probes what vite does not compile (JSON, text)", async () => {
    probe = new TransformProbe(1);
    expect(
      await probe.check(FILE.replace(".ts", ".json"), "[".repeat(100_000), "source"),
    ).toBeUndefined();
  });

  it("stops a module that keeps it busy past its limit", async () => {
    probe = new TransformProbe(1);
    expect(await probe.check(FILE, SOUND, "source")).toBe(
      "vite's compiler took more than 0.001 s over this module, so it was stopped",
    );
  });

  it("answers every module still waiting when the runner closes", async () => {
    probe = new TransformProbe();
    const waiting = [probe.check(FILE, SOUND, "source"), probe.check(FILE, SOUND, "output")];
    probe.close();
    expect(await Promise.all(waiting)).toEqual(["the runner was closed", "the runner was closed"]);
    expect(await probe.check(FILE, SOUND, "source")).toBe("the runner was closed");
  });
});
