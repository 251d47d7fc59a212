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

// TODO: make each family create new widgets of its own theme only.
/** The light family: every widget it makes is a light one. */
export const lightWidgets: WidgetFactory = {
  theme: "light",
  createButton(label) {
    throw new Error(`TODO(factory/04): lightWidgets.createButton(${JSON.stringify(label)})`);
  },
  createCheckbox(label, checked) {
    throw new Error(`TODO(factory/04): lightWidgets.createCheckbox(${label}, ${checked})`);
  },
};

/** The dark family: every widget it makes is a dark one. */
export const darkWidgets: WidgetFactory = {
  theme: "dark",
  createButton(label) {
    throw new Error(`TODO(factory/04): darkWidgets.createButton(${JSON.stringify(label)})`);
  },
  createCheckbox(label, checked) {
    throw new Error(`TODO(factory/04): darkWidgets.createCheckbox(${label}, ${checked})`);
  },
};

/** The family for a theme name from the user's settings, or an `UnknownThemeError`. */
export function widgetsFor(theme: string): WidgetFactory {
  // TODO: return lightWidgets or darkWidgets, or throw an UnknownThemeError.
  throw new Error(`TODO(factory/04): implement widgetsFor(${JSON.stringify(theme)})`);
}

/**
 * The client: a login form, one widget per line (an unticked "Remember me" checkbox, then a
 * "Sign in" button), built only through `widgets`.
 */
export function renderLoginForm(widgets: WidgetFactory): string {
  // TODO: ask `widgets` for the checkbox and the button, and join their renderings with "\n".
  throw new Error(`TODO(factory/04): implement renderLoginForm(${widgets.theme} widgets)`);
}
