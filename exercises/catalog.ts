/**
 * The catalog: the single source of truth for pattern order, step order, titles and hints.
 * The board, `verify`, the runner and the docs read it; `verify` checks it against the folders
 * (`exercises/<pattern>/<step>/` and its mirror in `solutions/`).
 */

/** One kata step: its folder under `exercises/<pattern>/`, its title and its hints. */
export interface StepEntry {
  /** Folder name, `NN-kebab-name`; the numbers count up from 01 in catalog order. */
  readonly dir: string;
  readonly title: string;
  /** Shown one at a time on request, mildest first; the last may nearly give the answer away. */
  readonly hints: readonly string[];
}

/** One pattern: its folder under `patterns/`, `exercises/` and `solutions/`, and its steps. */
export interface PatternEntry {
  readonly id: string;
  readonly title: string;
  /** One sentence for the board and the docs. */
  readonly summary: string;
  readonly steps: readonly StepEntry[];
}

export const catalog: readonly PatternEntry[] = [
  {
    id: "singleton",
    title: "Singleton",
    summary: "One shared instance with a single point of access, created lazily and safely.",
    steps: [
      {
        dir: "01-one-instance",
        title: "One instance",
        hints: [
          "Keep the instance in a static field of the class and create it the first time it is asked for.",
          "A `private constructor()` makes `new Config()` a compile error everywhere outside the class.",
        ],
      },
    ],
  },
];
