import { describe, expectTypeOf, it } from "vitest";
import {
  Broker,
  bridgeLifecycle,
  LifecycleHooks,
  type Message,
  type MessageFor,
  type ModelTopics,
  type Subscription,
  subscribeTo,
} from "./index";

type User = { id: string; email: string };
type Topics = {
  "model.user.created": User;
  "model.user.deleted": { id: string };
  "model.order.created": { orderId: string };
  chat: { motd: string };
  [room: `chat.${string}`]: { from: string; text: string };
};

const broker = new Broker<Topics>();

describe("publish()", () => {
  it("checks the payload against the topic", () => {
    broker.publish("model.user.created", { id: "u1", email: "ada@example.com" });
    // @ts-expect-error an email is required
    broker.publish("model.user.created", { id: "u1" });
    // @ts-expect-error another topic's payload
    broker.publish("model.user.deleted", { orderId: "o1" });
  });

  it("refuses unknown topics and patterns", () => {
    // @ts-expect-error a typo
    broker.publish("model.user.craeted", { id: "u1", email: "" });
    // @ts-expect-error wildcards are for subscribers
    broker.publish("model.+.created", { id: "u1", email: "" });
  });

  it("accepts topics of a template literal family", () => {
    broker.publish("chat.lobby", { from: "ada", text: "hi" });
    broker.publish("chat", { motd: "welcome" });
    // @ts-expect-error the family's payload
    broker.publish("chat.lobby", { motd: "welcome" });
  });
});

describe("subscribe()", () => {
  it("types an exact topic's message", () => {
    broker.subscribe("model.user.created", (m) => {
      expectTypeOf(m).toEqualTypeOf<Message<"model.user.created", User>>();
    });
  });

  it("gives a + handler the union of the matching topics, discriminated by topic", () => {
    broker.subscribe("model.user.+", (m) => {
      expectTypeOf(m.topic).toEqualTypeOf<"model.user.created" | "model.user.deleted">();
      if (m.topic === "model.user.deleted") expectTypeOf(m.payload).toEqualTypeOf<{ id: string }>();
    });
    broker.subscribe("model.+.created", (m) => {
      expectTypeOf(m.topic).toEqualTypeOf<"model.user.created" | "model.order.created">();
    });
  });

  it("lets # match the parent level and everything below", () => {
    broker.subscribe("model.#", (m) => {
      expectTypeOf(m.topic).toEqualTypeOf<
        "model.user.created" | "model.user.deleted" | "model.order.created"
      >();
    });
    broker.subscribe("chat.#", (m) => {
      expectTypeOf(m.topic).toEqualTypeOf<"chat" | `chat.${string}`>();
    });
  });

  it("refuses a pattern that matches no topic of the map", () => {
    // @ts-expect-error no such model
    broker.subscribe("model.invoice.+", () => {});
    // @ts-expect-error "+" is one level exactly
    broker.subscribe("model.+", () => {});
    // @ts-expect-error "#" must be last, so this matches nothing
    broker.subscribe("model.#.created", () => {});
  });

  it("refuses a handler that expects the wrong message", () => {
    // @ts-expect-error a deleted user has no email
    broker.subscribe("model.user.deleted", (m: Message<string, User>) => m.payload.email);
  });

  it("gives a RegExp handler any message of the map", () => {
    broker.subscribe(/model\..*/, (m) => {
      expectTypeOf(m.topic).toEqualTypeOf<keyof Topics & string>();
    });
  });

  it("returns a subscription: callable, disposable, inspectable", () => {
    const subscription = broker.subscribe("chat", () => {});
    expectTypeOf(subscription).toEqualTypeOf<Subscription>();
    expectTypeOf(subscription()).toEqualTypeOf<boolean>();
    expectTypeOf(subscription).toExtend<Disposable>();
    // @ts-expect-error read-only
    subscription.active = true;
  });
});

describe("an untyped broker", () => {
  it("takes any topic and any payload, and gives handlers unknown payloads", () => {
    const loose = new Broker();
    loose.publish("anything.at.all", 42);
    loose.subscribe("a.+", (m) => {
      expectTypeOf(m.payload).toEqualTypeOf<unknown>();
      expectTypeOf(m.topic).toEqualTypeOf<string>();
    });
  });

  it("may be declared with an interface as topic map", () => {
    interface Events {
      "app.started": { at: number };
    }
    const events = new Broker<Events>();
    events.subscribe("app.+", (m) => {
      expectTypeOf(m.payload).toEqualTypeOf<{ at: number }>();
    });
    // @ts-expect-error not in the interface
    events.publish("app.stopped", { at: 1 });
  });
});

describe("MessageFor", () => {
  it("is never for a pattern that matches nothing", () => {
    expectTypeOf<MessageFor<Topics, "nope">>().toBeNever();
  });
});

describe("subscribeTo<Topics>()", () => {
  it("checks a decorated method against the messages its pattern matches", () => {
    const on = subscribeTo<Topics>();
    class Mailer {
      @on("model.user.created")
      welcome(m: Message<"model.user.created", User>) {
        return m.payload.email;
      }

      @on("model.user.+")
      any(m: MessageFor<Topics, "model.user.+">) {
        return m.topic;
      }
    }
    expectTypeOf(new Mailer().welcome)
      .parameter(0)
      .toEqualTypeOf<Message<"model.user.created", User>>();
  });

  it("refuses a method that expects another topic's message, or an unknown pattern", () => {
    const on = subscribeTo<Topics>();
    class Wrong {
      // @ts-expect-error an order's message is not a user's
      @on("model.user.created")
      welcome(m: Message<"model.order.created", { orderId: string }>) {
        return m;
      }

      // @ts-expect-error no such topic
      @on("model.invoice.created")
      invoice() {}
    }
    expectTypeOf(Wrong).toBeConstructibleWith();
  });
});

describe("the lifecycle bridge", () => {
  it("types the model topics and accepts a broker that has them", () => {
    type UserTopics = ModelTopics<"user", User>;
    expectTypeOf<keyof UserTopics>().toEqualTypeOf<
      "model.user.created" | "model.user.updated" | "model.user.saved" | "model.user.deleted"
    >();
    const hooks = new LifecycleHooks<User>();
    bridgeLifecycle(hooks, new Broker<UserTopics>(), "user");
    // @ts-expect-error the hooks' model is not the broker's payload
    bridgeLifecycle(new LifecycleHooks<number>(), new Broker<UserTopics>(), "user");
  });
});
