import { describe, expectTypeOf, it } from "vitest";
import { Config } from "./singleton";

describe("the Config type", () => {
  it("cannot be constructed outside the class", () => {
    // @ts-expect-error the constructor is private: the only way in is getInstance()
    new Config();
  });

  it("types getInstance() as returning Config", () => {
    expectTypeOf(Config.getInstance).returns.toEqualTypeOf<Config>();
  });
});
