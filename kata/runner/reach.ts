/**
 * Node's modules that reach into a running process (its inspector, its compiler, its threads and
 * children, its module loader): a student's module may not import them (./guard.ts), and in a
 * test process they are refused at run time too (./child.ts), where a name computed at run time
 * (`process["getBuiltin" + "Module"]`) escapes every check of the source.
 */
export const NODE_INTERNALS =
  /^(node:)?(inspector|inspector\/promises|vm|v8|worker_threads|child_process|cluster|module|repl|trace_events|wasi)$/;
