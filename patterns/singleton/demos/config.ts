/**
 * Configuration manager: the source's Python `__new__` singleton, ported, then done the JS way.
 *
 * `npm run demo config`. Two versions of one idea: a class that hands out its one instance, and
 * a module that keeps a lazily built value (the idiomatic singleton in JavaScript, since a module
 * is evaluated once and shared by every importer). Both stop by themselves.
 */
import pc from "picocolors";
import { lazy } from "../lazy";

const heading = (text: string) => console.log(`\n${pc.bold(pc.cyan(text))}`);
const line = (text: string) => console.log(`  ${text}`);

// #region classic
/** The classic form: a private constructor and a static accessor. */
class AppConfig {
  static #instance: AppConfig | undefined;
  readonly #settings = new Map<string, string>();

  // Private: `new AppConfig()` anywhere else is a compile error, so getInstance() is the only way.
  private constructor() {}

  static getInstance(): AppConfig {
    AppConfig.#instance ??= new AppConfig();
    return AppConfig.#instance;
  }

  get(key: string): string | undefined {
    return this.#settings.get(key);
  }

  set(key: string, value: string): void {
    this.#settings.set(key, value);
  }
}
// #endregion classic

heading("1. The source's singleton, as a class");
const header = AppConfig.getInstance();
header.set("theme", "dark");
const footer = AppConfig.getInstance();
line(`header and footer hold the same object: ${header === footer}`);
line(`the footer sees the header's theme: ${footer.get("theme")}`);
line(
  pc.dim("In Python, `Singleton()` calls __new__ (returns the one instance) and then __init__,"),
);
line(
  pc.dim(
    "which runs again on every call and would wipe the settings: keep set-up out of __init__.",
  ),
);

// #region module
// config.ts: the module is the singleton. Importing it builds nothing; the first getConfig()
// reads the environment, after the application (or a test) has had a chance to set it.
type Settings = ReadonlyMap<string, string>;

let reads = 0;
function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  reads++;
  const settings = new Map([["theme", "light"]]);
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith("APP_") && value !== undefined) {
      settings.set(name.slice(4).toLowerCase(), value);
    }
  }
  return settings;
}

const config = lazy(() => loadSettings(process.env), { name: "config" });

export const getConfig = (): Settings => config.get();
/** For tests only: the next getConfig() reads the environment again. */
export const resetConfigForTests = (): void => config.reset();
// #endregion module

heading("2. The JavaScript way: a module-level lazy value");
line(`after "import": environment read ${reads} times`);
process.env.APP_THEME = "solarized";
line(`the first getConfig() reads it: theme = ${getConfig().get("theme")} (reads: ${reads})`);
const [again, andAgain] = [getConfig(), getConfig()];
line(`every later call shares it: same object = ${again === andAgain} (reads: ${reads})`);
process.env.APP_THEME = "high-contrast";
line(`a later change is not seen (a snapshot): theme = ${getConfig().get("theme")}`);
resetConfigForTests();
line(`after resetConfigForTests(): theme = ${getConfig().get("theme")} (reads: ${reads})`);
delete process.env.APP_THEME;

heading("3. What that costs");
line("Every importer of getConfig() depends on hidden global state: a test that changes it must");
line("reset it, and two tests cannot hold two configurations at once. Pass the settings in");
line(
  `where you can (${pc.bold("npm run demo pool")} shows an async singleton; the lesson shows a container).`,
);
console.log();
