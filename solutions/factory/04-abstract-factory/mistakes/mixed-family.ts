// Mistake: a copy-paste slip in the dark family: its checkbox is a LightCheckbox. A dark screen
// shows one light checkbox, the very inconsistency an abstract factory exists to rule out.
// Caught by "makes dark checkboxes, ticked or not", "makes every widget in its own theme, never
// one of another family" (for darkWidgets) and "renders the same form with the dark family".
import { DarkButton, LightCheckbox, type WidgetFactory } from "../widgets";

export * from "../widgets";

export const darkWidgets: WidgetFactory = {
  theme: "dark",
  createButton: (label) => new DarkButton(label),
  createCheckbox: (label, checked) => new LightCheckbox(label, checked),
};
