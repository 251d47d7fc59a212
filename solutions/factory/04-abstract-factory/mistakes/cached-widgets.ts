// Mistake: the light family caches its checkboxes by label "to save allocations". Checkboxes
// have state, so two forms now share one "Remember me": ticking it on one ticks it on the other.
// Caught by "makes a new widget on every call: ticking one checkbox leaves another alone" (for
// lightWidgets).
import { type Checkbox, LightButton, LightCheckbox, type WidgetFactory } from "../widgets";

export * from "../widgets";

const made = new Map<string, Checkbox>();

export const lightWidgets: WidgetFactory = {
  theme: "light",
  createButton: (label) => new LightButton(label),
  createCheckbox(label, checked) {
    let checkbox = made.get(label);
    if (!checkbox) {
      checkbox = new LightCheckbox(label, checked);
      made.set(label, checkbox);
    }
    checkbox.checked = checked;
    return checkbox;
  },
};
