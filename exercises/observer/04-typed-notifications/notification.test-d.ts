import { describe, expectTypeOf, it } from "vitest";
import { createNotification, type NotificationOf, notifier } from "./notification";

interface WeatherEvents {
  temperature: { celsius: number };
  wind: { kmh: number };
}

describe("the Notification type", () => {
  it("types the event as its literal name and the payload as given", () => {
    const reading = createNotification("temperature", { celsius: 23.5 });
    expectTypeOf(reading.event).toEqualTypeOf<"temperature">();
    expectTypeOf(reading.payload).toEqualTypeOf<{ readonly celsius: number }>();
    expectTypeOf(reading.timestamp).toEqualTypeOf<number>();
  });

  it("makes every field read-only", () => {
    const reading = createNotification("temperature", { celsius: 23.5 });
    // @ts-expect-error event is read-only
    reading.event = "temperature";
    // @ts-expect-error timestamp is read-only
    reading.timestamp = 0;
    // @ts-expect-error the payload is read-only
    reading.payload.celsius = 99;
  });
});

describe("notifier<Events>()", () => {
  it("accepts only the events of the map, each with its own payload", () => {
    const weather = notifier<WeatherEvents>();
    expectTypeOf(weather("wind", { kmh: 3 }).payload).toEqualTypeOf<{ readonly kmh: number }>();
    // @ts-expect-error the payload of "temperature" has celsius, not kmh
    weather("temperature", { kmh: 3 });
    // @ts-expect-error "rain" is not an event of WeatherEvents
    weather("rain", { mm: 1 });
  });
});

describe("NotificationOf<Events>", () => {
  it("narrows the payload when the event name is checked", () => {
    const describeReading = (n: NotificationOf<WeatherEvents>) => {
      if (n.event === "wind") {
        expectTypeOf(n.payload).toEqualTypeOf<{ readonly kmh: number }>();
        return `${n.payload.kmh} km/h`;
      }
      expectTypeOf(n.payload).toEqualTypeOf<{ readonly celsius: number }>();
      return `${n.payload.celsius} °C`;
    };
    expectTypeOf(describeReading)
      .parameter(0)
      .toHaveProperty("event")
      .toEqualTypeOf<"temperature" | "wind">();
  });
});
