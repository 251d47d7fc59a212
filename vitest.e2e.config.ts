/**
 * End-to-end tests (`*.e2e.ts`): `npm run test:e2e`. The browser tests drive Debian's Chromium
 * through playwright-core (kata/browser.ts), the terminal tests tmux, the server tests real Redis
 * and Prometheus; the tooling's own end-to-end tests (kata/**) start whole runs of the kata's
 * runner, verify and watch mode on fixture workbooks, and try every attack on the runner. They
 * are kept out of `npm test`, which must run on any machine with just `npm install`, and out of
 * `npm run verify`, which proves the workbook and stays fast. CI installs what they need and runs
 * them before verify.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.e2e.ts"],
    exclude: ["**/node_modules/**", "site/**"],
    // Bounds on a true hang, never a race with the clock: these start processes, browsers and
    // servers, and CI machines may be busy.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time: each one already keeps both cores busy.
    fileParallelism: false,
  },
});
