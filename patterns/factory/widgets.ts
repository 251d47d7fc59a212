/**
 * An abstract factory: families of UI widgets (light, dark) that belong together. Screens are
 * built from a {@link WidgetFactory} they are given, so every widget on one screen matches, a new
 * family needs no change to any screen, and a test can hand in a fake family.
 *
 * @module
 */

import { badArgument } from "../describe";
import { createFactory } from "./factory";

/**
 * A push button. Immutable: a different label is a different button.
 *
 * @example
 * ```ts
 * darkWidgets.createButton("Sign in").render(); // "< Sign in >"
 * ```
 */
export interface Button {
  readonly theme: string;
  readonly label: string;
  /** The button as text, in its family's style. */
  render(): string;
}

/**
 * A checkbox with its label. Immutable: `toggled()` returns a new checkbox of the same family.
 *
 * @example
 * ```ts
 * const remember = lightWidgets.createCheckbox("Remember me");
 * remember.toggled().render(); // "[x] Remember me"
 * ```
 */
export interface Checkbox {
  readonly theme: string;
  readonly label: string;
  readonly checked: boolean;
  /** A new checkbox of the same family and label, ticked the other way. */
  toggled(): Checkbox;
  /** The checkbox and its label as text, in its family's style. */
  render(): string;
}

// #region abstract-factory
/**
 * The abstract factory: one creation method per product of a family. Code that builds a screen
 * takes one of these and never names a widget class.
 *
 * @example
 * ```ts
 * function toolbar(widgets: WidgetFactory): string {
 *   return [widgets.createButton("Save"), widgets.createButton("Undo")]
 *     .map((button) => button.render())
 *     .join(" ");
 * }
 * ```
 */
export interface WidgetFactory {
  /** The family's name; every widget it makes carries it. */
  readonly theme: string;
  /** @throws {TypeError} naming `label` unless it is a non-empty string. */
  createButton(label: string): Button;
  /** @throws {TypeError} naming `label` unless it is a non-empty string. */
  createCheckbox(label: string, checked?: boolean): Checkbox;
}
// #endregion abstract-factory

function checkLabel(label: unknown): string {
  if (typeof label !== "string" || label.trim() === "") {
    throw badArgument("label", "a non-empty string", label);
  }
  return label;
}

/**
 * One family's look: how its button and its checkbox render. A family is a style plus the
 * classes below; the styles are data so that the two families cannot drift apart in behaviour.
 */
interface Style {
  readonly theme: string;
  button(label: string): string;
  checkbox(label: string, checked: boolean): string;
}

class StyledButton implements Button {
  readonly theme: string;
  readonly label: string;
  readonly #style: Style;

  constructor(style: Style, label: string) {
    this.#style = style;
    this.theme = style.theme;
    this.label = checkLabel(label);
    Object.freeze(this);
  }

  render(): string {
    return this.#style.button(this.label);
  }
}

class StyledCheckbox implements Checkbox {
  readonly theme: string;
  readonly label: string;
  readonly checked: boolean;
  readonly #style: Style;

  constructor(style: Style, label: string, checked: boolean) {
    this.#style = style;
    this.theme = style.theme;
    this.label = checkLabel(label);
    this.checked = checked;
    Object.freeze(this);
  }

  toggled(): Checkbox {
    // Same style, so a toggled checkbox never changes family.
    return new StyledCheckbox(this.#style, this.label, !this.checked);
  }

  render(): string {
    return this.#style.checkbox(this.label, this.checked);
  }
}

// #region families
/** A concrete factory: every product it makes is built with `style`, and only with it. */
function family(style: Style): WidgetFactory {
  return Object.freeze({
    theme: style.theme,
    createButton: (label: string) => new StyledButton(style, label),
    createCheckbox: (label: string, checked = false) => new StyledCheckbox(style, label, checked),
  });
}

/**
 * The light family: `[ OK ]` and `[x] Remember me`.
 *
 * @example
 * ```ts
 * lightWidgets.createButton("OK").render(); // "[ OK ]"
 * ```
 */
export const lightWidgets: WidgetFactory = family({
  theme: "light",
  button: (label) => `[ ${label} ]`,
  checkbox: (label, checked) => `[${checked ? "x" : " "}] ${label}`,
});

/**
 * The dark family: `< OK >` and `(*) Remember me`.
 *
 * @example
 * ```ts
 * darkWidgets.createCheckbox("Remember me", true).render(); // "(*) Remember me"
 * ```
 */
export const darkWidgets: WidgetFactory = family({
  theme: "dark",
  button: (label) => `< ${label} >`,
  checkbox: (label, checked) => `(${checked ? "*" : " "}) ${label}`,
});

/**
 * The families by theme name: a registry factory of factories. A family is stateless, so each
 * name hands out the same one (the Gang of Four note that a concrete factory is usually a
 * singleton). Like `customElements`, it is shared by every importer: register an app's own
 * families once at start-up, and undo a test's registrations (`using`). An unknown name is an
 * `UnknownKindError`.
 *
 * @example
 * ```ts
 * const widgets = themes.create(settings.theme as "light" | "dark"); // a WidgetFactory
 * themes.create("solarized" as never); // UnknownKindError: Unknown theme kind "solarized". …
 * ```
 */
export const themes = createFactory("theme", {
  /** The {@link lightWidgets} family. */
  light: (): WidgetFactory => lightWidgets,
  /** The {@link darkWidgets} family. */
  dark: (): WidgetFactory => darkWidgets,
});
// #endregion families

// #region client
/**
 * The client: a login form, one widget per line. It names no widget class, so it renders in
 * whatever family it is given, including one written after it, or a test double.
 *
 * @example
 * ```ts
 * renderLoginForm(darkWidgets); // "( ) Remember me\n< Sign in >"
 * ```
 */
export function renderLoginForm(
  widgets: WidgetFactory,
  options: { readonly remember?: boolean } = {},
): string {
  const remember = widgets.createCheckbox("Remember me", options.remember ?? false);
  const signIn = widgets.createButton("Sign in");
  return [remember.render(), signIn.render()].join("\n");
}
// #endregion client
