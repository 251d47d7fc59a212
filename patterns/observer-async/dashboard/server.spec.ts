/**
 * The dashboard's server without a browser: what it pushes over the WebSocket as the observers
 * are fed, the files and `/metrics` it serves (checked with `promtool check metrics`, from
 * Debian's prometheus package), and what it refuses. The page itself is `dashboard.e2e.ts`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
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
async function connect(url = `${dashboard.url.replace("http", "ws")}ws`): Promise<{
  messages: Record<string, unknown>[];
  next(): Promise<Record<string, unknown>>;
}> {
  const socket = new WebSocket(url);
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

describe("what the counters and the chart hold", () => {
  const empty = { succeeded: 0, retried: 0, dead: 0 };

  it("starts from a minute of empty seconds and counts each outcome in the current second", async () => {
    feed({ type: "enqueued", id: "job-1", payload: "a" });
    feed({ type: "succeeded", id: "job-1", payload: "a", attempt: 2, result: 1 });
    feed({ type: "retrying", id: "job-2", payload: "b", attempt: 1, error: "busy", delay: 5 });
    feed({ type: "dead", id: "job-3", payload: "c", attempts: 3, error: new Error("gone") });
    const page = await connect();
    const snapshot = await page.next();
    const series = snapshot.series as unknown[];
    expect(series.slice(0, 59)).toEqual(Array.from({ length: 59 }, () => empty));
    expect(series.at(-1)).toEqual({ succeeded: 1, retried: 1, dead: 1 });
  });

  it("details each event: nothing for enqueued, the attempt, and attempts in the plural", async () => {
    const page = await connect();
    await page.next(); // the snapshot
    feed({ type: "enqueued", id: "job-1", payload: "a" });
    feed({ type: "succeeded", id: "job-1", payload: "a", attempt: 2, result: 1 });
    feed({ type: "dead", id: "job-2", payload: "b", attempts: 3, error: new Error("gone") });
    expect(await page.next()).toMatchObject({ type: "enqueued", detail: "" });
    expect(await page.next()).toMatchObject({ type: "succeeded", detail: "attempt 2" });
    expect(await page.next()).toMatchObject({ type: "dead", detail: "after 3 attempts: gone" });
  });

  it("moves the chart on by one empty second every second, and tells every page", async () => {
    await dashboard.close();
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      dashboard = await startDashboard<string>({ port: 0 });
      const page = await connect();
      await page.next(); // the snapshot
      feed({ type: "succeeded", id: "job-1", payload: "a", attempt: 1, result: 1 });
      expect(await page.next()).toMatchObject({ kind: "job", type: "succeeded" });
      vi.advanceTimersByTime(1_000);
      const tick = await page.next();
      expect(tick.kind).toBe("tick");
      const series = tick.series as unknown[];
      expect(series).toHaveLength(60);
      expect(series.at(-1)).toEqual(empty);
      expect(series.at(-2)).toEqual({ succeeded: 1, retried: 0, dead: 0 });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("its defaults", () => {
  it("listens on 127.0.0.1, names no mode, and labels a job by its id", async () => {
    await dashboard.close();
    dashboard = await startDashboard<string>({ port: 0 });
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await connect();
    expect(await page.next()).toMatchObject({ kind: "snapshot", mode: "" });
    feed({ type: "enqueued", id: "job-7", payload: "a" });
    expect(await page.next()).toMatchObject({ kind: "job", id: "job-7", label: "job-7" });
  });

  it("puts an IPv6 address in brackets in its URL", async () => {
    await dashboard.close();
    dashboard = await startDashboard<string>({ port: 0, host: "::1" });
    expect(dashboard.url).toMatch(/^http:\/\/\[::1\]:\d+\/$/);
    expect((await fetch(dashboard.url)).status).toBe(200);
  });

  it("rejects when its port is taken, and leaves no ticker behind", async () => {
    const port = Number(new URL(dashboard.url).port);
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      await expect(startDashboard({ port })).rejects.toThrow(/EADDRINUSE/);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("what it serves, exactly", () => {
  it("serves each file of the page as it is on disk, with its content type and charset", async () => {
    for (const [path, file, type] of [
      ["", "index.html", "text/html; charset=utf-8"],
      ["dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"],
      ["dashboard.css", "dashboard.css", "text/css; charset=utf-8"],
    ] as const) {
      const response = await fetch(`${dashboard.url}${path}`);
      expect(response.headers.get("content-type")).toBe(type);
      expect(await response.text()).toBe(readFileSync(new URL(file, import.meta.url), "utf8"));
    }
  });

  it("serves /metrics with the registry's content type, to GET and HEAD only", async () => {
    const get = await fetch(`${dashboard.url}metrics`);
    expect(get.headers.get("content-type")).toBe(metrics.registry.contentType);
    expect(await get.text()).toContain("jobs_queue_depth");
    const head = await fetch(`${dashboard.url}metrics`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe(metrics.registry.contentType);
    expect(await head.text()).toBe("");
    expect((await fetch(`${dashboard.url}metrics`, { method: "POST" })).status).toBe(405);
  });

  it("accepts WebSocket connections on /ws only", async () => {
    await expect(connect(`${dashboard.url.replace("http", "ws")}elsewhere`)).rejects.toThrow(/400/);
  });

  it("answers 500 with the error's message when the registry fails", async () => {
    await dashboard.close();
    const failing = {
      contentType: "text/plain; version=0.0.4; charset=utf-8",
      metrics: () => Promise.reject(new Error("collector broke")),
    } as unknown as Registry;
    dashboard = await startDashboard<string>({ port: 0, registry: failing });
    const response = await fetch(`${dashboard.url}metrics`);
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(await response.text()).toBe("collector broke\n");
  });

  it("ends a response whose headers were sent with the error's message", async () => {
    await dashboard.close();
    // Not text: end() throws after writeHead() has sent the headers.
    const broken = {
      contentType: "text/plain",
      metrics: () => Promise.resolve(42),
    } as unknown as Registry;
    dashboard = await startDashboard<string>({ port: 0, registry: broken });
    const response = await fetch(`${dashboard.url}metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/"chunk" argument must be of type string/);
  });
});

describe("closing", () => {
  it("closes every page's connection and stops listening", async () => {
    const own = await startDashboard<string>({ port: 0 });
    const page = await connect(`${own.url.replace("http", "ws")}ws`);
    await page.next(); // the snapshot
    const socket = sockets.at(-1) as WebSocket;
    const closed = new Promise((resolve) => socket.once("close", resolve));
    await own.close();
    await closed;
    await expect(fetch(own.url)).rejects.toThrow();
  });
});
