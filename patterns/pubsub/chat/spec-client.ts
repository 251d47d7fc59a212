/**
 * A WebSocket test client for the chat's specs: it records every frame and waits, boundedly,
 * for the ones a test expects (a frame that never comes fails the test in 2 s, with what did
 * come). Every socket it opens is in `sockets`, for the spec to terminate after each test.
 */
import WebSocket from "ws";
import type { ServerFrame } from "./protocol";

/** Every socket opened by {@link Client.connect}; a spec terminates them after each test. */
export const sockets: WebSocket[] = [];

export const WAIT_MS = 2_000;

/** A test client: records every frame, and waits (boundedly) for the ones a test expects. */
export class Client {
  readonly frames: ServerFrame[] = [];
  #taken = 0;
  #waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      for (const wake of this.#waiters) wake();
    });
  }

  static async connect(url: string, options?: WebSocket.ClientOptions): Promise<Client> {
    const socket = new WebSocket(url, options);
    sockets.push(socket);
    const client = new Client(socket);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no connection within ${WAIT_MS} ms`)),
        WAIT_MS,
      );
      socket.once("open", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    await client.next("welcome");
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The next frame of `type` (frames of other types in between are skipped over). */
  next<T extends ServerFrame["type"]>(type: T): Promise<Extract<ServerFrame, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.frames.findIndex((f, i) => i >= this.#taken && f.type === type);
        if (index === -1) return false;
        this.#taken = index + 1;
        cleanup();
        resolve(this.frames[index] as Extract<ServerFrame, { type: T }>);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`no "${type}" frame within ${WAIT_MS} ms; got ${JSON.stringify(this.frames)}`),
        );
      }, WAIT_MS);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== wake);
      };
      const wake = () => void check();
      if (!check()) this.#waiters.push(wake);
    });
  }

  /** Sends a frame and returns the error frame it earns. */
  async refused(frame: unknown): Promise<Extract<ServerFrame, { type: "error" }>> {
    this.send(frame);
    return this.next("error");
  }

  closed(): Promise<number> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the socket stayed open")), WAIT_MS);
      this.socket.once("close", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }
}

/** Waits (boundedly) until `condition` holds: for what the server does after a socket closes. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
