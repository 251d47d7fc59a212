/**
 * A job queue's events as Prometheus metrics (prom-client): one observer, attached to the
 * in-memory {@link JobQueue} or to the {@link BullJobQueue} alike, counts jobs enqueued, started,
 * succeeded, retried and dead-lettered, and times each attempt; the queue's depth is read at
 * scrape time. Serve `registry.metrics()` on `/metrics` and let Prometheus scrape it.
 *
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AsyncObserver } from "./async-subject";
import { badArgument, optionsObject } from "./internal";
import type { JobEvent } from "./job-queue";

/**
 * How many jobs wait, run and wait for a retry, at one moment.
 *
 * @example
 * ```ts
 * const depth = (): JobDepth => queue.stats; // the in-memory queue's stats fit as they are
 * ```
 */
export interface JobDepth {
  readonly waiting: number;
  readonly running: number;
  readonly delayed: number;
}

/**
 * Where the metrics go, and how to read the queue's depth.
 *
 * @example
 * ```ts
 * const metrics = new JobMetrics({ depth: () => queue.stats });
 * ```
 */
export interface JobMetricsOptions {
  /** The registry to register in (default: a new one). */
  readonly registry?: Registry;
  /** Read at every scrape for `jobs_queue_depth`; without it the gauge is not registered. */
  readonly depth?: () => JobDepth | Promise<JobDepth>;
}

/**
 * A job queue's metrics.
 *
 * @example
 * ```ts
 * const metrics = new JobMetrics({ depth: () => queue.stats });
 * queue.attach(metrics.observer);
 * http.createServer(async (req, res) => {
 *   if (req.url === "/metrics") {
 *     res.setHeader("content-type", metrics.registry.contentType);
 *     res.end(await metrics.registry.metrics());
 *   }
 * });
 * ```
 */
export class JobMetrics {
  /** Where the metrics live; pass your own to serve them beside others. */
  readonly registry: Registry;
  readonly enqueued: Counter;
  readonly started: Counter;
  readonly succeeded: Counter;
  readonly retried: Counter;
  readonly dead: Counter;
  /** Seconds from `started` to the attempt's outcome, by outcome. */
  readonly duration: Histogram<"outcome">;
  /** The observer to attach to a queue: it counts and times every event. */
  readonly observer: AsyncObserver<JobEvent<unknown, unknown>>;
  /** When each running attempt started, by job id. */
  readonly #startedAt = new Map<string, number>();

  /** @throws TypeError naming `registry` or `depth` when they are not what they must be. */
  constructor(options?: JobMetricsOptions) {
    const { registry = new Registry(), depth } = optionsObject(options);
    if (!(registry instanceof Registry)) {
      throw badArgument("registry", "a prom-client Registry", registry);
    }
    if (depth !== undefined && typeof depth !== "function") {
      throw badArgument("depth", "a function", depth);
    }
    this.registry = registry;
    const registers = [registry];
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
    this.enqueued = counter("jobs_enqueued_total", "Jobs accepted by the queue.");
    this.started = counter(
      "jobs_started_total",
      "Attempts started, retries and restarts included.",
    );
    this.succeeded = counter("jobs_succeeded_total", "Jobs whose attempt succeeded.");
    this.retried = counter("jobs_retried_total", "Failed attempts that will be retried.");
    this.dead = counter("jobs_dead_lettered_total", "Jobs that failed for good: dead letters.");
    this.duration = new Histogram({
      name: "job_attempt_duration_seconds",
      help: "Time from an attempt's start to its outcome (succeeded, retrying, dead).",
      labelNames: ["outcome"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    if (depth) {
      new Gauge({
        name: "jobs_queue_depth",
        help: "Jobs waiting for a worker, running, or delayed before a retry, read at scrape time.",
        labelNames: ["state"],
        registers,
        async collect() {
          const { waiting, running, delayed } = await depth();
          this.set({ state: "waiting" }, waiting);
          this.set({ state: "running" }, running);
          this.set({ state: "delayed" }, delayed);
        },
      });
    }
    this.observer = (event) => this.#count(event);
  }

  // #region count
  #count(event: JobEvent<unknown, unknown>): void {
    switch (event.type) {
      case "enqueued":
        this.enqueued.inc();
        return;
      case "started":
        this.started.inc();
        this.#startedAt.set(event.id, performance.now());
        return;
      case "succeeded":
        this.succeeded.inc();
        break;
      case "retrying":
        this.retried.inc();
        break;
      case "dead":
        this.dead.inc();
        break;
    }
    const started = this.#startedAt.get(event.id);
    if (started === undefined) return; // started before this observer was attached
    this.#startedAt.delete(event.id);
    this.duration.observe({ outcome: event.type }, (performance.now() - started) / 1000);
  }
  // #endregion count
}
