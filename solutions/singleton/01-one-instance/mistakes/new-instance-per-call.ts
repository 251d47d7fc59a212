// Mistake: getInstance() builds a fresh Config on every call, so callers never share state.
// Caught by "returns the same object on every call" and "shares state between every caller".
export class Config {
  readonly settings = new Map<string, string>();

  private constructor() {}

  static getInstance(): Config {
    return new Config();
  }
}
