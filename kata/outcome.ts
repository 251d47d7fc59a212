/** The result of one test against one target: what the board, verify and grading all consume. */
export interface TestOutcome {
  /** `exercises`, `solutions`, `reference` or `mistake:<step>/<name>`. */
  readonly target: string;
  /** Absolute path of the spec file. */
  readonly file: string;
  /** Full name: `describe > it`. */
  readonly name: string;
  readonly line: number | undefined;
  /** `runtime` for vitest specs, `type` for compiler-checked `*.test-d.ts` specs. */
  readonly kind: "runtime" | "type";
  readonly state: "passed" | "failed" | "skipped";
  /** Failure messages, first line first; empty when passed. */
  readonly messages: readonly string[];
  readonly durationMs: number;
}
