/**
 * The asynchronous observer: a subject whose observers may be slow, a task monitor and a job
 * queue built on it.
 *
 * @example
 * ```ts
 * import { AsyncSubject, JobQueue, TaskMonitor } from "./patterns/observer-async";
 * ```
 * @module
 */
export {
  type AsyncObservable,
  type AsyncObserver,
  AsyncSubject,
  type AsyncSubjectOptions,
  type NotifyOptions,
  type OverflowPolicy,
  type StreamOptions,
  type SubjectStats,
  type SubjectStream,
} from "./async-subject";
export {
  ClosedError,
  DroppedError,
  ObserverError,
  QueueFullError,
  RecursionLimitError,
  TimeoutError,
} from "./errors";
export {
  type BackoffOptions,
  backoffDelay,
  type DeadLetter,
  type JobContext,
  type JobEvent,
  JobQueue,
  type JobQueueOptions,
  type JobQueueStats,
} from "./job-queue";
export {
  type Task,
  type TaskEvent,
  type TaskEventBase,
  TaskMonitor,
  type TaskMonitorOptions,
  type TaskProgress,
  type TaskRunOptions,
} from "./task-monitor";
