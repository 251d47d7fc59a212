/**
 * Property-based fuzzing of the lifecycle repository and of notifications: observers that throw
 * arbitrary values, veto or return anything, and arbitrary arguments. Every other observer is
 * still called, every failure is reported once, and bad arguments get the named error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anyValue, type Boxed, badArgumentProblem, fuzzTally } from "../../kata/spec-helpers";
import { Repository } from "./lifecycle";
import { createNotification, notifier } from "./notification";

const RUNS = 60;

class Post {
  id?: number;
}

type Hook = { readonly kind: "throw" | "return"; readonly value: Boxed };

describe("the lifecycle repository under fuzzing", () => {
  it("calls every observer up to a veto and reports each failure once", () => {
    const tally = fuzzTally("Repository.save observers");
    const hook = fc.record({
      kind: fc.constantFrom("throw" as const, "return" as const),
      value: anyValue(),
    });
    fc.assert(
      fc.property(fc.array(hook, { minLength: 1, maxLength: 6 }), (hooks: Hook[]) => {
        tally.values += hooks.length;
        const repository = new Repository();
        const called: number[] = [];
        hooks.forEach((h, i) => {
          repository.observe(Post, {
            saving: () => {
              called.push(i);
              if (h.kind === "throw") throw h.value.value;
              return h.value.value as boolean;
            },
          });
        });
        // Observers run in order until the first that returns exactly false.
        const veto = hooks.findIndex((h) => h.kind === "return" && h.value.value === false);
        const ran = veto === -1 ? hooks : hooks.slice(0, veto + 1);
        const throwing = ran.filter((h) => h.kind === "throw").length;

        let saved: boolean | undefined;
        let failure: unknown;
        try {
          saved = repository.save(new Post());
        } catch (error) {
          failure = error;
        }

        expect(called).toEqual(ran.map((_, i) => i));
        if (throwing > 0) {
          expect(failure).toBeInstanceOf(AggregateError);
          expect((failure as AggregateError).errors).toHaveLength(throwing);
          expect(repository.all(Post)).toEqual([]);
        } else {
          expect(saved).toBe(veto === -1);
        }
      }),
      { numRuns: RUNS },
    );
    tally.done(RUNS);
  });

  it("refuses bad arguments by name", () => {
    const tally = fuzzTally("Repository, createNotification, notifier arguments");
    fc.assert(
      fc.property(anyValue(), anyValue(), anyValue(), (a, b, c) => {
        tally.values += 3;
        const attempts = [
          () => new Repository().observe(a.value as never, { saved() {} }),
          () => new Repository().observe(Post, b.value as never),
          () => new Repository().observe(Post, { saved() {} }, c.value as never),
          // (not save(a.value): any instance of a class is a model, and one whose own getters
          // throw passes its own error on, as reading it anywhere would)
          () => createNotification(a.value as string, b.value, c.value as never),
          () => notifier(c.value as never),
        ];
        for (const call of attempts) {
          try {
            call();
          } catch (error) {
            expect(badArgumentProblem(error)).toBeUndefined();
          }
        }
      }),
      { numRuns: RUNS },
    );
    tally.done(RUNS);
  });
});
