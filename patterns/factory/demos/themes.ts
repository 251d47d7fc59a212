/**
 * Abstract factory: one login form rendered by the light, dark and a run-time family of widgets.
 *
 * Run it with `npm run demo themes`.
 */
import pc from "picocolors";
import {
  type Button,
  type Checkbox,
  darkWidgets,
  lightWidgets,
  renderLoginForm,
  themes,
  type WidgetFactory,
} from "../widgets";

const show = (title: string, form: string) => console.log(`\n${pc.bold(pc.cyan(title))}\n${form}`);

show("Light family", renderLoginForm(lightWidgets));
show("Dark family, remembered", renderLoginForm(darkWidgets, { remember: true }));

// A family written after the client: the client does not change.
const loud: WidgetFactory = {
  theme: "loud",
  createButton: (label): Button => ({
    theme: "loud",
    label,
    render: () => `>>> ${label.toUpperCase()} <<<`,
  }),
  createCheckbox(label, checked = false): Checkbox {
    return {
      theme: "loud",
      label,
      checked,
      toggled: () => loud.createCheckbox(label, !checked),
      render: () => `${checked ? "[YES]" : "[NO] "} ${label.toUpperCase()}`,
    };
  },
};
show("A family added later (no change to renderLoginForm)", renderLoginForm(loud));

// The settings say which family: the registry of families picks it, or says what exists.
for (const setting of ["dark", "Dark", "solarized"]) {
  try {
    const widgets = themes.create(setting as "dark");
    console.log(`\ntheme setting ${JSON.stringify(setting)} → the ${widgets.theme} family`);
  } catch (error) {
    console.log(
      `\ntheme setting ${JSON.stringify(setting)} → ${pc.red((error as Error).name)}: ${(error as Error).message}`,
    );
  }
}
console.log();
