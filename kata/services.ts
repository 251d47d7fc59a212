/**
 * Real servers for the specs that need them (Redis, Prometheus): each spec starts its own on an
 * ephemeral loopback port with a temporary folder, and stops it afterwards. Never a system
 * service, never skipped: a machine without the binary gets one clear error naming the Debian
 * package to install (`.ci/run` installs them). The kata itself (`npm test`) never needs these.
 *
 * @example
 * const redis = await startRedis();
 * const client = new Redis(redis.url);
 * …
 * await redis.stop();
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** A server binary is not installed; the message names the package that brings it. */
export class MissingServiceError extends Error {
  override readonly name = "MissingServiceError";
}

/** A running server of ours. */
export interface Service {
  readonly host: "127.0.0.1";
  readonly port: number;
  /** The folder the server keeps its data in; removed by `stop()`. */
  readonly dir: string;
  /** Stops the server and waits until it has exited; the data folder stays (see `restart()`). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port with the same data folder. */
  restart(): Promise<void>;
  /** Stops the server and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface RedisService extends Service {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
}

export interface PrometheusService extends Service {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
}

/** The path of `binary` on PATH (or in /usr/sbin, /usr/bin), or a MissingServiceError naming `pkg`. */
export function requireBinary(binary: string, pkg: string): string {
  const dirs = [
    ...(process.env.PATH ?? "").split(delimiter).filter(Boolean),
    "/usr/sbin",
    "/usr/bin",
  ];
  const found = dirs.map((dir) => join(dir, binary)).find((path) => existsSync(path));
  if (found) return found;
  throw new MissingServiceError(
    `${binary} is not installed: install Debian's ${pkg} package (apt-get install -y ${pkg}); .ci/run does this`,
  );
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port was assigned");
  return address.port;
}

/** Resolves once `port` accepts a TCP connection, or rejects after `timeoutMs`. */
async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`nothing listened on port ${port} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts `binary` with `args(port, dir)` and waits for its port. Output is kept (the last 8 KiB)
 * and shown if the server fails to start.
 */
async function startService(
  binary: string,
  pkg: string,
  args: (port: number, dir: string) => string[],
  prepare: (port: number, dir: string) => void = () => {},
): Promise<Service> {
  const path = requireBinary(binary, pkg);
  const dir = mkdtempSync(join(tmpdir(), `kata-${binary}-`));
  const port = await freePort();
  prepare(port, dir);
  let child: ChildProcess;
  let output = "";
  const launch = async () => {
    output = "";
    child = spawn(path, args(port, dir), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8192);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    try {
      await waitForPort(port, child, 20_000);
    } catch (error) {
      child.kill("SIGKILL");
      throw new Error(`${binary} did not start: ${(error as Error).message}\n${output}`);
    }
  };
  await launch();
  let stopped = false;
  const kill = async (signal: NodeJS.Signals = "SIGTERM") => {
    child.kill(signal);
    await exited(child);
  };
  return {
    host: "127.0.0.1",
    port,
    dir,
    kill,
    restart: launch,
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a private redis-server (no persistence, no protected-mode surprises) on loopback. */
export async function startRedis(): Promise<RedisService> {
  const service = await startService("redis-server", "redis-server", (port, dir) => [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
  ]);
  return { ...service, url: `redis://127.0.0.1:${service.port}` };
}

/**
 * Starts a private Prometheus on loopback that scrapes `targets` (`host:port`) every
 * `scrapeIntervalSeconds`, with its data in a temporary folder.
 */
export async function startPrometheus(
  targets: readonly string[],
  scrapeIntervalSeconds = 1,
): Promise<PrometheusService> {
  const service = await startService(
    "prometheus",
    "prometheus",
    (port, dir) => [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    (_port, dir) =>
      writeFileSync(
        join(dir, "prometheus.yml"),
        [
          "global:",
          `  scrape_interval: ${scrapeIntervalSeconds}s`,
          "scrape_configs:",
          "  - job_name: kata",
          "    static_configs:",
          `      - targets: [${targets.map((t) => JSON.stringify(t)).join(", ")}]`,
          "",
        ].join("\n"),
      ),
  );
  return { ...service, url: `http://127.0.0.1:${service.port}` };
}
