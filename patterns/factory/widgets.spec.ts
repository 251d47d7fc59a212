import { describe, expect, it } from "vitest";
import { UnknownKindError } from "./errors";
import {
  type Button,
  type Checkbox,
  darkWidgets,
  lightWidgets,
  renderLoginForm,
  themes,
  type WidgetFactory,
} from "./widgets";

describe.each([
  ["light", lightWidgets, "[ OK ]", "[x] Remember me", "[ ] Remember me"],
  ["dark", darkWidgets, "< OK >", "(*) Remember me", "( ) Remember me"],
])("the %s family", (theme, widgets, button, ticked, unticked) => {
  it("renders its own widgets", () => {
    expect(widgets.createButton("OK").render()).toBe(button);
    expect(widgets.createCheckbox("Remember me", true).render()).toBe(ticked);
    expect(widgets.createCheckbox("Remember me", false).render()).toBe(unticked);
  });

  it("marks every widget it makes with its theme", () => {
    expect(widgets.theme).toBe(theme);
    expect(widgets.createButton("OK").theme).toBe(theme);
    expect(widgets.createCheckbox("Remember me").theme).toBe(theme);
  });

  it("makes unticked checkboxes by default", () => {
    expect(widgets.createCheckbox("Remember me").checked).toBe(false);
  });

  it("makes frozen widgets; toggled() returns a new checkbox of the same family", () => {
    const checkbox = widgets.createCheckbox("Remember me");

    const toggled = checkbox.toggled();

    expect(Object.isFrozen(checkbox)).toBe(true);
    expect(checkbox.checked).toBe(false);
    expect(toggled.checked).toBe(true);
    expect(toggled.theme).toBe(theme);
    expect(toggled.render()).toBe(ticked);
  });

  it("is itself frozen", () => {
    expect(Object.isFrozen(widgets)).toBe(true);
  });

  it.each(["", "   ", undefined])(
    "rejects the label %j with a TypeError naming `label`",
    (label) => {
      expect(() => widgets.createButton(label as string)).toThrow(TypeError);
      expect(() => widgets.createCheckbox(label as string)).toThrow("`label`");
    },
  );
});

describe("themes, the registry of families", () => {
  it("returns the family for each theme name", () => {
    expect(themes.create("light")).toBe(lightWidgets);
    expect(themes.create("dark")).toBe(darkWidgets);
  });

  it("throws an UnknownKindError listing the themes, and suggests a near miss", () => {
    expect(() => themes.create("Dark" as "dark")).toThrow(
      'Unknown theme kind "Dark". Known kinds: light, dark. Did you mean "dark"?',
    );
    expect(() => themes.create("solarized" as "dark")).toThrow(UnknownKindError);
  });
});

describe("renderLoginForm(), the client", () => {
  it("renders in the family it is given", () => {
    expect(renderLoginForm(lightWidgets)).toBe("[ ] Remember me\n[ Sign in ]");
    expect(renderLoginForm(darkWidgets, { remember: true })).toBe("(*) Remember me\n< Sign in >");
  });

  it("asks only the given family for widgets, so a test double can stand in", () => {
    const asked: string[] = [];
    const fake: WidgetFactory = {
      theme: "fake",
      createButton(label): Button {
        asked.push(`button ${label}`);
        return { theme: "fake", label, render: () => `<fake ${label}>` };
      },
      createCheckbox(label, checked = false): Checkbox {
        asked.push(`checkbox ${label} ${checked}`);
        const checkbox: Checkbox = {
          theme: "fake",
          label,
          checked,
          toggled: () => checkbox,
          render: () => `<fake ${label}>`,
        };
        return checkbox;
      },
    };

    expect(renderLoginForm(fake)).toBe("<fake Remember me>\n<fake Sign in>");
    expect(asked).toEqual(["checkbox Remember me false", "button Sign in"]);
  });
});
