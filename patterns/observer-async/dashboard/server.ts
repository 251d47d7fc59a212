/**
 * The jobs dashboard: a small page (`index.html`, `dashboard.js`, `dashboard.css`, from this
 * folder; nothing from a CDN) that shows a job queue's progress, throughput, retries and failures
 * as they happen, pushed over a WebSocket (`/ws`, the `ws` package), and `/metrics` for
 * Prometheus. It is fed by two observers: {@link Dashboard.jobs} for a queue's events (the
 * in-memory queue's or the BullMQ queue's) and {@link Dashboard.tasks} for a task monitor's.
 *
 * The server keeps the totals and the last minute's per-second counts, so a page opened late
 * starts from the same numbers as one that watched from the start.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { type WebSocket, WebSocketServer } from "ws";
import { type PageFiles, servePage } from "../../demo-pages";
import { describeError } from "../internal";
import type { JobEvent } from "../job-queue";
import type { TaskEvent, TaskProgress } from "../task-monitor";

/**
 * Options of {@link startDashboard}.
 *
 * @example
 * ```ts
 * const dashboard = await startDashboard({ port: 8090, registry: metrics.registry });
 * ```
 */
export interface DashboardOptions<P = unknown> {
  /** TCP port; 0 picks a free one (tests). Default 8090. */
  readonly port?: number;
  /** Interface to listen on. Default `127.0.0.1`: this machine only. */
  readonly host?: string;
  /** Served on `/metrics` when given. */
  readonly registry?: Registry;
  /** What the page says the queue runs on (`"in-memory JobQueue"`, `"BullMQ, 2 workers"`). */
  readonly mode?: string;
  /** How a job is named in the page's event list (default: its id). */
  readonly label?: (event: JobEvent<P, unknown>) => string;
}

/**
 * Totals since the dashboard started.
 *
 * @example
 * ```ts
 * const { succeeded, dead } = dashboard.totals;
 * ```
 */
export interface DashboardTotals {
  readonly enqueued: number;
  readonly started: number;
  readonly succeeded: number;
  readonly retried: number;
  readonly dead: number;
}

/**
 * A running dashboard.
 *
 * @example
 * ```ts
 * const dashboard = await startDashboard();
 * queue.attach(dashboard.jobs);
 * monitor.attach(dashboard.tasks);
 * console.log(`dashboard: ${dashboard.url}`);
 * ```
 */
export interface Dashboard<P = unknown> {
  /** `http://host:port/` */
  readonly url: string;
  readonly totals: DashboardTotals;
  /** The observer for a job queue's events. */
  readonly jobs: (event: JobEvent<P, unknown>) => void;
  /** The observer for a task monitor's events: the progress bar. */
  readonly tasks: (event: TaskEvent<unknown>) => void;
  /** Closes every page's connection and the server. */
  close(): Promise<void>;
}

/** One second of the chart. */
interface Bucket {
  succeeded: number;
  retried: number;
  dead: number;
}

const SECONDS = 60;

const STATIC: PageFiles = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/dashboard.js": { file: "dashboard.js", type: "text/javascript; charset=utf-8" },
  "/dashboard.css": { file: "dashboard.css", type: "text/css; charset=utf-8" },
};

/**
 * Starts the dashboard's server and resolves once it listens.
 *
 * @example
 * ```ts
 * const dashboard = await startDashboard({ port: 0, registry: metrics.registry });
 * queue.attach(dashboard.jobs);
 * ```
 */
export async function startDashboard<P = unknown>(
  options: DashboardOptions<P> = {},
): Promise<Dashboard<P>> {
  const { port = 8090, host = "127.0.0.1", registry, mode = "", label = (e) => e.id } = options;
  const totals = { enqueued: 0, started: 0, succeeded: 0, retried: 0, dead: 0 };
  let progress: TaskProgress | undefined;
  // The last minute, one bucket a second, the newest last.
  const series: Bucket[] = Array.from({ length: SECONDS }, () => ({
    succeeded: 0,
    retried: 0,
    dead: 0,
  }));

  const http = createServer((request, response) => {
    serve(request, response, registry).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end(`${describeError(error)}\n`);
    });
  });
  const wss = new WebSocketServer({ server: http, path: "/ws" });
  const send = (socket: WebSocket, message: object) => socket.send(JSON.stringify(message));
  const broadcast = (message: object) => {
    const text = JSON.stringify(message);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  };
  wss.on("connection", (socket) => {
    send(socket, { kind: "snapshot", mode, totals, progress, series });
  });

  // One tick a second: a new bucket for the chart, sent to every page.
  const ticker = setInterval(() => {
    series.shift();
    series.push({ succeeded: 0, retried: 0, dead: 0 });
    broadcast({ kind: "tick", series });
  }, 1_000);
  ticker.unref();

  // #region dashboard-observer
  const jobs = (event: JobEvent<P, unknown>) => {
    const now = series.at(-1) as Bucket;
    let detail = "";
    switch (event.type) {
      case "enqueued":
        totals.enqueued++;
        break;
      case "started":
        totals.started++;
        detail = `attempt ${event.attempt}`;
        break;
      case "succeeded":
        totals.succeeded++;
        now.succeeded++;
        detail = `attempt ${event.attempt}`;
        break;
      case "retrying":
        totals.retried++;
        now.retried++;
        detail = `attempt ${event.attempt} failed: ${describeError(event.error)}; retry in ${event.delay} ms`;
        break;
      case "dead":
        totals.dead++;
        now.dead++;
        detail = `after ${event.attempts} attempt${event.attempts === 1 ? "" : "s"}: ${describeError(event.error)}`;
        break;
    }
    broadcast({ kind: "job", type: event.type, id: event.id, label: label(event), detail, totals });
  };
  // #endregion dashboard-observer

  const tasks = (event: TaskEvent<unknown>) => {
    progress = event.progress;
    broadcast({ kind: "progress", progress });
  };

  // The WebSocketServer re-emits the HTTP server's errors (EADDRINUSE…) as its own: without a
  // listener there, a taken port would throw out of the event loop instead of rejecting here.
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      clearInterval(ticker);
      reject(error);
    };
    wss.once("error", fail);
    http.listen(port, host, () => {
      wss.off("error", fail);
      resolve();
    });
  });
  const address = http.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/`,
    totals,
    jobs,
    tasks,
    async close() {
      clearInterval(ticker);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  registry: Registry | undefined,
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/metrics" && registry && (request.method === "GET" || request.method === "HEAD")) {
    const text = await registry.metrics();
    response.writeHead(200, { "content-type": registry.contentType });
    response.end(request.method === "HEAD" ? undefined : text);
    return;
  }
  await servePage(request, response, path, STATIC, import.meta.url);
}
