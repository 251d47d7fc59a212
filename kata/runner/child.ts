/**
 * The witness: vitest's test runner in every test process (the `runner` option), loaded before
 * any spec, setup file or student module. See ./index.ts for the design; in short, it
 *
 * - reads the run's secret from stdin (the parent writes it and closes the pipe at once) and
 *   keeps it in this closure, with every function it needs captured now, before student code
 *   could replace them;
 * - freezes the intrinsics and the assertion library an answer could patch to make a failing
 *   assertion pass (`Object.is`, `Promise.prototype.then`, chai's `Assertion.prototype`…);
 * - refuses Node's internals where no import names them (`process.getBuiltinModule` of the
 *   inspector, which could read the secret out of this closure; `process.binding`), and any
 *   signal to another process (the runner is this one's parent);
 * - wraps every test's function when the file is collected and records, by itself, whether
 *   that function returned or threw; vitest's own result (which student code in this process
 *   could rewrite) counts only when the witness agrees;
 * - reports on file descriptor 4, each line signed with an HMAC of the secret, and beats every
 *   100 ms from a real timer so that the parent can tell a blocked process from a slow one;
 * - fixes fast-check's seed, so that a property test gives the same verdict on every run: a
 *   grade, a fingerprint and a student's board never change between two runs of the same code.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as timers from "node:timers";
import * as util from "node:util";
import { type File, getFn, setFn, type Task, type Test } from "@vitest/runner";
import { configureGlobal } from "fast-check";
import { chai, TestRunner as VitestTestRunner } from "vitest";
import { NODE_INTERNALS } from "./reach";

/** What the witness says on its channel; the parent's side is ./pool.ts. */
export type WitnessMessage =
  | { readonly t: "beat" }
  | { readonly t: "file"; readonly file: string }
  | { readonly t: "collected"; readonly file: string; readonly tests: readonly string[] }
  | { readonly t: "test"; readonly file: string; readonly id: string }
  | { readonly t: "verdict"; readonly id: string; readonly ok: boolean; readonly error?: string };

export const CHANNEL_FD = 4;

// Everything the witness calls later, captured before any student module loads. (A builtin's
// exports are live bindings: `syncBuiltinESMExports()` would point them at a replacement.)
const { createHmac } = crypto;
const { readSync, writeSync } = fs;
const { setInterval } = timers;
const apply = Reflect.apply;
const { freeze, getPrototypeOf, getOwnPropertySymbols } = Object;
const stringify = JSON.stringify;
const isPromise = util.types.isPromise;
const then = Promise.prototype.then;
const hmacProbe = createHmac("sha256", "probe");
const hmacPrototype = getPrototypeOf(hmacProbe) as {
  update: (data: string) => unknown;
  digest: (encoding: "hex") => string;
};
const { update, digest } = hmacPrototype;
const errorText = (error: unknown): string => {
  try {
    if (error && typeof error === "object" && "message" in error) {
      const { name, message } = error as { name?: unknown; message?: unknown };
      return `${String(name ?? "Error")}: ${String(message)}`.slice(0, 2000);
    }
    return String(error).slice(0, 2000);
  } catch {
    return "an error that cannot be described";
  }
};

function readSecret(): string {
  const buffer = Buffer.alloc(128);
  let text = "";
  for (;;) {
    let count: number;
    try {
      count = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      return "";
    }
    if (count === 0) return text;
    text += buffer.toString("utf8", 0, count);
  }
}

const secret = process.env.KATA_WITNESS === "1" ? readSecret().trim() : "";
let sequence = 0;

function send(message: WitnessMessage): void {
  if (!secret) return;
  const body = stringify(message);
  sequence++;
  const mac = createHmac("sha256", secret);
  apply(update, mac, [`${sequence}\n${body}`]);
  const line = `${apply(digest, mac, ["hex"])} ${sequence} ${body}\n`;
  for (let written = 0; written < line.length; ) {
    try {
      written += writeSync(CHANNEL_FD, line.slice(written));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return;
    }
  }
}

if (secret) setInterval(() => send({ t: "beat" }), 100).unref();

/**
 * fast-check's settings for every property test: a fixed seed (fast-check draws a new one per
 * run otherwise) and nothing else, so that a spec's own parameters still apply. Student modules
 * may not import fast-check (./guard.ts), so nothing else changes them.
 */
const PROPERTY_SETTINGS = Object.freeze({ seed: 0x6b617461 });
configureGlobal(PROPERTY_SETTINGS);

const { defineProperty, getOwnPropertyDescriptors } = Object;
const ownKeys = Reflect.ownKeys;

/**
 * Freezes a prototype, keeping assignment to an instance working: `Clock.toString = f` must
 * still give `Clock` its own `toString` (fake timers do that), where a frozen data property on
 * the prototype would make the assignment throw ("the override mistake"). Each data property
 * becomes an accessor whose setter defines the property on the instance, as SES does.
 */
function freezePrototype(proto: object): void {
  const descriptors = getOwnPropertyDescriptors(proto) as Record<PropertyKey, PropertyDescriptor>;
  for (const key of ownKeys(descriptors)) {
    const descriptor = descriptors[key as string];
    if (!descriptor || !("value" in descriptor) || !descriptor.configurable) continue;
    const value = descriptor.value;
    defineProperty(proto, key, {
      get: () => value,
      set(this: object, next: unknown) {
        if (this === proto)
          throw new TypeError(`Cannot assign to read only property '${String(key)}'`);
        defineProperty(this, key, {
          value: next,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      },
      enumerable: descriptor.enumerable ?? false,
      configurable: false,
    });
  }
  freeze(proto);
}

/** Freezes what an answer could patch to turn a failing assertion into a passing one. */
function freezeWhatAssertionsTrust(): void {
  // The HMAC's own prototypes: patched, they could leak the secret.
  freeze(hmacPrototype);
  for (const symbol of getOwnPropertySymbols(hmacProbe)) {
    const handle = (hmacProbe as unknown as Record<symbol, unknown>)[symbol];
    if (handle && typeof handle === "object") freeze(getPrototypeOf(handle));
  }
  // Not Error.prototype (subclasses assign `this.name`) nor the globals fake timers replace.
  for (const proto of [
    Object.prototype,
    Function.prototype,
    Array.prototype,
    Promise.prototype,
    Map.prototype,
    Set.prototype,
    WeakMap.prototype,
    WeakSet.prototype,
    String.prototype,
    Number.prototype,
    Boolean.prototype,
    RegExp.prototype,
    Date.prototype,
  ]) {
    freezePrototype(proto);
  }
  for (const value of [Object, Array, Promise, Reflect, JSON, Math, Number, String, Symbol]) {
    freeze(value);
  }
  // The assertion library: chai's Assertion, whose prototype carries every matcher, and the
  // registries `expect.extend` and `expect.addEqualityTesters` write to.
  const assertion = chai.Assertion as unknown as { prototype: object };
  freezePrototype(assertion.prototype);
  freeze(assertion);
  freeze(chai.util);
  const jest = (globalThis as Record<symbol, unknown>)[Symbol.for("$$jest-matchers-object")] as
    | { matchers?: object; customEqualityTesters?: object }
    | undefined;
  if (jest?.matchers) freeze(jest.matchers);
  if (jest?.customEqualityTesters) freeze(jest.customEqualityTesters);
}

let closed = false;

/**
 * The ways into Node's internals that need no import, closed before any student module loads:
 * `process.getBuiltinModule` refuses the modules the guard refuses to import, and the internal
 * bindings and native addons are refused outright. Each stays closed (not writable, not
 * configurable).
 */
function closeBackDoors(): void {
  if (closed) return;
  closed = true;
  const refused = (what: string) =>
    new Error(`Tampering: ${what} is refused in a test process (it reaches into the runner).`);
  const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown })
    .getBuiltinModule;
  const close = (name: string, value: unknown) =>
    defineProperty(process, name, { value, writable: false, configurable: false });
  if (typeof getBuiltinModule === "function") {
    close("getBuiltinModule", (id: string) => {
      if (NODE_INTERNALS.test(String(id))) throw refused(`process.getBuiltinModule("${id}")`);
      return apply(getBuiltinModule, process, [id]);
    });
  }
  for (const name of ["binding", "_linkedBinding", "dlopen"]) {
    close(name, () => {
      throw refused(`process.${name}()`);
    });
  }
  // A signal to the runner (`process.kill(process.ppid)`) would end it, board and all. A test
  // process may still signal itself: the runner reports what that does.
  const self = process.pid;
  for (const name of ["kill", "_kill"] as const) {
    const original = process[name as "kill"];
    close(name, (pid: number, signal?: string | number) => {
      if (pid !== self) throw refused(`process.${name}(${String(pid)})`);
      return apply(original, process, [pid, signal]);
    });
  }
}

function eachTest(task: Task, visit: (test: Test) => void): void {
  if (task.type === "test") visit(task);
  else if ("tasks" in task) for (const child of task.tasks) eachTest(child, visit);
}

/** Wraps a test's function so that the witness sees, by itself, whether it returned or threw. */
function witness(test: Test): void {
  const fn = getFn(test);
  const id = test.id;
  // `it.fails` passes when its function throws.
  const expected = test.fails !== true;
  const verdict = (returned: boolean, error?: unknown) =>
    send(
      returned === expected
        ? { t: "verdict", id, ok: true }
        : { t: "verdict", id, ok: false, error: returned ? "it did not fail" : errorText(error) },
    );
  setFn(test, function (this: unknown, ...args: unknown[]) {
    let result: unknown;
    try {
      result = apply(fn, this, args);
    } catch (error) {
      verdict(false, error);
      throw error;
    }
    if (!isPromise(result)) {
      verdict(true);
      return result as undefined;
    }
    return apply(then, result, [
      (value: unknown) => {
        verdict(true);
        return value;
      },
      (error: unknown) => {
        verdict(false, error);
        throw error;
      },
    ]) as Promise<void>;
  });
}

export default class WitnessRunner extends VitestTestRunner {
  override onCollectStart(file: File): void {
    send({ t: "file", file: file.filepath });
    // The reference's and the tooling's own specs (verify) are ours, and drive whole toolchains.
    if (secret && this.config.name !== "reference") {
      freezeWhatAssertionsTrust();
      closeBackDoors();
    }
    super.onCollectStart(file);
  }

  /** After a file's import (the student's module with it): wrap every test it declared. */
  onCollected(files: File[]): void {
    for (const file of files) {
      const tests: string[] = [];
      eachTest(file, (test) => {
        tests.push(test.id);
        witness(test);
      });
      send({ t: "collected", file: file.filepath, tests });
    }
  }

  override onBeforeRunTask(test: Task): Promise<void> {
    send({ t: "test", file: test.file.filepath, id: test.id });
    return super.onBeforeRunTask(test);
  }
}
