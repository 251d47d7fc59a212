import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Button,
  type Checkbox,
  DarkButton,
  DarkCheckbox,
  darkWidgets,
  LightButton,
  LightCheckbox,
  lightWidgets,
  renderLoginForm,
  UnknownThemeError,
  type WidgetFactory,
  widgetsFor,
} from "./widgets";

/** Runs `act` and returns what it threw (the test fails if it throws nothing). */
function thrownBy(act: () => unknown): Error {
  try {
    act();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw, but the call returned normally");
}

describe("lightWidgets", () => {
  it("makes light buttons", () => {
    const button = lightWidgets.createButton("OK");

    expect(button).toBeInstanceOf(LightButton);
    expect(button.render()).toBe("[ OK ]");
  });

  it("makes light checkboxes, ticked or not", () => {
    const ticked = lightWidgets.createCheckbox("Remember me", true);
    const unticked = lightWidgets.createCheckbox("Remember me", false);

    expect(ticked).toBeInstanceOf(LightCheckbox);
    expect(ticked.render()).toBe("[x] Remember me");
    expect(unticked.render()).toBe("[ ] Remember me");
  });
});

describe("darkWidgets", () => {
  it("makes dark buttons", () => {
    const button = darkWidgets.createButton("OK");

    expect(button).toBeInstanceOf(DarkButton);
    expect(button.render()).toBe("< OK >");
  });

  it("makes dark checkboxes, ticked or not", () => {
    const ticked = darkWidgets.createCheckbox("Remember me", true);
    const unticked = darkWidgets.createCheckbox("Remember me", false);

    expect(ticked).toBeInstanceOf(DarkCheckbox);
    expect(ticked.render()).toBe("(*) Remember me");
    expect(unticked.render()).toBe("( ) Remember me");
  });
});

describe.each([
  ["lightWidgets", lightWidgets],
  ["darkWidgets", darkWidgets],
])("the family %s", (_name, widgets) => {
  it("makes every widget in its own theme, never one of another family", () => {
    expect(widgets.createButton("OK").theme).toBe(widgets.theme);
    expect(widgets.createCheckbox("Remember me", false).theme).toBe(widgets.theme);
  });

  it("makes a new button on every call, with the label it was given", () => {
    const first = widgets.createButton("OK");
    const second = widgets.createButton("OK");
    const other = widgets.createButton("Cancel");

    expect(second).not.toBe(first);
    expect(first.label).toBe("OK");
    expect(other.label).toBe("Cancel");
  });

  it("makes checkboxes with the label and the state they were given", () => {
    const ticked = widgets.createCheckbox("Subscribe", true);
    const unticked = widgets.createCheckbox("Remember me", false);

    expect(ticked).toMatchObject({ label: "Subscribe", checked: true, theme: widgets.theme });
    expect(unticked).toMatchObject({ label: "Remember me", checked: false, theme: widgets.theme });
  });

  it("makes a new widget on every call: ticking one checkbox leaves another alone", () => {
    const first = widgets.createCheckbox("Remember me", false);
    const second = widgets.createCheckbox("Remember me", false);

    first.toggle();

    expect(first.checked).toBe(true);
    expect(second.checked).toBe(false);
  });
});

describe("widgetsFor()", () => {
  it("returns the light family for 'light' and the dark family for 'dark'", () => {
    expect(widgetsFor("light")).toBe(lightWidgets);
    expect(widgetsFor("dark")).toBe(darkWidgets);
  });

  it("throws an UnknownThemeError listing the themes, rather than falling back to one", () => {
    const error = thrownBy(() => widgetsFor("solarized"));

    expect(error).toBeInstanceOf(UnknownThemeError);
    expect(error.name).toBe("UnknownThemeError");
    expect(error.message).toBe('Unknown theme "solarized". Known themes: light, dark.');
  });

  it("carries the theme asked for and the known themes, for code that handles it", () => {
    const error = thrownBy(() => widgetsFor("solarized")) as UnknownThemeError;

    expect(error.theme).toBe("solarized");
    expect(error.knownThemes).toEqual(["light", "dark"]);
  });

  it.each([
    "Dark",
    "LIGHT",
    "",
    " dark",
    "dark ",
    "light\n",
    "\tlight",
    "dar",
    "darkness",
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "valueOf",
  ])("treats %j as an unknown theme, and carries it as it was given", (theme) => {
    const error = thrownBy(() => widgetsFor(theme));

    expect(error).toBeInstanceOf(UnknownThemeError);
    expect((error as UnknownThemeError).theme).toBe(theme);
    expect((error as UnknownThemeError).knownThemes).toEqual(["light", "dark"]);
  });

  it("treats any name but exactly 'light' or 'dark' (look-alikes included) as unknown", () => {
    const lookalike = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc
        .tuple(
          fc.constantFrom("light", "dark"),
          fc.string({ minLength: 1, maxLength: 3 }),
          fc.boolean(),
        )
        .map(([theme, extra, before]) => (before ? extra + theme : theme + extra)),
      fc
        .tuple(fc.constantFrom("light", "dark"), fc.nat())
        .map(([theme, cut]) => theme.slice(0, cut % theme.length)),
      fc.constantFrom("light", "dark").map((theme) => theme[0]?.toUpperCase() + theme.slice(1)),
    );
    fc.assert(
      fc.property(lookalike, (theme) => {
        fc.pre(theme !== "light" && theme !== "dark");
        const error = thrownBy(() => widgetsFor(theme));

        expect(error).toBeInstanceOf(UnknownThemeError);
        expect((error as UnknownThemeError).theme).toBe(theme);
      }),
      { numRuns: 200 },
    );
  });
});

describe("renderLoginForm(), the client", () => {
  it("renders the form with the light family", () => {
    expect(renderLoginForm(lightWidgets)).toBe("[ ] Remember me\n[ Sign in ]");
  });

  it("renders the same form with the dark family, and not one light widget", () => {
    expect(renderLoginForm(darkWidgets)).toBe("( ) Remember me\n< Sign in >");
  });

  it("asks the family it is given for every widget, so a test double can stand in", () => {
    const calls: string[] = [];
    const fake: WidgetFactory = {
      theme: "fake",
      createButton(label): Button {
        calls.push(`button ${label}`);
        return { theme: "fake", label, render: () => `fake button ${label}` };
      },
      createCheckbox(label, checked): Checkbox {
        calls.push(`checkbox ${label} ${checked}`);
        return {
          theme: "fake",
          label,
          checked,
          toggle() {},
          render: () => `fake checkbox ${label}`,
        };
      },
    };

    const form = renderLoginForm(fake);

    expect(calls).toEqual(["checkbox Remember me false", "button Sign in"]);
    expect(form).toBe("fake checkbox Remember me\nfake button Sign in");
  });
});
