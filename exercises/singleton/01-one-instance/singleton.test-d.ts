import { describe, expectTypeOf, it } from "vitest";
import { Config } from "./singleton";

describe("the Config type", () => {
  it("cannot be constructed with new outside the class", () => {
    // @ts-expect-error the constructor is private: the only way in is Config.getInstance()
    const second = new Config();
    expectTypeOf(second).toEqualTypeOf<Config>();
  });

  it("cannot be subclassed into a second way to make one", () => {
    // @ts-expect-error a private constructor also forbids `extends` (a protected one does not)
    class Copy extends Config {}
    expectTypeOf(Copy).toExtend<typeof Config>();
  });
});
