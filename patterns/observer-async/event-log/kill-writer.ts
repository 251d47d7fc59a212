/**
 * The writer the kill test runs in a child process: `node --import tsx kill-writer.ts <path>`.
 * Appends `{ n: 0 }`, `{ n: 1 }`, … with fsync "always", one at a time, and prints
 * `<offset> <n>` once each append has resolved (is on disk), until it is killed.
 */
import { FileLog } from "./file-log";

const path = process.argv[2];
if (!path) throw new Error("usage: kill-writer.ts <log path>");
const log = await FileLog.open<{ n: number }>(path, { fsync: "always" });
for (let n = 0; ; n++) {
  const offset = await log.append({ n });
  process.stdout.write(`${offset} ${n}\n`);
}
