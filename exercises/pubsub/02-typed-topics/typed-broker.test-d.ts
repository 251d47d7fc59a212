import { describe, expectTypeOf, it } from "vitest";
import { TypedBroker } from "./typed-broker";

type User = { id: string; email: string };
type Order = { orderId: string; amount: number };
type Topics = {
  "user.created": User;
  "user.deleted": { id: string };
  "order.paid": Order;
};

const broker = new TypedBroker<Topics>();

describe("subscribe()", () => {
  it("gives a handler the payload type of its topic", () => {
    broker.subscribe("user.created", (user) => {
      expectTypeOf(user).toEqualTypeOf<User>();
    });
    broker.subscribe("order.paid", (order) => {
      expectTypeOf(order.amount).toEqualTypeOf<number>();
    });
  });

  it("rejects a topic that is not in the topic map", () => {
    // @ts-expect-error "user.craeted" is a typo: no such topic
    broker.subscribe("user.craeted", () => {});
  });

  it("rejects a handler that expects another topic's payload", () => {
    // @ts-expect-error a deleted user's payload has no email
    broker.subscribe("user.deleted", (user: User) => user.email);
  });
});

describe("publish()", () => {
  it("rejects a payload of the wrong shape", () => {
    // @ts-expect-error the id of a user is a string
    broker.publish("user.created", { id: 1, email: "ada@example.com" });
  });

  it("rejects another topic's payload, even a valid one", () => {
    // @ts-expect-error an Order is a fine payload, but not for "user.created"
    broker.publish("user.created", { orderId: "o1", amount: 5 });
  });

  it("rejects a topic that is not in the topic map", () => {
    // @ts-expect-error nobody declared "user.updated"
    broker.publish("user.updated", { id: "u1" });
  });

  it("requires the payload", () => {
    // @ts-expect-error "order.paid" carries an Order
    broker.publish("order.paid");
  });
});

describe("the topic map", () => {
  it("may be an interface, not only a type literal", () => {
    interface Events {
      "app.started": { at: number };
    }
    const events = new TypedBroker<Events>();
    events.subscribe("app.started", (event) => {
      expectTypeOf(event).toEqualTypeOf<{ at: number }>();
    });
  });
});
