/**
 * The sandbox each submission is graded in: its own child process (the runner, child.ts), which
 * runs the kata in the submission's area and prints its raw outcomes behind a token. What keeps
 * the student's code in, best first:
 *
 * - **bubblewrap** (Linux, `bwrap`): new user, PID, network, IPC and UTS namespaces (no network
 *   at all), an empty environment, a read-only view of the system, the tooling and node_modules
 *   at neutral paths, the area read-only too, and a private /tmp in memory (256 MiB) as the only
 *   writable folder, so that a submission cannot fill the grader's disk. When the runner
 *   ends or is killed, every process in the namespace dies with it (PID namespace, and
 *   `--die-with-parent`), so nothing the student started outlives grading.
 * - **node-permission** (where bwrap is absent: macOS, Windows): Node's permission model; the
 *   runner may read the tooling, node_modules and its own area and write only the area. It does
 *   not cut the network, and processes the student's code starts are not held by it.
 * - **none**: the student's code runs with the teacher's privileges; reports say so.
 *
 * A run that outlives its wall-clock limit is killed with its whole process group.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { UsageError } from "../command";
import type { Protection, RawRun, RunEnd } from "./report";

export type ProtectionKind = Protection["kind"];

const hasBwrap = (): boolean => {
  if (process.platform !== "linux") return false;
  // Installed is not enough: user namespaces may be forbidden (Ubuntu's AppArmor, containers).
  const probe = spawnSync("bwrap", ["--unshare-all", "--ro-bind", "/", "/", "true"], {
    stdio: "ignore",
    timeout: 10_000,
  });
  return probe.status === 0;
};

/**
 * Node's permission model, where it can run the kata. On Node 20 it cannot: it forbids native
 * addons, and vitest's bundler (rolldown) is one ("Cannot find native binding"). Node 22 lets them
 * in with `--allow-addons`; that path is not exercised by the tests here (they run on Node 20).
 */
const permissionFlags = (): string[] | undefined => {
  const [major = 0] = process.versions.node.split(".").map(Number);
  if (major >= 23) return ["--permission", "--allow-addons"];
  if (major === 22) return ["--experimental-permission", "--allow-addons"];
  return undefined;
};

/** Why a protection cannot be had here, or undefined if it can. */
export function unavailable(kind: ProtectionKind): string | undefined {
  if (kind === "bubblewrap" && !hasBwrap()) {
    return process.platform === "linux"
      ? "bwrap is not installed or cannot create namespaces here (Debian: apt-get install bubblewrap)"
      : "bubblewrap is Linux only";
  }
  if (kind === "node-permission" && !permissionFlags()) {
    return `Node ${process.versions.node}'s permission model forbids native addons, which vitest needs (Node 22 or newer allows them)`;
  }
  return undefined;
}

const DETAIL: Record<ProtectionKind, string> = {
  bubblewrap:
    "bubblewrap: own namespaces (no network), empty environment, read-only system and workbook, writes only to a private 256 MiB /tmp in memory; every process killed when grading ends",
  "node-permission":
    "Node's permission model: reads only the tooling, node_modules and its own area, writes only its area; network and child processes not confined",
  none: "no sandbox: the student's code ran with the grader's user, environment and files",
};

/** The best protection this machine offers, or the one asked for (`prefer`) if it works here. */
export function chooseProtection(prefer?: ProtectionKind): Protection {
  if (prefer) {
    const why = unavailable(prefer);
    if (why) throw new UsageError(`--sandbox ${prefer} is not available: ${why}`);
    return { kind: prefer, detail: DETAIL[prefer] };
  }
  const reasons: string[] = [];
  for (const kind of ["bubblewrap", "node-permission"] as const) {
    const why = unavailable(kind);
    if (!why) return { kind, detail: DETAIL[kind] };
    reasons.push(why);
  }
  return { kind: "none", detail: `${DETAIL.none} (${reasons.join("; ")})` };
}

/** The system folders a sandboxed Node needs, each a link (merged /usr) or a read-only mount. */
function systemMounts(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    if (!existsSync(dir)) continue;
    const stat = lstatSync(dir);
    if (stat.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
    else args.push("--ro-bind", dir, dir);
  }
  // Node itself, if it is not under /usr (nvm, a tarball in /opt).
  const node = dirname(dirname(process.execPath));
  if (!node.startsWith("/usr/") && node !== "/usr") args.push("--ro-bind", node, node);
  return args;
}

export interface SandboxRequest {
  readonly protection: Protection;
  /** The tooling snapshot and the area (see area.ts). */
  readonly tools: string;
  readonly nodeModules: string;
  readonly area: string;
  /** Wall-clock limit for the whole run, in ms. */
  readonly limitMs: number;
  /** Per-test hang limit handed to the runner. */
  readonly hangLimitMs?: number;
  /** The ids of the steps to run (default: every step). */
  readonly steps?: readonly string[];
}

export interface SandboxResult {
  readonly end: RunEnd;
  readonly raw: RawRun | undefined;
  /** Why there is no result, in a sentence (empty when graded). */
  readonly errors: string[];
}

/** The runner (child.ts), bundled by area.ts's `Batch.bundleRunner`, in the tooling snapshot. */
export const RUNNER = "kata/grading/runner.mjs";
/** What starts the runner's result line (see child.ts). */
export const RESULT_PREFIX = "KATA-RESULT";
const MAX_OUTPUT = 64 * 1024 * 1024;
const SANDBOX_ROOT = "/grade";
/** The size of the sandbox's /tmp, the one folder it may write to. */
const TMP_BYTES = 256 * 1024 * 1024;

/** The command that runs the runner under the chosen protection. */
export function sandboxCommand(request: SandboxRequest): {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
} {
  // child.ts's arguments after the area: the hang limit ("-": the runner's), the steps to run.
  const hang = [
    request.hangLimitMs === undefined ? "-" : String(request.hangLimitMs),
    ...(request.steps === undefined ? [] : [request.steps.join(",")]),
  ];
  const env = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: "/tmp",
    TMPDIR: "/tmp",
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    CI: "1",
  };
  const { kind } = request.protection;
  if (kind === "bubblewrap") {
    const work = `${SANDBOX_ROOT}/work`;
    const args = [
      "--unshare-all",
      "--die-with-parent",
      "--new-session",
      "--clearenv",
      ...Object.entries(env).flatMap(([k, v]) => ["--setenv", k, v]),
      ...systemMounts(),
      "--proc",
      "/proc",
      "--dev",
      "/dev",
      // The only place it may write, and in memory: a submission cannot fill the grader's disk.
      "--size",
      String(TMP_BYTES),
      "--tmpfs",
      "/tmp",
      "--ro-bind",
      request.tools,
      SANDBOX_ROOT,
      "--ro-bind",
      request.nodeModules,
      `${SANDBOX_ROOT}/node_modules`,
      "--ro-bind",
      request.area,
      work,
      "--chdir",
      work,
      "--",
      process.execPath,
      `${SANDBOX_ROOT}/${RUNNER}`,
      work,
      ...hang,
    ];
    return { command: "bwrap", args, cwd: request.area, env: {} };
  }
  const base = [join(request.tools, RUNNER), request.area, ...hang];
  const inherit = process.platform === "win32" ? { SystemRoot: process.env.SystemRoot } : {};
  if (kind === "node-permission") {
    const flags = permissionFlags() ?? ["--experimental-permission"];
    const read = [request.tools, request.nodeModules, request.area, dirname(process.execPath)];
    return {
      command: process.execPath,
      args: [
        ...flags,
        // One flag per path (a comma-separated list is no longer read as several paths).
        ...read.map((path) => `--allow-fs-read=${path}`),
        // tsx probes whether the file system is case-sensitive by inverting a path's case.
        ...read.map((path) => `--allow-fs-read=${invertCase(path)}`),
        `--allow-fs-write=${request.area}`,
        "--allow-worker",
        "--allow-child-process",
        ...base,
      ],
      cwd: request.area,
      env: { ...env, ...inherit, PATH: process.env.PATH, TMPDIR: request.area, HOME: request.area },
    };
  }
  return {
    command: process.execPath,
    args: base,
    cwd: request.area,
    env: { ...env, ...inherit, PATH: process.env.PATH },
  };
}

/**
 * Runs one submission's runner in the sandbox and waits until it and every process it started
 * are gone (or killed at the wall-clock limit). Never rejects: whatever the student's code does,
 * the answer is a result, a time-out or a crash.
 */
export function runSandboxed(request: SandboxRequest): Promise<SandboxResult> {
  const token = randomBytes(24).toString("hex");
  const { command, args, cwd, env } = sandboxCommand(request);
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ["pipe", "pipe", "pipe"],
      // Its own process group, so that a time-out kills everything it started.
      detached: process.platform !== "win32",
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let tooMuch = false;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (size + chunk.length > MAX_OUTPUT) tooMuch = true;
      else {
        chunks.push(chunk);
        size += chunk.length;
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(`${token}\n`);
    let timedOut = false;
    const kill = () => {
      try {
        if (child.pid !== undefined && process.platform !== "win32")
          process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.limitMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      // Whatever it left behind in its process group goes too (without a PID namespace).
      kill();
      const seconds = (request.limitMs / 1000).toFixed(0);
      if (timedOut) {
        resolve({
          end: "timed-out",
          raw: undefined,
          errors: [`Killed after ${seconds} s (the wall-clock limit): nothing was graded.`],
        });
        return;
      }
      resolve(
        resultOf({
          output: Buffer.concat(chunks).toString(),
          token,
          code,
          signal,
          tooMuch,
          stderr,
        }),
      );
    };
    // "close": the process has exited and every copy of its stdout is closed. Without a PID
    // namespace a process the student started may hold a copy: it is killed with the group, and
    // its pipes are let go of a moment later.
    child.on("exit", () => {
      kill();
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 1_000).unref();
    });
    child.on("close", finish);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({
        end: "crashed",
        raw: undefined,
        errors: [`The grading run could not start: ${error.message}`],
      });
    });
  });
}

const invertCase = (text: string): string =>
  [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join("");

const lastLines = (text: string): string => text.trim().split("\n").slice(-3).join(" / ");

/** How the runner's process ended, and what it printed. */
export interface RunnerExit {
  readonly output: string;
  readonly token: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** It printed more than MAX_OUTPUT. */
  readonly tooMuch: boolean;
  /** The end of what it printed on stderr. */
  readonly stderr: string;
}

/**
 * The result of a run that ended by itself. Student code in the sandbox runs as the same user as
 * the runner: it can read the token from the runner's memory (/proc/<pid>/mem), and could write
 * on the runner's stdout were that a pipe /proc can open (Node's are sockets, which it cannot). So
 * a result counts only when the runner exited with code 0, which it does right after printing its
 * one line, and only if that line is the only one: a forged line written before it makes two, and
 * a runner killed after a forged line did not exit 0.
 */
export function resultOf(exit: RunnerExit): SandboxResult {
  const marker = `\n${RESULT_PREFIX} ${exit.token} `;
  const first = exit.output.indexOf(marker);
  const last = exit.output.lastIndexOf(marker);
  if (first >= 0 && first !== last) {
    return {
      end: "crashed",
      raw: undefined,
      errors: [
        "Something in the sandbox wrote a second result line beside the runner's: the run cannot be trusted, so nothing was graded.",
      ],
    };
  }
  const raw =
    exit.code === 0 && first >= 0 ? parse(exit.output.slice(first + marker.length)) : undefined;
  if (raw) return { end: "graded", raw, errors: [] };
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
  const why = exit.tooMuch
    ? " after printing more than 64 MiB"
    : exit.stderr.trim()
      ? `: ${lastLines(exit.stderr)}`
      : "";
  return {
    end: "crashed",
    raw: undefined,
    errors: [`The grading run ${how} before reporting a result${why}. Nothing was graded.`],
  };
}

function parse(rest: string): RawRun | undefined {
  const line = rest.split("\n")[0] ?? "";
  try {
    const raw = JSON.parse(line) as RawRun;
    return Array.isArray(raw.outcomes) && Array.isArray(raw.errors) && Array.isArray(raw.problems)
      ? raw
      : undefined;
  } catch {
    return undefined;
  }
}
