// Mistake: the dark family hands out one button per label, "since a button has no state to
// share". But a factory's promise is a new product per call: a screen that changes or removes
// its button (a disabled look, an event handler, a place in a layout) changes every other
// screen's, and identity checks (`a !== b`) break.
// Caught by "makes a new button on every call, with the label it was given" (for darkWidgets).
// Hint: "stateless today" is not a licence to share: caching is a different pattern.
import { DarkButton, DarkCheckbox, type WidgetFactory } from "../widgets";

export * from "../widgets";

const buttons = new Map<string, DarkButton>();

export const darkWidgets: WidgetFactory = {
  theme: "dark",
  createButton(label) {
    let button = buttons.get(label);
    if (button === undefined) {
      button = new DarkButton(label);
      buttons.set(label, button);
    }
    return button;
  },
  createCheckbox: (label, checked) => new DarkCheckbox(label, checked),
};
