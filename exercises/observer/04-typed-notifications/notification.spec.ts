import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createNotification, notifier } from "./notification";

const NINE_AM = Date.parse("2024-06-01T09:00:00Z");

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(NINE_AM);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("createNotification()", () => {
  it("holds the event name, the payload and the time it was created", () => {
    const reading = createNotification("temperature", { celsius: 23.5 });
    expect(reading).toEqual({
      event: "temperature",
      payload: { celsius: 23.5 },
      timestamp: NINE_AM,
    });
  });

  it("stamps each notification with the time it was created, not one shared time", () => {
    const first = createNotification("temperature", { celsius: 20 });
    vi.advanceTimersByTime(60_000);
    const second = createNotification("temperature", { celsius: 21 });
    expect(first.timestamp).toBe(NINE_AM);
    expect(second.timestamp).toBe(NINE_AM + 60_000);
  });

  it("stamps the time to the millisecond", () => {
    vi.setSystemTime(NINE_AM + 1_234);
    expect(createNotification("wind", { kmh: 2 }).timestamp).toBe(NINE_AM + 1_234);
    vi.advanceTimersByTime(1);
    expect(createNotification("wind", { kmh: 2 }).timestamp).toBe(NINE_AM + 1_235);
  });

  it("freezes the notification: assigning a field throws", () => {
    const reading = createNotification("temperature", { celsius: 20 });
    expect(Object.isFrozen(reading)).toBe(true);
    expect(() => {
      (reading as { event: string }).event = "wind";
    }).toThrow(TypeError);
  });

  it("freezes the payload, so one observer cannot change what the next one sees", () => {
    const reading = createNotification("temperature", { celsius: 20 });
    expect(Object.isFrozen(reading.payload)).toBe(true);
    expect(() => {
      (reading.payload as { celsius: number }).celsius = 99;
    }).toThrow(TypeError);
  });

  it.each([
    ["an empty string", ""],
    ["undefined", undefined],
    ["a number", 7],
  ])("rejects %s as the event with a TypeError naming `event`", (_, event) => {
    const create = () => createNotification(event as string, {});
    expect(create).toThrow(TypeError);
    expect(create).toThrow(/`event`/);
  });
});

describe("createNotification(): which events it accepts", () => {
  /** The error `create()` throws, or a marker when it throws nothing. */
  function thrownBy(create: () => unknown): unknown {
    try {
      create();
    } catch (error) {
      return error;
    }
    return "nothing thrown";
  }

  it("accepts every non-empty string, whitespace and look-alikes included", () => {
    for (const event of [" ", "\n", "0", "undefined", "null", "false", "Temperature"]) {
      expect(createNotification(event, {}).event).toBe(event);
    }
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer(), (event, celsius) => {
        const made = createNotification(event, { celsius });
        expect(made).toEqual({ event, payload: { celsius }, timestamp: NINE_AM });
        expect(Object.isFrozen(made) && Object.isFrozen(made.payload)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("rejects every event that is not a string, or is empty, with a TypeError naming `event`", () => {
    const named = [null, 0, -0, Number.NaN, Number.NEGATIVE_INFINITY, false, "", [], ["x"]];
    const anyBad = fc.oneof(
      fc.constantFrom<unknown>(...named),
      fc
        .anything({ key: fc.stringMatching(/^[a-z]{1,5}$/) })
        .filter((value) => typeof value !== "string"),
    );
    fc.assert(
      fc.property(anyBad, (event) => {
        const error = thrownBy(() => createNotification(event as string, {}));
        expect(error).toBeInstanceOf(TypeError);
        expect((error as TypeError).message).toMatch(/`event`/);
      }),
      { numRuns: 150 },
    );
  });

  it("goes on creating notifications after rejecting an event", () => {
    expect(thrownBy(() => createNotification("", {}))).toBeInstanceOf(TypeError);
    expect(createNotification("wind", { kmh: 3 })).toEqual({
      event: "wind",
      payload: { kmh: 3 },
      timestamp: NINE_AM,
    });
  });

  it("hands every observer the payload it was given, frozen, not a changed copy", () => {
    const payload = { celsius: 20, station: "roof" };
    const reading = createNotification("temperature", payload);
    expect(reading.payload).toEqual({ celsius: 20, station: "roof" });
    expect(Object.isFrozen(reading.payload)).toBe(true);
  });
});

describe("notifier()", () => {
  interface WeatherEvents {
    temperature: { celsius: number };
    wind: { kmh: number };
  }

  it("creates notifications stamped by its clock, asked once per notification", () => {
    let tick = 0;
    const weather = notifier<WeatherEvents>(() => ++tick);
    expect(weather("wind", { kmh: 12 })).toEqual({
      event: "wind",
      payload: { kmh: 12 },
      timestamp: 1,
    });
    expect(weather("temperature", { celsius: 3 }).timestamp).toBe(2);
  });

  it("stamps each notification with exactly what its clock returned, 0 and negatives included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 5 }),
        (times) => {
          const queue = [...times];
          let asked = 0;
          const weather = notifier<WeatherEvents>(() => {
            asked++;
            return queue.shift() as number;
          });
          const stamps = times.map((_, i) => weather("wind", { kmh: i }).timestamp);
          expect(stamps).toEqual(times);
          expect(asked).toBe(times.length);
        },
      ),
      { numRuns: 100 },
    );
    expect(notifier<WeatherEvents>(() => 0)("wind", { kmh: 1 }).timestamp).toBe(0);
  });

  it("does not ask its clock before the first notification", () => {
    let asked = 0;
    const weather = notifier<WeatherEvents>(() => {
      asked++;
      return 42;
    });
    expect(asked).toBe(0);
    expect(weather("temperature", { celsius: 1 }).timestamp).toBe(42);
    expect(asked).toBe(1);
  });

  it("uses the current time when no clock is given", () => {
    const weather = notifier<WeatherEvents>();
    vi.advanceTimersByTime(5_000);
    expect(weather("wind", { kmh: 1 }).timestamp).toBe(NINE_AM + 5_000);
  });

  it("freezes what it creates", () => {
    const made = notifier<WeatherEvents>()("wind", { kmh: 1 });
    expect(Object.isFrozen(made)).toBe(true);
    expect(Object.isFrozen(made.payload)).toBe(true);
  });
});
