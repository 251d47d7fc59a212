/**
 * The dashboard's server without a browser: what it pushes over the WebSocket as the observers
 * are fed, the files and `/metrics` it serves (checked with `promtool check metrics`, from
 * Debian's prometheus package), and what it refuses. The page itself is `dashboard.e2e.ts`.
 */
import { spawnSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { requireBinary } from "../../../kata/services";
import { JobMetrics } from "../job-metrics";
import type { JobEvent } from "../job-queue";
import { type Dashboard, startDashboard } from "./server";

let dashboard: Dashboard<string>;
let metrics: JobMetrics;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  metrics = new JobMetrics({ depth: () => ({ waiting: 1, running: 2, delayed: 0 }) });
  dashboard = await startDashboard<string>({
    port: 0,
    registry: metrics.registry,
    mode: "test",
    label: (event) => `label of ${event.id}`,
  });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await dashboard.close();
});

/** A page's connection: every message it receives, and a way to wait for the next ones. */
async function connect(): Promise<{
  messages: Record<string, unknown>[];
  next(): Promise<Record<string, unknown>>;
}> {
  const socket = new WebSocket(`${dashboard.url.replace("http", "ws")}ws`);
  sockets.push(socket);
  const messages: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  socket.on("message", (data) => {
    messages.push(JSON.parse(String(data)) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let read = 0;
  return {
    messages,
    async next() {
      while (messages.length <= read) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages[read++] as Record<string, unknown>;
    },
  };
}

const feed = (event: JobEvent<string, unknown>) => dashboard.jobs(event);

describe("what a page receives", () => {
  it("gets a snapshot on connecting: the mode, the totals and a minute of empty seconds", async () => {
    const page = await connect();
    const snapshot = await page.next();
    expect(snapshot).toMatchObject({
      kind: "snapshot",
      mode: "test",
      totals: { enqueued: 0, started: 0, succeeded: 0, retried: 0, dead: 0 },
    });
    expect(snapshot.series).toHaveLength(60);
  });

  it("gets one message per job event, with the totals, the label and the details", async () => {
    const page = await connect();
    await page.next(); // the snapshot
    feed({ type: "enqueued", id: "job-1", payload: "a" });
    feed({ type: "started", id: "job-1", payload: "a", attempt: 1 });
    feed({
      type: "retrying",
      id: "job-1",
      payload: "a",
      attempt: 1,
      error: new Error("busy"),
      delay: 150,
    });
    feed({ type: "dead", id: "job-1", payload: "a", attempts: 1, error: new Error("gone") });
    expect(await page.next()).toMatchObject({
      kind: "job",
      type: "enqueued",
      label: "label of job-1",
    });
    expect(await page.next()).toMatchObject({ type: "started", detail: "attempt 1" });
    expect(await page.next()).toMatchObject({
      type: "retrying",
      detail: "attempt 1 failed: busy; retry in 150 ms",
    });
    expect(await page.next()).toMatchObject({
      type: "dead",
      detail: "after 1 attempt: gone",
      totals: { enqueued: 1, started: 1, succeeded: 0, retried: 1, dead: 1 },
    });
  });

  it("starts a page opened late from the same totals", async () => {
    feed({ type: "enqueued", id: "job-1", payload: "a" });
    feed({ type: "succeeded", id: "job-1", payload: "a", attempt: 1, result: 1 });
    const page = await connect();
    expect(await page.next()).toMatchObject({
      kind: "snapshot",
      totals: { enqueued: 1, succeeded: 1 },
    });
    expect(dashboard.totals.succeeded).toBe(1);
  });

  it("passes the task monitor's progress on", async () => {
    const page = await connect();
    await page.next();
    const progress = { total: 5, queued: 2, running: 2, finished: 1, failed: 0 };
    dashboard.tasks({ type: "finished", index: 0, key: "a", value: 1, ms: 3, progress });
    expect(await page.next()).toEqual({ kind: "progress", progress });
  });
});

describe("what it serves", () => {
  it("serves the page's three files with a policy that allows nothing from elsewhere", async () => {
    for (const [path, type] of [
      ["", "text/html"],
      ["dashboard.js", "text/javascript"],
      ["dashboard.css", "text/css"],
    ] as const) {
      const response = await fetch(`${dashboard.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain(type);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
      // Local assets only: no URL of another host in the page's files.
      expect(await response.text()).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it("serves /metrics that promtool accepts", async () => {
    metrics.started.inc();
    const response = await fetch(`${dashboard.url}metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('jobs_queue_depth{state="running"} 2');
    const promtool = requireBinary("promtool", "prometheus");
    const check = spawnSync(promtool, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("answers 404 for anything else and 405 for anything but GET and HEAD", async () => {
    expect((await fetch(`${dashboard.url}secret`)).status).toBe(404);
    expect((await fetch(dashboard.url, { method: "POST" })).status).toBe(405);
  });
});
