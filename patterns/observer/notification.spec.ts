import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hostileValues } from "../../kata/spec-helpers";
import { createNotification, type NotificationOf, notifier } from "./notification";
import { Subject } from "./subject";

const JAN_1 = Date.parse("2024-01-01T00:00:00Z");

describe("createNotification()", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(JAN_1);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("holds the event name, the payload and the time it was created", () => {
    const payload = { celsius: 23.5 };
    const n = createNotification("temperature", payload);
    expect(n).toEqual({ event: "temperature", payload, timestamp: JAN_1 });
    expect(n.payload).toBe(payload);
  });

  it("stamps each notification with its own creation time, not one shared at import", () => {
    const first = createNotification("tick", 1);
    vi.advanceTimersByTime(1500);
    const second = createNotification("tick", 2);
    expect(first.timestamp).toBe(JAN_1);
    expect(second.timestamp).toBe(JAN_1 + 1500);
  });

  it("records a timestamp given in the options instead of now", () => {
    expect(createNotification("tick", null, { timestamp: 42 }).timestamp).toBe(42);
  });

  it("freezes the notification, so no observer can change it for the next", () => {
    const n = createNotification("temperature", { celsius: 20 });
    expect(Object.isFrozen(n)).toBe(true);
    expect(() => {
      (n as { event: string }).event = "wind";
    }).toThrow(TypeError);
  });

  it("freezes a plain payload all the way down, arrays included", () => {
    const payload = { station: { id: "A1", tags: ["roof"] }, readings: [{ celsius: 1 }] };
    const n = createNotification("batch", payload);
    expect(Object.isFrozen(n.payload)).toBe(true);
    expect(Object.isFrozen(payload.station)).toBe(true);
    expect(Object.isFrozen(payload.station.tags)).toBe(true);
    expect(Object.isFrozen(payload.readings[0])).toBe(true);
    expect(() => {
      (payload.station.tags as string[]).push("north");
    }).toThrow(TypeError);
  });

  it("leaves class instances, dates and maps unfrozen (they are not plain data)", () => {
    class Article {
      constructor(public title: string) {}
    }
    const payload = { article: new Article("Hi"), at: new Date(0), index: new Map([["a", 1]]) };
    createNotification("published", payload);
    expect(Object.isFrozen(payload)).toBe(true);
    expect(Object.isFrozen(payload.article)).toBe(false);
    expect(Object.isFrozen(payload.at)).toBe(false);
    expect(Object.isFrozen(payload.index)).toBe(false);
  });

  it("freezes a null-prototype object, which is plain data too", () => {
    const payload = Object.assign(Object.create(null) as { tags: string[] }, { tags: ["roof"] });
    createNotification("batch", payload);
    expect(Object.isFrozen(payload)).toBe(true);
    expect(Object.isFrozen(payload.tags)).toBe(true);
  });

  it("handles a payload with a cycle", () => {
    const payload: { self?: unknown; n: number } = { n: 1 };
    payload.self = payload;
    expect(() => createNotification("loop", payload)).not.toThrow();
    expect(Object.isFrozen(payload)).toBe(true);
  });

  it("does not run getters while freezing", () => {
    const payload = {
      get broken(): number {
        throw new Error("getter ran");
      },
    };
    expect(() => createNotification("lazy", payload)).not.toThrow();
  });

  it("accepts primitive and already-frozen payloads", () => {
    const frozen = Object.freeze({ a: 1 });
    expect(createNotification("n", 3).payload).toBe(3);
    expect(createNotification("n", null).payload).toBeNull();
    expect(createNotification("n", frozen).payload).toBe(frozen);
  });

  it.each([
    ["", '""'],
    [undefined, "undefined"],
    [null, "null"],
    [7, "7"],
    [["news"], "an array"],
    [{ event: "news" }, "an object"],
    [() => "news", "a function"],
  ])("rejects the event %o with a TypeError naming `event`", (event, described) => {
    expect(() => createNotification(event as string, null)).toThrow(
      new TypeError(`\`event\` must be a non-empty string, got ${described}`),
    );
  });

  it.each([
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    ["2024", '"2024"'],
  ])("rejects the timestamp %o with a TypeError naming it", (timestamp, described) => {
    expect(() => createNotification("n", null, { timestamp: timestamp as number })).toThrow(
      new TypeError(`\`options.timestamp\` must be a finite number, got ${described}`),
    );
  });
});

describe("hostile arguments", () => {
  it("refuses null options by name", () => {
    expect(() => createNotification("n", null, null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
    expect(() => notifier(null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });

  it("refuses primitive options by name", () => {
    expect(() => createNotification("n", null, 42 as never)).toThrow(
      new TypeError("`options` must be an object, got 42"),
    );
    expect(() => notifier(42 as never)).toThrow(
      new TypeError("`options` must be an object, got 42"),
    );
  });

  it("refuses options whose properties cannot be read, by name", () => {
    const throwing = () => {
      throw new Error("getter");
    };
    const unreadable = new TypeError(
      "`options` must be an object whose properties can be read, got an object",
    );
    expect(() =>
      createNotification("n", null, Object.defineProperty({}, "timestamp", { get: throwing })),
    ).toThrow(unreadable);
    expect(() => notifier(Object.defineProperty({}, "clock", { get: throwing }))).toThrow(
      unreadable,
    );
  });

  const unfreezable = ([label]: [string, unknown]) =>
    label.includes("Proxy") && !label.includes("function");

  it.each(hostileValues().filter(unfreezable))(
    "refuses a payload it cannot freeze (%s) by name",
    (_label, payload) => {
      expect(() => createNotification("n", payload)).toThrow(
        new TypeError("`payload` must be a value that can be frozen, got an unreadable value"),
      );
    },
  );

  it.each(hostileValues().filter((entry) => !unfreezable(entry)))(
    "freezes any other payload (%s)",
    (_label, payload) => {
      expect(createNotification("n", payload).payload).toBe(payload);
    },
  );
});

describe("notifier()", () => {
  interface WeatherEvents {
    temperature: { celsius: number };
    wind: { kmh: number };
  }

  it("creates notifications of its event map, stamped by its clock", () => {
    let now = 100;
    const weather = notifier<WeatherEvents>({ clock: () => now++ });
    expect(weather("wind", { kmh: 12 })).toEqual({
      event: "wind",
      payload: { kmh: 12 },
      timestamp: 100,
    });
    expect(weather("temperature", { celsius: 3 }).timestamp).toBe(101);
  });

  it("uses Date.now by default", () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(JAN_1);
      expect(notifier<WeatherEvents>()("wind", { kmh: 1 }).timestamp).toBe(JAN_1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects a clock that is not a function", () => {
    expect(() => notifier({ clock: 5 as unknown as () => number })).toThrow(
      new TypeError("`options.clock` must be a function, got 5"),
    );
  });

  it("works with a Subject of the event map's notifications", () => {
    const weather = notifier<WeatherEvents>({ clock: () => 0 });
    const station = new Subject<NotificationOf<WeatherEvents>>();
    const seen: string[] = [];
    station.attach((n) => {
      seen.push(n.event === "wind" ? `wind ${n.payload.kmh}` : `temp ${n.payload.celsius}`);
    });
    station.notify(weather("wind", { kmh: 30 }));
    station.notify(weather("temperature", { celsius: -2 }));
    expect(seen).toEqual(["wind 30", "temp -2"]);
  });
});
