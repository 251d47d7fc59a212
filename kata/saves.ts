/**
 * The ways editors save a file, for the watch-mode tests (watch-pipes.e2e.ts, watch.e2e.ts): a watcher
 * must rerun the step after each of them, and keep hearing later saves.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The ways editors save a file. */
export const saves = {
  /** Truncate and write (most editors, `echo >`). */
  inPlace: (file: string, text: string) => writeFileSync(file, text),
  /** Write a new file beside it and rename it over the old one (`sed -i`, vim's backupcopy=no). */
  renameOver: (file: string, text: string) => {
    const temp = join(dirname(file), `.sed${process.pid}`);
    writeFileSync(temp, text);
    renameSync(temp, file);
  },
  /** JetBrains' "safe write": the new text in a temporary file, the old one moved aside, then swapped. */
  tempFile: (file: string, text: string) => {
    writeFileSync(`${file}___jb_tmp___`, text);
    renameSync(file, `${file}___jb_old___`);
    renameSync(`${file}___jb_tmp___`, file);
    rmSync(`${file}___jb_old___`);
  },
} as const;
