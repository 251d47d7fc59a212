// Approach: A class per family, as the Gang of Four draw it
//
// - Gains: `implements WidgetFactory` names the contract at the class, a family can hold state
//   and options (a density, a locale) set by its constructor, and `instanceof DarkWidgets` tells
//   which family a screen was given. Familiar to readers coming from Java or C#.
// - Costs: a class and `new` for what is, here, two functions and a name with no state: the
//   answer key's object literals, typed `WidgetFactory`, are checked just as strictly. Methods on
//   a class also lose `this` when passed around detached (these use none, so they are safe).

// The given code is the answer key's; what follows is this approach's own.
import type { Button, Checkbox, WidgetFactory } from "../widgets";
import {
  DarkButton,
  DarkCheckbox,
  LightButton,
  LightCheckbox,
  renderLoginForm,
  UnknownThemeError,
} from "../widgets";

export type { Button, Checkbox, WidgetFactory };
export { DarkButton, DarkCheckbox, LightButton, LightCheckbox, renderLoginForm, UnknownThemeError };

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
