/**
 * `npx tsx bench/redis.ts`: what crossing a process boundary through Redis costs. One publisher,
 * 100 subscribers in two processes (50 handlers on one broker connection in each), next to the
 * in-process Broker with 100 handlers; then how long delivery takes to resume after Redis is
 * killed and restarted. Starts its own redis-server (Debian's package) on a loopback port.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startRedis } from "../kata/services";
import { Broker } from "../patterns/pubsub/broker";
import { RedisBroker } from "../patterns/pubsub/redis-broker";

const MESSAGES = 20_000;
const HANDLERS_PER_PROCESS = 50;

/** In the child: 50 handlers on one broker; tells the parent when each has seen every message. */
async function child(url: string): Promise<void> {
  const broker = await RedisBroker.connect(url);
  let delivered = 0;
  for (let i = 0; i < HANDLERS_PER_PROCESS; i++) {
    await broker.subscribe("bench.#", () => {
      if (++delivered === MESSAGES * HANDLERS_PER_PROCESS) process.send?.("done");
    });
  }
  process.send?.("ready");
}

async function main(): Promise<void> {
  const redis = await startRedis();
  try {
    const inProcess = new Broker();
    for (let i = 0; i < 2 * HANDLERS_PER_PROCESS; i++) inProcess.subscribe("bench.#", () => {});
    let start = performance.now();
    for (let i = 0; i < MESSAGES; i++) inProcess.publish("bench.tick", i);
    const local = MESSAGES / ((performance.now() - start) / 1000);

    const worker = fork(fileURLToPath(import.meta.url), ["child", redis.url], {
      execArgv: ["--import", "tsx"],
    });
    const fromChild = (word: string) =>
      new Promise<void>((resolve) => worker.on("message", (m) => m === word && resolve()));
    const childReady = fromChild("ready");
    const childDone = fromChild("done");
    await childReady;
    const publisher = await RedisBroker.connect(redis.url);
    const subscriber = await RedisBroker.connect(redis.url);
    let delivered = 0;
    let localDone!: () => void;
    const here = new Promise<void>((resolve) => {
      localDone = resolve;
    });
    for (let i = 0; i < HANDLERS_PER_PROCESS; i++) {
      await subscriber.subscribe("bench.#", () => {
        if (++delivered === MESSAGES * HANDLERS_PER_PROCESS) localDone();
      });
    }
    start = performance.now();
    for (let i = 0; i < MESSAGES; i++) void publisher.publish("bench.tick", i);
    await Promise.all([here, childDone]);
    const remote = MESSAGES / ((performance.now() - start) / 1000);
    worker.kill();

    // Resume after a restart: from the moment Redis accepts connections again to the first
    // message a subscriber receives.
    let heard = false;
    await subscriber.subscribe("resume", () => {
      heard = true;
    });
    await redis.kill("SIGKILL");
    await redis.restart();
    start = performance.now();
    while (!heard) {
      if ((await publisher.publish("resume", null).catch(() => 0)) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const resumeMs = performance.now() - start;
    await Promise.all([publisher.close(), subscriber.close()]);

    const fmt = (n: number) => Math.round(n).toLocaleString("en");
    console.log(
      `in-process Broker, 100 handlers:            ${fmt(local)} messages/s (${fmt(local * 100)} deliveries/s)`,
    );
    console.log(
      `RedisBroker, 100 handlers in two processes: ${fmt(remote)} messages/s (${fmt(remote * 100)} deliveries/s)`,
    );
    console.log(`delivery resumed ${resumeMs.toFixed(0)} ms after Redis came back`);
  } finally {
    await redis.stop();
  }
}

if (process.argv[2] === "child") await child(process.argv[3] as string);
else await main();
