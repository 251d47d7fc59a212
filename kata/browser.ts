/**
 * Launches Debian's Chromium (`apt-get install -y chromium`) through playwright-core, for the
 * browser tests (`*.e2e.ts`, `npm run test:e2e`). Nothing here downloads a browser: a missing
 * Chromium is a named error that says how to install it.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Debian puts Chromium; override with `CHROMIUM_PATH`. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export class BrowserMissingError extends Error {
  override name = "BrowserMissingError";
}

/** A headless Chromium with the flags this closed-network machine needs. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new BrowserMissingError(
      `No Chromium at ${chromiumPath}. Install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      // Without these, Chromium keeps dialling Google's hosts, which this network refuses.
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
