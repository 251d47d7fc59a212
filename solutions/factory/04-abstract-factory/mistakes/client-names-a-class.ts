// Mistake: the client takes a family but builds its button with `new LightButton(…)`, "because
// the button is the same everywhere". The client now depends on a concrete class: the dark form
// gets a light button, and no test double can replace it.
// Caught by "renders the same form with the dark family, and not one light widget" and "asks
// the family it is given for every widget, so a test double can stand in".
import { LightButton, type WidgetFactory } from "../widgets";

export * from "../widgets";

export function renderLoginForm(widgets: WidgetFactory): string {
  const remember = widgets.createCheckbox("Remember me", false);
  const signIn = new LightButton("Sign in");
  return [remember.render(), signIn.render()].join("\n");
}
