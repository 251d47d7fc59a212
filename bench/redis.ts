/**
 * `npx tsx bench/redis.ts [rounds]`: what crossing a process boundary through Redis costs. One
 * publisher and 100 subscribers in two processes (50 in each), next to the in-process Broker
 * with 100 handlers, in two shapes:
 *
 * - **fan-out in the process**: each process has one broker connection with 50 handlers, so
 *   Redis sends each message twice and each broker hands it to its 50 handlers (the chat's shape:
 *   one connection per server, one handler per member);
 * - **fan-out in Redis**: 100 broker connections with one handler each, so Redis sends each
 *   message 100 times.
 *
 * Then how long delivery takes to resume after Redis is killed and restarted: from the moment it
 * accepts connections again until `onConnectionChange` says the subscriber is back, and until the
 * first message published after that arrives. Each figure is the median of `rounds` (default 3),
 * printed with the load average (the machine is shared). Starts its own redis-server (Debian's
 * package) on a loopback port.
 */
import { type ChildProcess, fork } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { startRedis } from "../kata/services";
import { Broker } from "../patterns/pubsub/broker";
import { RedisBroker } from "../patterns/pubsub/redis-broker";

const SUBSCRIBERS_PER_PROCESS = 50;

interface Shape {
  readonly name: string;
  /** Broker connections per process, and handlers per connection. */
  readonly connections: number;
  readonly handlers: number;
  readonly messages: number;
}

const SHAPES: readonly Shape[] = [
  { name: "fan-out in the process", connections: 1, handlers: 50, messages: 20_000 },
  { name: "fan-out in Redis", connections: 50, handlers: 1, messages: 5_000 },
];

/** `connections` brokers with `handlers` handlers each; resolves when all saw `messages`. */
async function subscribers(
  url: string,
  shape: Shape,
): Promise<{
  ready: Promise<void>;
  done: Promise<void>;
  close: () => Promise<void>;
}> {
  const brokers = await Promise.all(
    Array.from({ length: shape.connections }, () => RedisBroker.connect(url)),
  );
  const expected = shape.messages * shape.connections * shape.handlers;
  let delivered = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const subscriptions: Promise<unknown>[] = [];
  for (const broker of brokers) {
    for (let i = 0; i < shape.handlers; i++) {
      subscriptions.push(
        broker.subscribe("bench.#", () => {
          if (++delivered === expected) finish();
        }),
      );
    }
  }
  return {
    ready: Promise.all(subscriptions).then(() => {}),
    done,
    close: async () => {
      await Promise.all(brokers.map((b) => b.close()));
    },
  };
}

/** In the child: the other half of the subscribers; tells the parent "ready", then "done". */
async function child(url: string, shapeIndex: number): Promise<void> {
  const shape = SHAPES[shapeIndex] as Shape;
  const subs = await subscribers(url, shape);
  await subs.ready;
  process.send?.("ready");
  await subs.done;
  process.send?.("done");
  await subs.close();
  process.disconnect?.();
}

function fromChild(worker: ChildProcess, word: string): Promise<void> {
  return new Promise((resolve) => {
    worker.on("message", (m) => {
      if (m === word) resolve();
    });
  });
}

const median = (values: number[]): number => {
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

function inProcess(messages: number): number {
  const broker = new Broker();
  for (let i = 0; i < 2 * SUBSCRIBERS_PER_PROCESS; i++) broker.subscribe("bench.#", () => {});
  const start = performance.now();
  for (let i = 0; i < messages; i++) broker.publish("bench.tick", i);
  return messages / ((performance.now() - start) / 1000);
}

/** Messages per second from one publisher to 100 subscribers, 50 here and 50 in a child. */
async function acrossProcesses(url: string, shapeIndex: number): Promise<number> {
  const shape = SHAPES[shapeIndex] as Shape;
  const worker = fork(fileURLToPath(import.meta.url), ["child", url, String(shapeIndex)], {
    execArgv: ["--import", "tsx"],
  });
  try {
    const childReady = fromChild(worker, "ready");
    const childDone = fromChild(worker, "done");
    const here = await subscribers(url, shape);
    await Promise.all([here.ready, childReady]);
    const publisher = await RedisBroker.connect(url);
    const start = performance.now();
    for (let i = 0; i < shape.messages; i++) void publisher.publish("bench.tick", i);
    await Promise.all([here.done, childDone]);
    const rate = shape.messages / ((performance.now() - start) / 1000);
    await Promise.all([publisher.close(), here.close()]);
    return rate;
  } finally {
    worker.kill();
  }
}

/** Milliseconds from Redis accepting connections again to "back" and to the first delivery. */
async function resume(redis: Awaited<ReturnType<typeof startRedis>>) {
  let back!: () => void;
  const isBack = new Promise<void>((resolve) => {
    back = resolve;
  });
  const subscriber = await RedisBroker.connect(redis.url, {
    onConnectionChange: (connected) => connected && back(),
  });
  const publisher = await RedisBroker.connect(redis.url);
  let heard = false;
  await subscriber.subscribe("resume", () => {
    heard = true;
  });
  await redis.kill("SIGKILL");
  await redis.restart();
  const start = performance.now();
  await isBack;
  const told = performance.now() - start;
  // The publisher's own connection may still be reconnecting: publish until one is delivered.
  while (!heard) {
    if ((await publisher.publish("resume", null).catch(() => 0)) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const delivered = performance.now() - start;
  await Promise.all([publisher.close(), subscriber.close()]);
  return { told, delivered };
}

async function main(rounds: number): Promise<void> {
  const redis = await startRedis();
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(", ");
  const fmt = (n: number) => Math.round(n).toLocaleString("en");
  try {
    console.log(`load average before: ${load()} (${rounds} rounds, medians)`);
    const local = median(Array.from({ length: rounds }, () => inProcess(20_000)));
    console.log(
      `in-process Broker, 100 handlers:                    ${fmt(local)} messages/s (${fmt(local * 100)} deliveries/s)`,
    );
    for (const [index, shape] of SHAPES.entries()) {
      const rates: number[] = [];
      for (let r = 0; r < rounds; r++) rates.push(await acrossProcesses(redis.url, index));
      const rate = median(rates);
      console.log(
        `RedisBroker, 100 subscribers in two processes, ${shape.name}: ${fmt(rate)} messages/s (${fmt(rate * 100)} deliveries/s; ${shape.messages} messages, rounds ${rates.map(fmt).join(" / ")})`,
      );
    }
    const resumes: { told: number; delivered: number }[] = [];
    for (let r = 0; r < rounds; r++) resumes.push(await resume(redis));
    console.log(
      `after a Redis restart: told "back" ${median(resumes.map((r) => r.told)).toFixed(0)} ms, first message delivered ${median(resumes.map((r) => r.delivered)).toFixed(0)} ms after Redis accepted connections again (rounds ${resumes.map((r) => r.delivered.toFixed(0)).join(" / ")} ms)`,
    );
    console.log(`load average after: ${load()}`);
  } finally {
    await redis.stop();
  }
}

if (process.argv[2] === "child") await child(process.argv[3] as string, Number(process.argv[4]));
else await main(Number(process.argv[2] ?? 3));
