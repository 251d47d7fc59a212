/**
 * The parent's side of the test processes: a vitest pool that forks one child process per task
 * (vitest's own fork worker, started our way), hands each its secret on stdin, reads what its
 * witness (./child.ts) signs on file descriptor 4, and kills the process group of a child that
 * blocks, never finishes loading, or outlives the run's wall-clock limit.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { resolve } from "node:path";
import type { Readable } from "node:stream";
import type { PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from "vitest/node";
import type { WitnessMessage } from "./child";

/** Why the parent stopped a child. */
export interface Hang {
  /** The spec module it was running (as vitest names it), if it had said. */
  readonly moduleId: string | undefined;
  /** The test that was running, if one had started. */
  readonly testId: string | undefined;
  readonly silentMs: number;
  readonly reason: "blocked" | "loading" | "wall";
}

/** What the witnesses have said, for the tests of one run. */
export interface Testimony {
  /** Test id → what the witness saw its function do. */
  readonly verdicts: Map<string, { readonly ok: boolean; readonly error?: string }>;
  /** Spec module → the test ids its witness collected. */
  readonly collected: Map<string, readonly string[]>;
  /** Spec modules whose channel carried a line the witness did not sign. */
  readonly forged: Set<string>;
}

export interface Limits {
  /** How long a child may stay silent (blocked event loop), in ms. */
  readonly blockedMs: number;
  /** How long loading a spec (and the student's module) may take before its first test, in ms. */
  readonly loadingMs: number;
  /** How long one child may live, in ms. */
  readonly wallMs: number;
}

interface Child {
  readonly process: ChildProcess;
  readonly secret: string;
  sequence: number;
  lastSign: number;
  file: string | undefined;
  /** When the current spec file started loading. */
  fileAt: number;
  test: string | undefined;
  testStarted: boolean;
  /** Has it said anything yet? Starting a process is not blocking it. */
  heard: boolean;
  buffer: string;
  stopped: boolean;
}

const CHECK_EVERY_MS = 100;

/**
 * The memory a process running a student's code may write to (RLIMIT_DATA, in KiB), on Linux: a
 * test that hoards memory (arrays or buffers) fails its own step at this size, where it could
 * otherwise make the machine swap or its OOM killer take the runner. A kata test uses ~100 MB.
 */
const STUDENT_DATA_KIB = 1024 * 1024;

/** Kills a child and everything it started (its process group, where there is one). */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    // Already gone, with its whole group.
  }
}

/** The children of one runner, their testimony, and the watchdog over them. */
export class Children {
  readonly #children = new Set<Child>();
  #testimony: Testimony = { verdicts: new Map(), collected: new Map(), forged: new Set() };
  #timer: NodeJS.Timeout | undefined;
  #lastCheck = performance.now();

  constructor(
    readonly limits: Limits,
    private readonly onHang: (hang: Hang) => void,
  ) {}

  /** Starts a fresh testimony (one per run) and returns it. */
  begin(): Testimony {
    this.#testimony = { verdicts: new Map(), collected: new Map(), forged: new Set() };
    this.#lastCheck = performance.now();
    this.#timer ??= setInterval(() => this.#check(), CHECK_EVERY_MS);
    this.#timer.unref();
    return this.#testimony;
  }

  /** The pool vitest uses: our fork worker. */
  pool(): PoolRunnerInitializer {
    return { name: "kata", createPoolWorker: (options) => new WitnessedFork(options, this) };
  }

  /** @internal A fork started: give it its secret and listen to its channel. */
  adopt(proc: ChildProcess): void {
    const secret = randomBytes(32).toString("hex");
    const now = performance.now();
    const child: Child = {
      process: proc,
      secret,
      sequence: 0,
      lastSign: now,
      file: undefined,
      fileAt: now,
      test: undefined,
      testStarted: false,
      heard: false,
      buffer: "",
      stopped: false,
    };
    this.#children.add(child);
    proc.stdin?.on("error", () => {});
    proc.stdin?.end(`${secret}\n`);
    const channel = proc.stdio[4] as Readable | undefined;
    channel?.setEncoding("utf8");
    channel?.on("data", (chunk: string) => this.#receive(child, chunk));
    channel?.on("error", () => {});
    proc.once("exit", () => this.#children.delete(child));
  }

  #receive(child: Child, chunk: string): void {
    child.buffer += chunk;
    const lines = child.buffer.split("\n");
    child.buffer = lines.pop() ?? "";
    if (child.buffer.length > 1_000_000) child.buffer = "";
    for (const line of lines) {
      const message = this.#verify(child, line);
      if (!message) {
        if (child.file) this.#testimony.forged.add(child.file);
        continue;
      }
      child.lastSign = performance.now();
      child.heard = true;
      this.#record(child, message);
    }
  }

  /** The message if the line is signed with the child's secret and comes in order. */
  #verify(child: Child, line: string): WitnessMessage | undefined {
    const match = /^([0-9a-f]{64}) (\d+) (.*)$/.exec(line);
    if (!match) return undefined;
    const [, mac = "", seq = "", body = ""] = match;
    const expected = createHmac("sha256", child.secret).update(`${seq}\n${body}`).digest();
    const given = Buffer.from(mac, "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    if (Number(seq) !== child.sequence + 1) return undefined;
    child.sequence = Number(seq);
    try {
      return JSON.parse(body) as WitnessMessage;
    } catch {
      return undefined;
    }
  }

  #record(child: Child, message: WitnessMessage): void {
    switch (message.t) {
      case "file":
        child.file = message.file;
        child.test = undefined;
        child.testStarted = false;
        child.fileAt = performance.now();
        break;
      case "collected":
        this.#testimony.collected.set(message.file, message.tests);
        break;
      case "test":
        child.file = message.file;
        child.test = message.id;
        child.testStarted = true;
        break;
      case "verdict":
        this.#testimony.verdicts.set(
          message.id,
          message.ok ? { ok: true } : { ok: false, error: message.error },
        );
        break;
    }
  }

  #check(): void {
    const now = performance.now();
    // If this process was itself starved (a busy machine), the beats may be waiting: judge
    // nobody this time.
    const starved = now - this.#lastCheck > this.limits.blockedMs / 2;
    this.#lastCheck = now;
    for (const child of this.#children) {
      if (child.stopped) continue;
      if (starved) child.lastSign = now;
      const silentMs = now - child.lastSign;
      const reason: Hang["reason"] | undefined = !child.heard
        ? now - child.fileAt > this.limits.loadingMs
          ? "loading"
          : undefined
        : silentMs > this.limits.blockedMs
          ? "blocked"
          : now - child.fileAt > this.limits.wallMs
            ? "wall"
            : !child.testStarted && child.file && now - child.fileAt > this.limits.loadingMs
              ? "loading"
              : undefined;
      if (!reason) continue;
      child.stopped = true;
      killTree(child.process);
      this.onHang({ moduleId: child.file, testId: child.test, silentMs, reason });
    }
  }

  /** Kills every child (closing, or quitting in the middle of a run). */
  killAll(): void {
    for (const child of this.#children) {
      child.stopped = true;
      killTree(child.process);
    }
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.killAll();
  }
}

/**
 * vitest's fork worker (vitest/dist/workers/forks.js), started in a process group of its own
 * with a fifth pipe for the witness. Its stdout and stderr go nowhere: what a test prints
 * reaches the runner through vitest's console capture, and stray writes would garble the board.
 */
class WitnessedFork implements PoolWorker {
  readonly name = "kata";
  readonly cacheFs = true;
  readonly #entrypoint: string;
  readonly #options: PoolOptions;
  readonly #children: Children;
  #fork: ChildProcess | undefined;

  constructor(options: PoolOptions, children: Children) {
    this.#options = options;
    this.#children = children;
    this.#entrypoint = resolve(options.distPath, "workers/forks.js");
  }

  get #process(): ChildProcess {
    if (!this.#fork) throw new Error("the test process was stopped or never started");
    return this.#fork;
  }

  on(event: string, callback: (arg: unknown) => void): void {
    this.#process.on(event, callback);
  }

  off(event: string, callback: (arg: unknown) => void): void {
    this.#process.off(event, callback);
  }

  send(message: WorkerRequest): void {
    const child = this.#process;
    if (message.type === "stop") {
      // A test process has nothing to tear down that matters to us (its results are in), and
      // one whose intrinsics are frozen may not manage vitest's teardown: stop it, and answer
      // for it rather than let vitest wait a minute for a reply.
      killTree(child);
      queueMicrotask(() =>
        child.emit("message", { type: "stopped", __vitest_worker_response__: true }),
      );
    } else if (child.connected) {
      child.send(message);
    }
  }

  async start(): Promise<void> {
    if (this.#fork) return;
    const { execArgv, project } = this.#options;
    // fork() runs `execPath ...execArgv entrypoint`: a shell sets the limit, then becomes Node.
    const limited = process.platform === "linux" && project.name.startsWith("exercises");
    this.#fork = fork(this.#entrypoint, [], {
      env: { ...this.#options.env, KATA_WITNESS: "1" },
      ...(limited
        ? {
            execPath: "/bin/sh",
            execArgv: [
              "-c",
              `ulimit -d ${STUDENT_DATA_KIB} && exec "$0" "$@"`,
              process.execPath,
              ...execArgv,
            ],
          }
        : { execArgv }),
      stdio: ["pipe", "ignore", "ignore", "ipc", "pipe"],
      serialization: "advanced",
      detached: process.platform !== "win32",
    });
    this.#fork.on("error", () => {});
    this.#children.adopt(this.#fork);
  }

  async stop(): Promise<void> {
    const child = this.#fork;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once("exit", done));
      const force = setTimeout(() => killTree(child), 500);
      child.kill();
      await exited;
      clearTimeout(force);
    }
    // A grandchild the student started dies with the group.
    killTree(child);
    this.#fork = undefined;
  }

  deserialize(data: unknown): unknown {
    return data;
  }
}
