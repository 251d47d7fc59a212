/**
 * Weather station: a console observer and a file observer; the log file breaks, the console goes on.
 *
 * `npm run demo weather`. The source article's weather station, with typed, frozen notifications
 * (each stamped when it is created). The file observer appends to a log in a fresh temporary
 * folder; halfway through, the demo turns the log's path into a directory, so the next write
 * fails: the failure is reported after the round, and the console observer, attached after the
 * file observer, still prints every reading. The folder is removed at the end.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pc from "picocolors";
import { type NotificationOf, notifier } from "../notification";
import { type ObserverError, type ObserverObject, Subject } from "../subject";

const heading = (text: string) => console.log(`\n${pc.bold(pc.cyan(text))}`);
const line = (text: string) => console.log(`  ${text}`);

interface WeatherEvents {
  temperature: { celsius: number };
  humidity: { percent: number };
  wind: { kmh: number; direction: string };
}
type Reading = NotificationOf<WeatherEvents>;

/** One line of text for any reading: the event name narrows the payload's type. */
function describe(reading: Reading): string {
  switch (reading.event) {
    case "temperature":
      return `${reading.payload.celsius} °C`;
    case "humidity":
      return `${reading.payload.percent} %`;
    case "wind":
      return `${reading.payload.kmh} km/h ${reading.payload.direction}`;
  }
}

const time = (reading: Reading) => new Date(reading.timestamp).toISOString().slice(11, 23);

class ConsoleObserver implements ObserverObject<Reading> {
  update(reading: Reading): void {
    line(`🖥️  ${pc.dim(time(reading))} ${reading.event}: ${describe(reading)}`);
  }
}

class FileObserver implements ObserverObject<Reading> {
  constructor(readonly path: string) {}

  update(reading: Reading): void {
    // Throws if the file cannot be written; the subject reports it and carries on.
    appendFileSync(this.path, `${time(reading)} ${reading.event} ${describe(reading)}\n`);
  }
}

class WeatherStation {
  readonly readings = new Subject<Reading>();

  measure(reading: Reading): void {
    try {
      this.readings.notify(reading);
    } catch (error) {
      if (!(error instanceof AggregateError)) throw error;
      for (const failure of error.errors as ObserverError[]) {
        const cause = failure.cause as NodeJS.ErrnoException;
        line(
          pc.red(`✗ ${failure.observer.constructor.name} failed: ${cause.code ?? cause.message}`),
        );
      }
    }
  }
}

/** Makes readings: only WeatherEvents' events, each with its own payload, stamped when made. */
const weather = notifier<WeatherEvents>();

const folder = mkdtempSync(join(tmpdir(), "weather-"));
const logPath = join(folder, "weather.log");
try {
  const station = new WeatherStation();
  station.readings.attach(new FileObserver(logPath)); // first, so its failure comes before the console
  station.readings.attach(new ConsoleObserver());

  heading(`1. Readings go to the console and to ${logPath}`);
  station.measure(weather("temperature", { celsius: 23.5 }));
  station.measure(weather("humidity", { percent: 61 }));
  station.measure(weather("wind", { kmh: 18, direction: "NW" }));
  line(pc.dim("the log file now holds:"));
  for (const text of readFileSync(logPath, "utf8").trimEnd().split("\n")) line(pc.dim(`│ ${text}`));

  heading("2. The log path becomes a directory: every write fails, the console goes on");
  rmSync(logPath);
  mkdirSync(logPath); // appendFileSync on a directory: EISDIR (EPERM on some systems)
  station.measure(weather("temperature", { celsius: 24.1 }));
  station.measure(weather("wind", { kmh: 25, direction: "W" }));

  heading("3. The notifications are frozen: an observer cannot change them for the next one");
  station.readings.attach((reading) => {
    try {
      (reading.payload as { celsius?: number }).celsius = -40;
    } catch (error) {
      line(pc.yellow(`a meddling observer was stopped: ${(error as TypeError).message}`));
    }
  });
  station.measure(weather("temperature", { celsius: 24.4 }));
} finally {
  rmSync(folder, { recursive: true, force: true });
  console.log(pc.dim(`\n  (removed ${folder})`));
}
