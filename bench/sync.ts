/**
 * The synchronous cases: our `Subject` against `node:events`, eventemitter3, mitt and tseep.
 * Each library is used the way its documentation shows; ours with its defaults (exception safety,
 * the mutation-during-notify rule and the compiled rounds of `compile: "auto"` all on).
 *
 * Every loop is written out per contender, not passed to a shared helper as a callback: a shared
 * call site would see every library and slow them all down alike, hiding the differences.
 *
 * @module
 */
import { EventEmitter as NodeEmitter } from "node:events";
import EventEmitter3 from "eventemitter3";
import mitt from "mitt";
import { EventEmitter as Tseep } from "tseep";
import { bench, describe } from "vitest";
import { Subject } from "../patterns/observer/index";
import { BENCH_OPTIONS, checked, expectSame, OURS, observers, sink, speedCase } from "./cases";
import { PlainSubject } from "./plain-subject";

type Events = { e: (value: number) => void };

/** notify / emit one number to `count` attached observers. */
export function notifySuite(count: number): void {
  const { id, opsPerCall: n } = speedCase(`notify-${count}`);
  const expected = n * count;

  // Each contender gets observers of its own, so that no library runs functions whose type
  // feedback and optimised code another library's calls have shaped.
  const subject = new Subject<number>();
  for (const fn of observers(count)) subject.attach(fn);
  const plain = new PlainSubject<number>();
  for (const fn of observers(count)) plain.attach(fn);
  const node = new NodeEmitter().setMaxListeners(0);
  for (const fn of observers(count)) node.on("e", fn);
  const ee3 = new EventEmitter3<"e">();
  for (const fn of observers(count)) ee3.on("e", fn);
  const emitter = mitt<{ e: number }>();
  for (const fn of observers(count)) emitter.on("e", fn);
  const tseep = new Tseep<Events>();
  for (const fn of observers(count)) tseep.on("e", fn);

  describe(id, () => {
    bench(
      `Subject${OURS}`,
      checked("Subject", expected, () => {
        for (let i = 0; i < n; i++) subject.notify(1);
      }),
      BENCH_OPTIONS,
    );
    bench(
      `plain loop, no safety${OURS}`,
      checked("plain loop", expected, () => {
        for (let i = 0; i < n; i++) plain.notify(1);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "node:events",
      checked("node:events", expected, () => {
        for (let i = 0; i < n; i++) node.emit("e", 1);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "eventemitter3",
      checked("eventemitter3", expected, () => {
        for (let i = 0; i < n; i++) ee3.emit("e", 1);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "mitt",
      checked("mitt", expected, () => {
        for (let i = 0; i < n; i++) emitter.emit("e", 1);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "tseep",
      checked("tseep", expected, () => {
        for (let i = 0; i < n; i++) tseep.emit("e", 1);
      }),
      BENCH_OPTIONS,
    );
  });
}

/**
 * Subscribe one observer and unsubscribe it again, on an emitter that keeps 10 others: a view
 * mounting and unmounting while the rest of the application listens. Each library unsubscribes
 * its idiomatic way (ours: the detacher `attach()` returns). After each batch the 10 residents
 * must still be there, alone.
 */
export function churnSuite(): void {
  const { id, opsPerCall: n } = speedCase("churn");
  const residents = observers(10);
  const [churned] = observers(1) as [(value: number) => void];

  const subject = new Subject<number>();
  const node = new NodeEmitter().setMaxListeners(0);
  const ee3 = new EventEmitter3<"e">();
  const emitter = mitt<{ e: number }>();
  const tseep = new Tseep<Events>();
  for (const fn of residents) {
    subject.attach(fn);
    node.on("e", fn);
    ee3.on("e", fn);
    emitter.on("e", fn);
    tseep.on("e", fn);
  }
  // The batches add nothing to the sink by themselves: each adds 1 per detacher that reports
  // success (ours) or, for the others, checks the listener count afterwards, so that the work
  // has a visible result either way.
  const tenLeft = (name: string, size: number) => expectSame(`${name}: observers left`, size, 10);

  describe(id, () => {
    bench(
      `Subject${OURS}`,
      checked("Subject", n, () => {
        for (let i = 0; i < n; i++) {
          const detach = subject.attach(churned);
          if (detach()) sink.n++;
        }
        tenLeft("Subject", subject.size);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "node:events",
      checked("node:events", 0, () => {
        for (let i = 0; i < n; i++) {
          node.on("e", churned);
          node.off("e", churned);
        }
        tenLeft("node:events", node.listenerCount("e"));
      }),
      BENCH_OPTIONS,
    );
    bench(
      "eventemitter3",
      checked("eventemitter3", 0, () => {
        for (let i = 0; i < n; i++) {
          ee3.on("e", churned);
          ee3.off("e", churned);
        }
        tenLeft("eventemitter3", ee3.listenerCount("e"));
      }),
      BENCH_OPTIONS,
    );
    bench(
      "mitt",
      checked("mitt", 0, () => {
        for (let i = 0; i < n; i++) {
          emitter.on("e", churned);
          emitter.off("e", churned);
        }
        tenLeft("mitt", emitter.all.get("e")?.length ?? 0);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "tseep",
      checked("tseep", 0, () => {
        for (let i = 0; i < n; i++) {
          tseep.on("e", churned);
          tseep.off("e", churned);
        }
        tenLeft("tseep", tseep.listenerCount("e"));
      }),
      BENCH_OPTIONS,
    );
  });
}

/**
 * Subscribe an observer for one notification, then notify: it runs once and is gone. node:events,
 * eventemitter3 and tseep have `once()`, ours `attach(observer, { once: true })`; mitt has none,
 * so its handler unsubscribes itself.
 */
export function onceSuite(): void {
  const { id, opsPerCall: n } = speedCase("once");
  const one = () => (observers(1) as [(value: number) => void])[0];

  const subject = new Subject<number>();
  const subjectFn = one();
  const node = new NodeEmitter();
  const nodeFn = one();
  const ee3 = new EventEmitter3<"e">();
  const ee3Fn = one();
  const emitter = mitt<{ e: number }>();
  const mittFn = one();
  const mittOnce = (value: number) => {
    emitter.off("e", mittOnce);
    mittFn(value);
  };
  const tseep = new Tseep<Events>();
  const tseepFn = one();

  describe(id, () => {
    bench(
      `Subject${OURS}`,
      checked("Subject", n, () => {
        for (let i = 0; i < n; i++) {
          subject.attach(subjectFn, { once: true });
          subject.notify(1);
        }
        expectSame("Subject: observers left", subject.size, 0);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "node:events",
      checked("node:events", n, () => {
        for (let i = 0; i < n; i++) {
          node.once("e", nodeFn);
          node.emit("e", 1);
        }
        expectSame("node:events: listeners left", node.listenerCount("e"), 0);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "eventemitter3",
      checked("eventemitter3", n, () => {
        for (let i = 0; i < n; i++) {
          ee3.once("e", ee3Fn);
          ee3.emit("e", 1);
        }
        expectSame("eventemitter3: listeners left", ee3.listenerCount("e"), 0);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "mitt",
      checked("mitt", n, () => {
        for (let i = 0; i < n; i++) {
          emitter.on("e", mittOnce);
          emitter.emit("e", 1);
        }
        expectSame("mitt: handlers left", emitter.all.get("e")?.length ?? 0, 0);
      }),
      BENCH_OPTIONS,
    );
    bench(
      "tseep",
      checked("tseep", n, () => {
        for (let i = 0; i < n; i++) {
          tseep.once("e", tseepFn);
          tseep.emit("e", 1);
        }
        expectSame("tseep: listeners left", tseep.listenerCount("e"), 0);
      }),
      BENCH_OPTIONS,
    );
  });
}
