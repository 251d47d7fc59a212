import { describe, expectTypeOf, it } from "vitest";
import { AsyncSubject } from "./async-subject";
import { type JobEvent, JobQueue } from "./job-queue";
import { type TaskEvent, TaskMonitor } from "./task-monitor";

describe("AsyncSubject<T>", () => {
  it("accepts observers of T, synchronous or asynchronous, functions or objects", () => {
    const subject = new AsyncSubject<number>();
    subject.attach((n: number) => n * 2);
    subject.attach(async (n: number) => {
      expectTypeOf(n).toEqualTypeOf<number>();
    });
    subject.attach({ update: (n: number) => n });
  });

  it("rejects an observer of another type", () => {
    const subject = new AsyncSubject<number>();
    // @ts-expect-error an observer of strings cannot watch numbers
    subject.attach((s: string) => s.length);
  });

  it("types notify() and publish() by T", () => {
    const subject = new AsyncSubject<{ id: string }>();
    expectTypeOf(subject.notify({ id: "a" })).toEqualTypeOf<Promise<void>>();
    expectTypeOf(subject.publish({ id: "a" })).toEqualTypeOf<void>();
    // @ts-expect-error the value must be a T
    void subject.notify({ name: "a" });
  });

  it("iterates T with for await", async () => {
    const subject = new AsyncSubject<Date>();
    for await (const value of subject) {
      expectTypeOf(value).toEqualTypeOf<Date>();
      break;
    }
  });

  it("gives onError the AggregateError and the value", () => {
    new AsyncSubject<string>({
      onError: (error, value) => {
        expectTypeOf(error).toEqualTypeOf<AggregateError>();
        expectTypeOf(value).toEqualTypeOf<string>();
      },
    });
  });
});

describe("TaskMonitor<R>", () => {
  it("resolves with settled results of R", () => {
    const monitor = new TaskMonitor<number>();
    expectTypeOf(monitor.run([() => 1, async () => 2])).toEqualTypeOf<
      Promise<PromiseSettledResult<number>[]>
    >();
  });

  it("rejects a task that returns something other than R", () => {
    const monitor = new TaskMonitor<number>();
    // @ts-expect-error a task of a number monitor must produce a number
    void monitor.run([() => "one"]);
  });

  it("narrows events by type", () => {
    const monitor = new TaskMonitor<number>();
    monitor.attach((event: TaskEvent<number>) => {
      if (event.type === "finished") expectTypeOf(event.value).toEqualTypeOf<number>();
      if (event.type === "failed") expectTypeOf(event.error).toEqualTypeOf<unknown>();
      // @ts-expect-error only finished events carry a value
      void event.value;
    });
  });
});

describe("JobQueue<P, R>", () => {
  it("types the handler's payload and the events' result", () => {
    const queue = new JobQueue<{ to: string }, boolean>({
      handler: (payload) => {
        expectTypeOf(payload).toEqualTypeOf<{ to: string }>();
        return true;
      },
    });
    expectTypeOf(queue.enqueue({ to: "a@example.com" })).toEqualTypeOf<string>();
    queue.attach((event: JobEvent<{ to: string }, boolean>) => {
      if (event.type === "succeeded") expectTypeOf(event.result).toEqualTypeOf<boolean>();
      if (event.type === "dead") expectTypeOf(event.attempts).toEqualTypeOf<number>();
    });
  });

  it("rejects a payload of the wrong shape", () => {
    const queue = new JobQueue<{ to: string }>({ handler: () => undefined });
    // @ts-expect-error the payload must match P
    queue.enqueue({ recipient: "a@example.com" });
  });
});
