// Mistake: an unknown theme quietly gets the light family. It looks friendly, but a typo in the
// settings ("drak") is never reported: the user just wonders why dark mode does not work.
// Caught by "throws an UnknownThemeError listing the themes, rather than falling back to one"
// and the "treats … as an unknown theme" tests.
import { darkWidgets, lightWidgets, type WidgetFactory } from "../widgets";

export * from "../widgets";

export function widgetsFor(theme: string): WidgetFactory {
  return theme === "dark" ? darkWidgets : lightWidgets;
}
