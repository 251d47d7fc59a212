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
  /**
   * Where the test failed, when known: the line of the failing `expect(…)` (or of the
   * `@ts-expect-error` the compiler found unused), which may not be the `it(` line.
   */
  readonly failedAt?: FailurePlace;
  /** The failing assertion's expected/actual difference (`- Expected` / `+ Received` lines). */
  readonly diff?: string;
}

/** A failure's place in its spec file, and that line's source once read (the board shows it). */
export interface FailurePlace {
  readonly line: number;
  readonly column?: number;
  /** The source line, trimmed (filled in by the session from the spec file). */
  readonly source?: string;
}
