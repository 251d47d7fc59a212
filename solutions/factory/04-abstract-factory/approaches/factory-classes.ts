// Approach: A class per family, as the Gang of Four draw it
//
// - Gains: `implements WidgetFactory` names the contract at the class, a family can hold state
//   and options (a density, a locale) set by its constructor, and `instanceof DarkWidgets` tells
//   which family a screen was given. Familiar to readers coming from Java or C#.
// - Costs: a class and `new` for what is, here, two functions and a name with no state: the
//   answer key's object literals, typed `WidgetFactory`, are checked just as strictly. Methods on
//   a class also lose `this` when passed around detached (these use none, so they are safe).

/** A push button. */
export interface Button {
  readonly theme: string;
  readonly label: string;
  render(): string;
}

/** A checkbox with its label; each one is ticked on its own. */
export interface Checkbox {
  readonly theme: string;
  readonly label: string;
  checked: boolean;
  toggle(): void;
  render(): string;
}

/**
 * The abstract factory: one method per product of a family. Code that builds a screen takes a
 * `WidgetFactory` and never names a concrete widget class, so every widget it gets matches.
 */
export interface WidgetFactory {
  readonly theme: string;
  createButton(label: string): Button;
  createCheckbox(label: string, checked: boolean): Checkbox;
}

export class LightButton implements Button {
  readonly theme = "light";
  constructor(readonly label: string) {}
  render(): string {
    return `[ ${this.label} ]`;
  }
}

export class LightCheckbox implements Checkbox {
  readonly theme = "light";
  constructor(
    readonly label: string,
    public checked: boolean,
  ) {}
  toggle(): void {
    this.checked = !this.checked;
  }
  render(): string {
    return `[${this.checked ? "x" : " "}] ${this.label}`;
  }
}

export class DarkButton implements Button {
  readonly theme = "dark";
  constructor(readonly label: string) {}
  render(): string {
    return `< ${this.label} >`;
  }
}

export class DarkCheckbox implements Checkbox {
  readonly theme = "dark";
  constructor(
    readonly label: string,
    public checked: boolean,
  ) {}
  toggle(): void {
    this.checked = !this.checked;
  }
  render(): string {
    return `(${this.checked ? "*" : " "}) ${this.label}`;
  }
}

/** Thrown by `widgetsFor()` for a theme it does not know; lists the themes it does. */
export class UnknownThemeError extends Error {
  override readonly name = "UnknownThemeError";

  constructor(
    readonly theme: string,
    readonly knownThemes: readonly string[],
  ) {
    super(`Unknown theme ${JSON.stringify(theme)}. Known themes: ${knownThemes.join(", ")}.`);
  }
}

/** The light family: every widget it makes is a light one. */
export class LightWidgets implements WidgetFactory {
  readonly theme = "light";
  createButton(label: string): Button {
    return new LightButton(label);
  }
  createCheckbox(label: string, checked: boolean): Checkbox {
    return new LightCheckbox(label, checked);
  }
}

/** The dark family: every widget it makes is a dark one. */
export class DarkWidgets implements WidgetFactory {
  readonly theme = "dark";
  createButton(label: string): Button {
    return new DarkButton(label);
  }
  createCheckbox(label: string, checked: boolean): Checkbox {
    return new DarkCheckbox(label, checked);
  }
}

/** The one light family the application uses. */
export const lightWidgets: WidgetFactory = new LightWidgets();

/** The one dark family the application uses. */
export const darkWidgets: WidgetFactory = new DarkWidgets();

// A Map, so that only these two names are themes ("constructor" is not), in this order.
const families = new Map<string, WidgetFactory>([
  ["light", lightWidgets],
  ["dark", darkWidgets],
]);

/** The family for a theme name from the user's settings, or an `UnknownThemeError`. */
export function widgetsFor(theme: string): WidgetFactory {
  const widgets = families.get(theme);
  // No silent fallback: a typo in the settings should be reported, not shown as the light theme.
  if (!widgets) throw new UnknownThemeError(theme, [...families.keys()]);
  return widgets;
}

/**
 * The client: a login form, one widget per line (an unticked "Remember me" checkbox, then a
 * "Sign in" button), built only through `widgets`.
 */
export function renderLoginForm(widgets: WidgetFactory): string {
  // No widget class is named here: the family decides, so the form matches whatever it is given.
  const remember = widgets.createCheckbox("Remember me", false);
  const signIn = widgets.createButton("Sign in");
  return [remember.render(), signIn.render()].join("\n");
}
