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
