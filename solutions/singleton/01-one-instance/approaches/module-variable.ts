// Approach: The instance in a module variable, not a static field
//
// - Gains: the instance is out of the class's shape altogether: no static member to see in
//   editors, reflect on or reset by accident; the module is the unit of privacy, as in step 2.
// - Costs: the class no longer tells the whole story: a reader finds its one instance outside
//   it. The private constructor still keeps `new Config()` inside this file, so only code in this
//   module could make a second one.

let instance: Config | undefined;

/**
 * The application's one configuration object: every module reads and writes the same settings.
 * `Config.getInstance()` returns the same `Config` on every call; `new Config()` and subclasses
 * outside the class do not compile.
 */
export class Config {
  readonly #settings = new Map<string, string>([["theme", "light"]]);

  private constructor() {}

  /** The value of a setting, or `undefined` if it was never set. */
  get(key: string): string | undefined {
    return this.#settings.get(key);
  }

  /** Changes a setting for every holder of the one Config. */
  set(key: string, value: string): void {
    this.#settings.set(key, value);
  }

  static getInstance(): Config {
    // Code inside the class body may call the private constructor, even to fill a module variable.
    instance ??= new Config();
    return instance;
  }
}
