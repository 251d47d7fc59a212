import { describe, expectTypeOf, it } from "vitest";
import { type ModelObserver, Repository } from "./lifecycle";
import {
  createNotification,
  type Notification,
  type NotificationOf,
  notifier,
} from "./notification";
import { type Observer, type ObserverError, Subject } from "./subject";

interface WeatherEvents {
  temperature: { celsius: number };
  wind: { kmh: number; gusts: number[] };
}

describe("Subject<T>", () => {
  it("accepts function and update() observers of T", () => {
    const s = new Subject<number>();
    s.attach((n) => expectTypeOf(n).toEqualTypeOf<number>());
    s.attach({ update: (n) => expectTypeOf(n).toEqualTypeOf<number>() });
    expectTypeOf(s.attach).returns.toEqualTypeOf<() => boolean>();
    expectTypeOf(s.detach).returns.toEqualTypeOf<boolean>();
  });

  it("takes weak, signal and once as options, each of its own type", () => {
    const s = new Subject<number>();
    s.attach(() => {}, { weak: true, signal: new AbortController().signal, once: true });
    // @ts-expect-error once is a boolean
    s.attach(() => {}, { once: "yes" });
    // @ts-expect-error there is no such option
    s.attach(() => {}, { twice: true });
  });

  it("accepts an observer of a wider type", () => {
    const s = new Subject<number>();
    const describeAnything: Observer<unknown> = (value) => String(value);
    s.attach(describeAnything);
  });

  it("rejects an observer of another type", () => {
    const s = new Subject<number>();
    // @ts-expect-error a string observer cannot observe numbers
    s.attach((text: string) => text.length);
  });

  it("rejects an update() observer that accepts only part of T", () => {
    const s = new Subject<string>();
    const onlyA = { update: (_: "a") => {} };
    // @ts-expect-error update is checked strictly: "b" would reach an observer of "a"
    s.attach(onlyA);
  });

  it("types notify's argument as T", () => {
    const s = new Subject<number>();
    // @ts-expect-error a Subject<number> notifies numbers
    s.notify("1");
  });

  it("types a failure's observer as some observer", () => {
    expectTypeOf<ObserverError["observer"]>().toEqualTypeOf<Observer<never>>();
  });
});

describe("notifications", () => {
  it("types the event as its literal and the payload as given, read-only", () => {
    const n = createNotification("temperature", { celsius: 23.5 });
    expectTypeOf(n).toEqualTypeOf<Notification<"temperature", { celsius: number }>>();
    expectTypeOf(n.payload).toEqualTypeOf<{ readonly celsius: number }>();
    expectTypeOf(n.timestamp).toEqualTypeOf<number>();
  });

  it("makes every field read-only, all the way down", () => {
    const n = createNotification("wind", { kmh: 3, gusts: [5] });
    // @ts-expect-error read-only
    n.event = "temperature";
    // @ts-expect-error read-only
    n.payload.kmh = 4;
    // @ts-expect-error a read-only array
    n.payload.gusts.push(6);
  });

  it("leaves dates as dates", () => {
    const n = createNotification("at", { when: new Date(0) });
    expectTypeOf(n.payload.when).toEqualTypeOf<Date>();
  });

  it("checks events and payloads against the event map of a notifier", () => {
    const weather = notifier<WeatherEvents>();
    expectTypeOf(weather("temperature", { celsius: 1 })).toEqualTypeOf<
      Notification<"temperature", { celsius: number }>
    >();
    // @ts-expect-error the payload of "temperature" has celsius
    weather("temperature", { kmh: 1 });
    // @ts-expect-error "rain" is not an event of the map
    weather("rain", { mm: 1 });
  });

  it("narrows the payload by the event name", () => {
    const show = (n: NotificationOf<WeatherEvents>) => {
      if (n.event === "wind") expectTypeOf(n.payload.kmh).toEqualTypeOf<number>();
      else expectTypeOf(n.payload).toEqualTypeOf<{ readonly celsius: number }>();
    };
    expectTypeOf(show).parameter(0).toHaveProperty("event").toEqualTypeOf<"temperature" | "wind">();
  });
});

describe("Repository", () => {
  class Post {
    id?: number;
    constructor(public title: string) {}
  }

  it("types hooks by the observed model class", () => {
    const repository = new Repository();
    repository.observe(Post, {
      creating: (post) => {
        expectTypeOf(post).toEqualTypeOf<Post>();
        return post.title !== "";
      },
      created: (post) => expectTypeOf(post.id).toEqualTypeOf<number | undefined>(),
    });
    expectTypeOf(repository.find(Post, 1)).toEqualTypeOf<Post | undefined>();
  });

  it("accepts a class with some hooks as an observer", () => {
    class Moderator {
      saving(post: Post) {
        return !post.title.includes("spam");
      }
    }
    new Repository().observe(Post, new Moderator());
    expectTypeOf<Moderator>().toExtend<ModelObserver<Post>>();
  });

  it("rejects a hook for a model of another class", () => {
    // @ts-expect-error a Post observer does not hear about objects without a title
    new Repository().observe(Post, { created: (user: { name: string }) => user.name });
  });

  it("rejects a non-class sender", () => {
    // @ts-expect-error the sender is a class
    new Repository().observe("Post", { created: () => {} });
  });
});
