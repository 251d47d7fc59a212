/**
 * Helpers shared by the subject, the task monitor and the job queue. Internal: `index.ts` does
 * not re-export them.
 */

/** A short, readable name for an observer, task or handler in error messages. */
export function describeCallable(target: unknown): string {
  if (typeof target === "function") return target.name ? `"${target.name}"` : "(anonymous)";
  if (typeof target === "object" && target !== null) {
    const name = target.constructor?.name;
    return name && name !== "Object" ? `"${name}"` : "(object)";
  }
  return String(target);
}

/** Validates a count option: a whole number from `min` up, or Infinity when allowed. */
export function checkCount(name: string, value: number, min: number, infinite = false): number {
  if (infinite && value === Number.POSITIVE_INFINITY) return value;
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(
      `\`${name}\` must be a whole number of at least ${min}${infinite ? " (or Infinity)" : ""}, got ${String(value)}`,
    );
  }
  return value;
}

/** Validates a duration option: a finite number of milliseconds above zero. */
export function checkDuration(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`\`${name}\` must be a number of milliseconds above 0, got ${value}`);
  }
  return value;
}
