/**
 * Browser tests (`*.e2e.ts`): `npm run test:e2e`. They drive Debian's Chromium through
 * playwright-core (kata/browser.ts), so they are kept out of `npm test` and `npm run verify`,
 * which must run on any machine with just `npm ci`. CI installs Chromium and runs them.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.e2e.ts"],
    exclude: ["**/node_modules/**", "site/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    fileParallelism: false,
  },
});
