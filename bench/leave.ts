/**
 * A chat room empties: `count` members join one subject (or one topic), then leave in a random
 * order, as people do. An emitter that searches and shifts an array per removal does quadratic
 * work here; ours marks the entry dead and sweeps later, in constant time per member. One call
 * of each bench function is the whole join-and-leave, so ops/s counts members per second.
 *
 * @module
 */
import { EventEmitter as NodeEmitter } from "node:events";
import mitt from "mitt";
import { EventEmitter as Tseep } from "tseep";
import { bench, describe } from "vitest";
import { Subject } from "../patterns/observer/index";
import { Broker } from "../patterns/pubsub/index";
import { expectSame, LONG_BENCH_OPTIONS, OURS, speedCase } from "./cases";

type Fn = (value: number) => void;

/** A fixed shuffle (a small LCG), so that every contender sees the same order, run after run. */
function shuffled(count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  let seed = 42;
  for (let i = count - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** Join `count` members, then have them leave in a random order. */
export function leaveSuite(count: number): void {
  const { id } = speedCase(`leave-${count}`);
  // Distinct functions, as distinct members' handlers are (a duplicate would be attached once).
  const members: Fn[] = Array.from({ length: count }, () => () => {});
  const order = shuffled(count);

  describe(id, () => {
    bench(
      `Subject${OURS}`,
      () => {
        const room = new Subject<number>();
        const leave = members.map((fn) => room.attach(fn));
        for (const i of order) (leave[i] as () => boolean)();
        expectSame("Subject: members left", room.size, 0);
      },
      LONG_BENCH_OPTIONS,
    );
    bench(
      `Broker${OURS}`,
      () => {
        const broker = new Broker<Record<string, number>>();
        const leave = members.map((fn) => broker.subscribe("chat.lobby", (m) => fn(m.payload)));
        for (const i of order) (leave[i] as () => boolean)();
        expectSame("Broker: subscriptions left", broker.size, 0);
      },
      LONG_BENCH_OPTIONS,
    );
    bench(
      "node:events",
      () => {
        const room = new NodeEmitter().setMaxListeners(0);
        for (const fn of members) room.on("e", fn);
        for (const i of order) room.off("e", members[i] as Fn);
        expectSame("node:events: listeners left", room.listenerCount("e"), 0);
      },
      LONG_BENCH_OPTIONS,
    );
    bench(
      "mitt",
      () => {
        const room = mitt<{ e: number }>();
        for (const fn of members) room.on("e", fn);
        for (const i of order) room.off("e", members[i] as Fn);
        expectSame("mitt: handlers left", room.all.get("e")?.length ?? 0, 0);
      },
      LONG_BENCH_OPTIONS,
    );
    bench(
      "tseep",
      () => {
        const room = new Tseep<{ e: Fn }>();
        for (const fn of members) room.on("e", fn);
        for (const i of order) room.off("e", members[i] as Fn);
        expectSame("tseep: listeners left", room.listenerCount("e"), 0);
      },
      LONG_BENCH_OPTIONS,
    );
  });
}
