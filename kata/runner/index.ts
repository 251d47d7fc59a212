/**
 * The kata's one runner: `npm test`, watch mode and grading (through kata/session.ts) and verify
 * (through kata/run.ts's `runSpecs`) all run specs here.
 *
 * ## Why child processes
 *
 * Student code used to run in worker threads of the runner's own process. A thread cannot be
 * protected from the process it lives in: `process.kill(process.pid)` took the board down, a
 * never-settling top-level await hung it for ever, and with `isolate: false` one stub's patch of
 * the assertion library added passing tests to other steps. Now every spec file runs in a child
 * process (vitest's fork worker, started by ./pool.ts in a process group of its own), a fresh
 * one per file for the student's work. The runner kills a child's whole group when it stops
 * beating for longer than the hang limit (a busy loop), when loading a spec takes longer than
 * the loading limit (a top-level await that never settles), or after the wall-clock limit. A
 * crash, an exit or a kill fails only that file's unfinished tests, with a plain reason; the
 * runner goes on. On Linux, a process that runs a student's code may write to at most 1 GiB of
 * memory (RLIMIT_DATA, ./pool.ts): one that hoards more fails the same way, before the machine
 * swaps. Where processes are shared (`npm test`), every other file left unfinished runs
 * again in a process of its own, whatever ended the process or the task (a "done" forged on
 * vitest's channel included). vitest itself (resolving and transforming modules) stays in the runner's
 * process, where no student code runs. The compiler (type-level specs, compile errors) has its
 * own process too (./compiler.ts), so that a pathological type cannot hang the runner either.
 *
 * ## How verdicts are authenticated
 *
 * Anything in the child can lie about results: a stub can register an `afterEach` that rewrites
 * them, patch `Object.prototype.then`, `Promise`, `Object.is`, chai, stdout or vitest's reporter.
 * So a test passes only when two independent accounts agree:
 *
 * 1. vitest's own result, as the parent's vitest receives it;
 * 2. the witness's (./child.ts): vitest's runner class in the child, loaded before any spec or
 *    student module. It reads a per-process secret from stdin (written by the parent and the
 *    pipe closed at once: not in argv or the environment, which /proc shows), keeps it in a
 *    closure with every function it needs captured, freezes the intrinsics and the assertion
 *    library that assertions rely on, closes the ways into Node's internals that need no import
 *    (`process.getBuiltinModule` of the inspector and its kin, `process.binding`), wraps each
 *    test's function when its file is collected, and reports whether that function returned or
 *    threw on file descriptor 4, every line signed with an HMAC of the secret and numbered.
 *
 * A test vitest calls passed but the witness saw fail is a "Tampering" verdict; one the witness
 * never confirmed is "No verdict"; an unsigned or out-of-order line on the channel fails the
 * whole file as tampering. Before anything runs, the compiler's process refuses a student module
 * that imports the test framework, the assertion library, the kata's tooling, an answer key, or
 * Node's inspector/vm/worker/child-process modules, that names a source map, or that computes
 * what it imports (./guard.ts, compile.ts): a named tampering verdict is the step's result. The
 * same list is enforced again when modules are resolved and loaded, for what escapes the static
 * check.
 *
 * ## What the student cannot forge, and what remains possible
 *
 * They cannot turn a failing assertion into a pass by patching results, hooks, the reporter,
 * stdout, the intrinsics or chai's matchers (frozen: the patch throws); they cannot sign a line
 * without the secret; one step's patches die with its process. What remains: code in the child
 * runs with the student's own rights, so it can read its own memory and its parent's
 * (/proc/<pid>/mem: same user, even in grading's sandbox) to find a secret, though a forged line
 * must also carry the exact next number or the whole file fails as tampering; it can read and
 * write files, or reach internals this list does not name (`process.kill` of another process is
 * refused, but not every way to a signal); it can also make a spec vacuous by satisfying it in a
 * way no test anticipated. Those are for grading's sandbox (bubblewrap, no network, a read-only
 * view of everything but a private /tmp) and for the specs, not for the runner. Freezing is not
 * applied to the reference's and the tooling's own specs, which are ours and drive whole
 * toolchains.
 *
 * ## Cost
 *
 * A process per spec file costs about a third of a second of start-up; the student's `npm test`
 * reuses the results of steps whose files did not change (./cache.ts), and starts vitest and
 * the compiler only when a step needs running. Verify runs the workbook's own code in a
 * process reused from file to file (`isolate: false`), replacing any that hangs or dies. Shared
 * processes run one at a time: vitest evaluates the witness again for each task it hands a
 * second worker, and the secret on stdin can be read only once. vitest's mapping of failed
 * tests' stacks reads each of its own files once per run, not once per frame (./runtime.ts).
 */
export { StepCache, type StepResult } from "./cache";
export { CompilerProcess } from "./compiler";
export { guardPlugin, importTampering } from "./guard";
export { Children, type Hang, killTree, type Limits, type Testimony } from "./pool";
export { type RuntimeJob, type RuntimeOptions, type RuntimeResult, RuntimeRunner } from "./runtime";
