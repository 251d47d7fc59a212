/**
 * The memory cases, run by `bench/run.ts` in a child process of its own:
 * `node --expose-gc --import tsx bench/memory.ts [cycles] [live]`.
 *
 * - Heap growth after `cycles` (default 1 000 000) subscribe/unsubscribe cycles, each with a new
 *   observer: a subject that kept anything per cycle (an entry, a trie node, a closure) grows by
 *   megabytes; one that cleans up grows by nothing but noise.
 * - Retained bytes per subscription: the heap a library holds for each of `live` (default
 *   100 000) subscriptions, the observers themselves and the values `subscribe()` returns excluded.
 *
 * Prints one JSON object, a {@link MemoryReport}, on stdout.
 *
 * @module
 */
import { EventEmitter as NodeEmitter } from "node:events";
import Emittery from "emittery";
import EventEmitter3 from "eventemitter3";
import mitt from "mitt";
import { Qlobber } from "qlobber";
import { EventEmitter as Tseep } from "tseep";
import { Subject } from "../patterns/observer/index";
import { AsyncSubject } from "../patterns/observer-async/index";
import { Broker, type Handler, type Message } from "../patterns/pubsub/index";
import { OURS, sink } from "./cases";

/** Heap growth after many subscribe/unsubscribe cycles, for one contender. */
export interface ChurnResult {
  readonly name: string;
  readonly cycles: number;
  /** Heap used after the cycles minus before, both after a full collection. */
  readonly growthBytes: number;
  readonly nsPerCycle: number;
}

/** The heap held per live subscription, for one contender. */
export interface RetainedResult {
  readonly name: string;
  readonly live: number;
  readonly bytesPerSubscription: number;
  /** How long subscribing all `live` observers took. */
  readonly subscribeMs: number;
}

/** What this script prints. */
export interface MemoryReport {
  readonly churn: ChurnResult[];
  readonly retained: RetainedResult[];
}

type Fn = (value: number) => void;

/**
 * A library under test: `subscribe` adds an observer and returns how to remove it. `key` is the
 * cycle's number, for the contenders that subscribe with a new pattern each time.
 */
interface Contender {
  readonly name: string;
  readonly create: () => {
    readonly subscribe: (fn: Fn, key: number) => () => void;
    readonly size: () => number;
  };
}

/**
 * The observer itself, as a broker handler: no wrapper closure, which would be counted against
 * the broker. (No message is published here: the handler is never called.)
 */
const asHandler = (fn: Fn) => fn as unknown as Handler<Message<string, number>>;

/** A new observer, different from every other one (it closes over `i`). */
const observer =
  (i: number): Fn =>
  (value) => {
    sink.n += value + i;
  };

const topics = { separator: ".", wildcard_one: "+", wildcard_some: "#", match_empty_levels: true };

const CONTENDERS: readonly Contender[] = [
  {
    name: `Subject${OURS}`,
    create: () => {
      const subject = new Subject<number>();
      return { subscribe: (fn) => subject.attach(fn), size: () => subject.size };
    },
  },
  {
    name: `AsyncSubject${OURS}`,
    create: () => {
      const subject = new AsyncSubject<number>();
      return { subscribe: (fn) => subject.attach(fn), size: () => subject.size };
    },
  },
  {
    name: `Broker, one pattern${OURS}`,
    create: () => {
      const broker = new Broker<Record<string, number>>();
      return {
        subscribe: (fn) => broker.subscribe("site.+.temperature", asHandler(fn)),
        size: () => broker.size,
      };
    },
  },
  {
    name: `Broker, a new pattern each time${OURS}`,
    create: () => {
      const broker = new Broker<Record<string, number>>();
      return {
        subscribe: (fn, key) => broker.subscribe(`device${key}.+.status`, asHandler(fn)),
        size: () => broker.size,
      };
    },
  },
  {
    name: "node:events",
    create: () => {
      const emitter = new NodeEmitter().setMaxListeners(0);
      return {
        subscribe: (fn) => {
          emitter.on("e", fn);
          return () => emitter.off("e", fn);
        },
        size: () => emitter.listenerCount("e"),
      };
    },
  },
  {
    name: "eventemitter3",
    create: () => {
      const emitter = new EventEmitter3<"e">();
      return {
        subscribe: (fn) => {
          emitter.on("e", fn);
          return () => emitter.off("e", fn);
        },
        size: () => emitter.listenerCount("e"),
      };
    },
  },
  {
    name: "mitt",
    create: () => {
      const emitter = mitt<{ e: number }>();
      return {
        subscribe: (fn) => {
          emitter.on("e", fn);
          return () => emitter.off("e", fn);
        },
        size: () => emitter.all.get("e")?.length ?? 0,
      };
    },
  },
  {
    name: "tseep",
    create: () => {
      const emitter = new Tseep<{ e: Fn }>();
      return {
        subscribe: (fn) => {
          emitter.on("e", fn);
          return () => emitter.off("e", fn);
        },
        size: () => emitter.listenerCount("e"),
      };
    },
  },
  {
    name: "emittery",
    create: () => {
      const emitter = new Emittery<{ e: number }>();
      return { subscribe: (fn) => emitter.on("e", fn), size: () => emitter.listenerCount("e") };
    },
  },
  {
    name: "qlobber, one pattern",
    create: () => {
      const qlobber = new Qlobber<Fn>(topics);
      let size = 0;
      return {
        subscribe: (fn) => {
          qlobber.add("site.+.temperature", fn);
          size++;
          return () => {
            qlobber.remove("site.+.temperature", fn);
            size--;
          };
        },
        size: () => size,
      };
    },
  },
  {
    name: "qlobber, a new pattern each time",
    create: () => {
      const qlobber = new Qlobber<Fn>(topics);
      let size = 0;
      return {
        subscribe: (fn, key) => {
          qlobber.add(`device${key}.+.status`, fn);
          size++;
          return () => {
            qlobber.remove(`device${key}.+.status`, fn);
            size--;
          };
        },
        size: () => size,
      };
    },
  },
];

const collect = (globalThis as { gc?: () => void }).gc;

/**
 * Heap used after full collections. It first lets pending callbacks run (emittery, for one,
 * announces each `on()` and `off()` with an asynchronous event: until the loop yields, those are
 * work in progress, not a leak), then collects twice (the first may leave finalizers behind).
 */
async function heapUsed(): Promise<number> {
  if (collect === undefined) throw new Error("run with node --expose-gc");
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Somewhere to keep what must outlive a measurement, so that it is not collected early. */
const kept: unknown[] = [];

async function churn(contender: Contender, cycles: number): Promise<ChurnResult> {
  const target = contender.create();
  // A few cycles first, so that what a library allocates once (a map, an array) is not counted.
  for (let i = 0; i < 1000; i++) target.subscribe(observer(i), i)();
  const before = await heapUsed();
  const start = performance.now();
  for (let done = 0; done < cycles; ) {
    const end = Math.min(cycles, done + 1000);
    for (let i = done; i < end; i++) {
      const unsubscribe = target.subscribe(observer(i), i);
      unsubscribe();
    }
    done = end;
    // An application subscribes across many turns of the event loop, not in one: yielding lets
    // a library finish what it defers (emittery announces every on() and off() asynchronously).
    await new Promise((resolve) => setImmediate(resolve));
  }
  const elapsed = performance.now() - start;
  const after = await heapUsed();
  if (target.size() !== 0) throw new Error(`${contender.name}: ${target.size()} observers left`);
  kept.push(target);
  return {
    name: contender.name,
    cycles,
    growthBytes: after - before,
    nsPerCycle: (elapsed * 1e6) / cycles,
  };
}

async function retained(contender: Contender, live: number): Promise<RetainedResult> {
  const target = contender.create();
  const fns: Fn[] = Array.from({ length: live }, (_, i) => observer(i));
  target.subscribe(() => undefined, -1)(); // lazily created structures exist before the baseline
  const before = await heapUsed();
  const start = performance.now();
  // The values subscribe() returns are dropped: what is measured is what the library holds.
  for (let i = 0; i < live; i++) target.subscribe(fns[i] as Fn, i);
  const subscribeMs = performance.now() - start;
  const after = await heapUsed();
  if (target.size() !== live) throw new Error(`${contender.name}: ${target.size()} of ${live}`);
  kept.push(target, fns);
  return {
    name: contender.name,
    live,
    bytesPerSubscription: (after - before) / live,
    subscribeMs,
  };
}

const cycles = Number(process.argv[2] ?? 1_000_000);
const live = Number(process.argv[3] ?? 100_000);
// One contender at a time, never interleaved: each measurement sees only its own garbage.
const report: MemoryReport = { churn: [], retained: [] };
for (const contender of CONTENDERS) report.churn.push(await churn(contender, cycles));
for (const contender of CONTENDERS) report.retained.push(await retained(contender, live));
kept.length = 0;
process.stdout.write(`${JSON.stringify(report)}\n`);
