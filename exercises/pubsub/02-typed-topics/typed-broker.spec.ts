import { describe, expect, it } from "vitest";
import { TypedBroker } from "./typed-broker";

type Topics = {
  "user.created": { id: string; email: string };
  "order.paid": { orderId: string; amount: number };
};

describe("TypedBroker at run time", () => {
  it("delivers each payload to the handlers of its topic", () => {
    const broker = new TypedBroker<Topics>();
    const welcomed: string[] = [];
    const paid: number[] = [];
    broker.subscribe("user.created", (user) => welcomed.push(user.email));
    broker.subscribe("order.paid", (order) => paid.push(order.amount));

    broker.publish("user.created", { id: "u1", email: "ada@example.com" });
    broker.publish("order.paid", { orderId: "o1", amount: 42 });

    expect(welcomed).toEqual(["ada@example.com"]);
    expect(paid).toEqual([42]);
  });

  it("returns how many handlers were called, and unsubscribes", () => {
    const broker = new TypedBroker<Topics>();
    const stop = broker.subscribe("order.paid", () => {});
    broker.subscribe("order.paid", () => {});

    expect(broker.publish("order.paid", { orderId: "o1", amount: 1 })).toBe(2);
    stop();
    expect(broker.publish("order.paid", { orderId: "o2", amount: 1 })).toBe(1);
  });
});
