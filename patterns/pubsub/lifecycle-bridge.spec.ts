import { beforeEach, describe, expect, it, vi } from "vitest";
import { type Model, Repository } from "../observer/index";
import { Broker } from "./broker";
import { bridgeLifecycle, LifecycleHooks, type ModelTopics } from "./lifecycle-bridge";
import { InvalidTopicError } from "./topics";
import type { Message } from "./types";

type User = { id: string; name: string };
type Order = { id: string; total: number };

let broker: Broker<ModelTopics<"user", User> & ModelTopics<"order", Order>>;
let users: LifecycleHooks<User>;
let orders: LifecycleHooks<Order>;
let seen: Message[];

beforeEach(() => {
  broker = new Broker();
  users = new LifecycleHooks();
  orders = new LifecycleHooks();
  seen = [];
});

const ada = { id: "u1", name: "Ada" };

describe("bridgeLifecycle()", () => {
  it("publishes each lifecycle event of a model on model.<name>.<event>", () => {
    bridgeLifecycle(users, broker, "user");
    broker.subscribe("model.user.#", (m) => {
      seen.push(m);
    });

    users.emit("created", ada);
    users.emit("saved", ada);
    users.emit("updated", { ...ada, name: "Ada L." });
    users.emit("deleted", ada);

    expect(seen.map((m) => [m.topic, m.payload])).toEqual([
      ["model.user.created", ada],
      ["model.user.saved", ada],
      ["model.user.updated", { id: "u1", name: "Ada L." }],
      ["model.user.deleted", ada],
    ]);
  });

  it("lets one wildcard subscriber hear every model's event (SignalToEvent)", () => {
    bridgeLifecycle(users, broker, "user");
    bridgeLifecycle(orders, broker, "order");
    broker.subscribe("model.+.created", (m) => {
      seen.push(m);
    });

    users.emit("created", ada);
    orders.emit("created", { id: "o1", total: 9 });
    orders.emit("deleted", { id: "o1", total: 9 });

    expect(seen.map((m) => m.topic)).toEqual(["model.user.created", "model.order.created"]);
  });

  it("forwards only the events it is asked to, under the prefix it is given", () => {
    const loose = new Broker();
    bridgeLifecycle(users, loose, "user", { events: ["deleted"], prefix: "db" });
    loose.subscribe("#", (m) => {
      seen.push(m);
    });

    users.emit("created", ada);
    users.emit("deleted", ada);

    expect(seen.map((m) => m.topic)).toEqual(["db.user.deleted"]);
  });

  it("stops when its subscription is called or disposed", () => {
    const bridge = bridgeLifecycle(users, broker, "user");
    broker.subscribe("#", (m) => {
      seen.push(m);
    });

    expect(bridge()).toBe(true);
    expect(bridge()).toBe(false);
    expect(bridge.active).toBe(false);
    users.emit("created", ada);
    {
      using _bridge = bridgeLifecycle(users, broker, "user");
      users.emit("updated", ada);
    }
    users.emit("deleted", ada);

    expect(seen.map((m) => m.topic)).toEqual(["model.user.updated"]);
  });

  it("never throws a subscriber's failure into the model layer: it goes to onError", () => {
    const onError = vi.fn();
    bridgeLifecycle(users, broker, "user", { onError });
    broker.subscribe("model.user.created", () => {
      throw new Error("mailer down");
    });
    const afterSave = vi.fn();
    users.observe({ created: afterSave });

    expect(() => users.emit("created", ada)).not.toThrow();
    expect(afterSave).toHaveBeenCalledOnce();
    expect(onError).toHaveBeenCalledWith(expect.any(AggregateError));
  });

  it("refuses a name or prefix that is not one topic level, and unknown events", () => {
    expect(() => bridgeLifecycle(users, broker, "user.admin")).toThrow(InvalidTopicError);
    expect(() => bridgeLifecycle(users, broker, "+")).toThrow(InvalidTopicError);
    expect(() => bridgeLifecycle(users, broker, "user", { prefix: "" })).toThrow(InvalidTopicError);
    expect(() => bridgeLifecycle(users, broker, "user", { events: ["saving" as never] })).toThrow(
      'unknown event "saving"',
    );
  });

  it("says which argument must be a single level", () => {
    expect(() => bridgeLifecycle(users, broker, "user.admin")).toThrow(
      'invalid topic "user.admin": `name` must be a single level, without "."',
    );
  });

  it("describes its subscription by the topics it publishes", () => {
    const bridge = bridgeLifecycle(users, broker, "user", { events: ["created", "deleted"] });

    expect(bridge.pattern).toBe("model.user.{created,deleted}");
  });
});

describe("with the observer lesson's Repository", () => {
  it("bridges its completed events, and never its vetoable ones", () => {
    class Post implements Model {
      id?: number;
      constructor(public title: string) {}
    }
    const repository = new Repository();
    const posts = new Broker();
    repository.observe(Post, { creating: (post) => post.title !== "" }); // a veto
    bridgeLifecycle({ observe: (observer) => repository.observe(Post, observer) }, posts, "post");
    posts.subscribe("model.post.#", (m) => {
      seen.push(m);
    });

    repository.save(new Post("")); // vetoed: nothing happened, nothing is published
    const post = new Post("Hello");
    repository.save(post);
    repository.delete(post);

    expect(seen.map((m) => m.topic)).toEqual([
      "model.post.created",
      "model.post.saved",
      "model.post.deleted",
    ]);
  });
});

describe("LifecycleHooks", () => {
  it("runs every observer even if one throws, then throws them together", () => {
    const second = vi.fn();
    users.observe({
      created: () => {
        throw new Error("first failed");
      },
    });
    users.observe({ created: second });

    expect(() => users.emit("created", ada)).toThrow(AggregateError);
    expect(() => users.emit("created", ada)).toThrow('1 observers of "created" failed');
    expect(second).toHaveBeenCalledWith(ada);
  });

  it("detaches an observer, and refuses a non-object", () => {
    const created = vi.fn();
    const detach = users.observe({ created });
    expect(detach()).toBe(true);
    users.emit("created", ada);
    expect(created).not.toHaveBeenCalled();
    expect(() => users.observe(null as never)).toThrow(
      new TypeError("`observer` must be an object, got null"),
    );
    expect(() => users.observe((() => {}) as never)).toThrow(
      "`observer` must be an object, got a function",
    );
  });
});
