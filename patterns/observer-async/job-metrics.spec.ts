/**
 * The job metrics: what the observer counts from a queue's events, the depth read at scrape
 * time, and an exposition Prometheus accepts (`promtool check metrics`, from Debian's prometheus
 * package; a machine without it gets an error naming the package).
 */
import { spawnSync } from "node:child_process";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { requireBinary } from "../../kata/services";
import { JobMetrics } from "./job-metrics";
import { JobQueue } from "./job-queue";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const value = async (metrics: JobMetrics, name: string, labels: Record<string, string> = {}) => {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    ?.value;
};

/** A queue whose jobs fail their first `payload` attempts; at most 3 attempts. */
function flakyQueue() {
  return new JobQueue<number, string>({
    handler: (failures, job) => {
      if (job.attempt <= failures) throw new Error(`attempt ${job.attempt} failed`);
      return "ok";
    },
    maxAttempts: 3,
    backoff: { initialDelay: 10 },
  });
}

describe("what the job metrics count", () => {
  it("counts enqueued, started, succeeded, retried and dead-lettered jobs", async () => {
    const queue = flakyQueue();
    const metrics = new JobMetrics();
    queue.attach(metrics.observer);
    queue.enqueue(0); // succeeds at once
    queue.enqueue(1); // one retry, then succeeds
    queue.enqueue(9); // two retries, then dead
    await vi.advanceTimersByTimeAsync(1_000);
    await queue.idle();

    expect(await value(metrics, "jobs_enqueued_total")).toBe(3);
    expect(await value(metrics, "jobs_started_total")).toBe(1 + 2 + 3);
    expect(await value(metrics, "jobs_succeeded_total")).toBe(2);
    expect(await value(metrics, "jobs_retried_total")).toBe(1 + 2);
    expect(await value(metrics, "jobs_dead_lettered_total")).toBe(1);
  });

  it("times every attempt, by its outcome", async () => {
    const queue = flakyQueue();
    const metrics = new JobMetrics();
    queue.attach(metrics.observer);
    queue.enqueue(1);
    queue.enqueue(9);
    await vi.advanceTimersByTimeAsync(1_000);
    await queue.idle();

    const text = await metrics.registry.metrics();
    expect(text).toContain('job_attempt_duration_seconds_count{outcome="succeeded"} 1');
    expect(text).toContain('job_attempt_duration_seconds_count{outcome="retrying"} 3');
    expect(text).toContain('job_attempt_duration_seconds_count{outcome="dead"} 1');
  });

  it("reads the queue's depth at every scrape", async () => {
    let depth = { waiting: 3, running: 2, delayed: 1 };
    const metrics = new JobMetrics({ depth: () => depth });
    expect(await value(metrics, "jobs_queue_depth", { state: "waiting" })).toBe(3);
    expect(await value(metrics, "jobs_queue_depth", { state: "running" })).toBe(2);
    expect(await value(metrics, "jobs_queue_depth", { state: "delayed" })).toBe(1);
    depth = { waiting: 0, running: 0, delayed: 0 };
    expect(await value(metrics, "jobs_queue_depth", { state: "waiting" })).toBe(0);
  });

  it("registers in the registry it is given", async () => {
    const registry = new Registry();
    const metrics = new JobMetrics({ registry });
    metrics.enqueued.inc();
    expect(await registry.metrics()).toContain("jobs_enqueued_total 1");
  });

  it("refuses a registry or depth that is not one, naming it", () => {
    expect(() => new JobMetrics({ registry: {} as Registry })).toThrow(
      new TypeError("`registry` must be a prom-client Registry, got an object"),
    );
    expect(() => new JobMetrics({ depth: 3 as never })).toThrow(
      new TypeError("`depth` must be a function, got 3"),
    );
  });
});

describe("the exposition", () => {
  it("passes promtool check metrics", async () => {
    const promtool = requireBinary("promtool", "prometheus");
    const queue = flakyQueue();
    const metrics = new JobMetrics({ depth: () => queue.stats });
    queue.attach(metrics.observer);
    queue.enqueue(1);
    queue.enqueue(9);
    await vi.advanceTimersByTimeAsync(1_000);
    await queue.idle();

    const text = await metrics.registry.metrics();
    const check = spawnSync(promtool, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});
