/**
 * The decorator specs compile their classes with the TypeScript compiler itself. Vitest's
 * transformer (Oxc, in Vite 8) passes TC39 standard decorators through untouched, and Node 20
 * cannot parse them; `tsc`, `tsx` and esbuild lower them. So each class below is real
 * TypeScript source, compiled as a `tsc` user's would be (TS's emit uses no `Symbol.metadata`,
 * which Node 20 lacks), then run against this module's `subscribe` and a Broker.
 */
import ts from "typescript";
import { beforeEach, describe, expect, it } from "vitest";
import { Broker } from "./broker";
import { subscribe, subscribeTo } from "./decorators";
import { InvalidTopicError } from "./topics";

/** Compiles `source` (which must `return` a class) and runs it with `subscribe` in scope. */
function defineClass<C = new () => object>(source: string): C {
  const { outputText } = ts.transpileModule(`export function define(subscribe) {\n${source}\n}`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  const exports: { define?: (s: typeof subscribe) => C } = {};
  new Function("exports", outputText)(exports);
  return (exports.define as (s: typeof subscribe) => C)(subscribe);
}

let broker: Broker;

beforeEach(() => {
  broker = new Broker();
});

describe("@subscribe", () => {
  it("subscribes the decorated methods when an instance is registered, bound to it", () => {
    const Mailer = defineClass<new (from: string) => { sent: string[] }>(`
      class Mailer {
        sent = [];
        constructor(from) { this.from = from; }
        @subscribe("model.user.created")
        welcome(message) { this.sent.push(this.from + " welcomes " + message.payload.name); }
        @subscribe("model.+.deleted")
        goodbye(message) { this.sent.push(this.from + " says goodbye on " + message.topic); }
        notAHandler() { this.sent.push("never"); }
      }
      return Mailer;`);
    const mailer = new Mailer("ops@");

    broker.publish("model.user.created", { name: "Ada" }); // not registered yet
    const subscription = broker.register(mailer);
    broker.publish("model.user.created", { name: "Ada" });
    broker.publish("model.order.deleted", {});

    expect(mailer.sent).toEqual(["ops@ welcomes Ada", "ops@ says goodbye on model.order.deleted"]);
    expect(subscription.pattern).toBe("model.user.created, model.+.deleted");
    expect(broker.size).toBe(2);
  });

  it("binds each instance separately and unsubscribes them separately", () => {
    const Counter = defineClass<new () => { count: number }>(`
      class Counter {
        count = 0;
        @subscribe("tick") onTick() { this.count++; }
      }
      return Counter;`);
    const a = new Counter();
    const b = new Counter();
    const stopA = broker.register(a);
    broker.register(b);

    broker.publish("tick", null);
    expect(stopA()).toBe(true);
    expect(stopA()).toBe(false);
    broker.publish("tick", null);

    expect([a.count, b.count]).toEqual([1, 2]);
  });

  it("works with using, options, RegExps and #private methods", () => {
    const Audit = defineClass<new () => { log: string[] }>(`
      class Audit {
        log = [];
        @subscribe("order.#") #all(m) { this.log.push("all " + m.topic); }
        @subscribe(/order\\.(paid|refunded)/, { priority: 10 }) money(m) { this.log.push("money " + m.topic); }
        @subscribe("order.placed", { once: true }) first(m) { this.log.push("first " + m.topic); }
      }
      return Audit;`);
    const audit = new Audit();

    {
      using _registration = broker.register(audit);
      broker.publish("order.placed", null);
      broker.publish("order.paid", null);
      broker.publish("order.placed", null);
    }
    broker.publish("order.paid", null);

    expect(audit.log).toEqual([
      "all order.placed",
      "first order.placed",
      "money order.paid",
      "all order.paid",
      "all order.placed",
    ]);
    expect(broker.size).toBe(0);
  });

  it("subscribes every decorated #private method, however many", () => {
    const Audit = defineClass<new () => { log: string[] }>(`
      class Audit {
        log = [];
        @subscribe("a") #onA() { this.log.push("a"); }
        @subscribe("b") #onB() { this.log.push("b"); }
      }
      return Audit;`);
    const audit = new Audit();
    broker.register(audit);

    broker.publish("a", null);
    broker.publish("b", null);

    expect(audit.log).toEqual(["a", "b"]);
  });

  it("subscribes a subclass's handlers and its base's, an override only once", () => {
    const Derived = defineClass<new () => { log: string[] }>(`
      class Base {
        log = [];
        @subscribe("a") onA() { this.log.push("base a"); }
        @subscribe("b") onB() { this.log.push("base b"); }
      }
      class Derived extends Base {
        @subscribe("a") onA() { this.log.push("derived a"); }
        @subscribe("c") onC() { this.log.push("derived c"); }
      }
      return Derived;`);
    const instance = new Derived();
    broker.register(instance);

    for (const topic of ["a", "b", "c"]) broker.publish(topic, null);

    expect(instance.log).toEqual(["derived a", "base b", "derived c"]);
  });

  it("reports a failing decorated handler under its method's name", () => {
    const Broken = defineClass(`
      class Broken {
        @subscribe("t") explode() { throw new Error("boom"); }
      }
      return Broken;`);
    broker.register(new Broken());

    let error: unknown;
    try {
      broker.publish("t", null);
    } catch (e) {
      error = e;
    }

    expect((error as AggregateError).errors[0].message).toContain('handler "explode" of t');
  });

  it("refuses a malformed pattern when the class is defined", () => {
    expect(() =>
      defineClass(`
        class Bad { @subscribe("a.#.b") m() {} }
        return Bad;`),
    ).toThrow(InvalidTopicError);
  });

  it("refuses a decorated value that is not a function, when called by hand", () => {
    const context = {
      kind: "method",
      name: "handle",
      static: false,
      private: false,
      access: { get: () => 42 },
      addInitializer: () => {},
    };

    expect(() => subscribe("t")(42 as never, context as never)).toThrow(
      new TypeError("@subscribe: handle is 42"),
    );
  });

  it("refuses static methods, fields and accessors with a TypeError", () => {
    expect(() => defineClass(`class S { @subscribe("t") static m() {} } return S;`)).toThrow(
      "@subscribe decorates instance methods, not static method m",
    );
    expect(() => defineClass(`class F { @subscribe("t") f = 1; } return F;`)).toThrow(
      "not field f",
    );
    expect(() =>
      defineClass(`class G { @subscribe("t") get g() { return 1; } } return G;`),
    ).toThrow("not getter g");
  });
});

describe("register()", () => {
  it("refuses an object without @subscribe methods with a TypeError", () => {
    class Plain {
      handle() {}
    }
    expect(() => broker.register(new Plain())).toThrow(
      "`instance` has no @subscribe methods, got an instance of Plain",
    );
    expect(() => broker.register(null as never)).toThrow(
      new TypeError("`instance` has no @subscribe methods, got null"),
    );
    expect(() => broker.register(42 as never)).toThrow(
      new TypeError("`instance` has no @subscribe methods, got 42"),
    );
  });

  it("returns one subscription, active while any of the instance's handlers is", () => {
    const Greeter = defineClass(`
      class Greeter {
        @subscribe("hello", { once: true }) first() {}
        @subscribe("hello") every() {}
      }
      return Greeter;`);
    const registration = broker.register(new Greeter());
    expect(registration.active).toBe(true);

    broker.publish("hello", null);
    expect(registration.active).toBe(true);
    registration();

    expect(registration.active).toBe(false);
  });
});

describe("subscribeTo()", () => {
  it("is @subscribe itself, typed against a topic map", () => {
    expect(subscribeTo()).toBe(subscribe);
  });
});
