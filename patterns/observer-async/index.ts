/**
 * The asynchronous observer: a subject whose observers may be slow, a task monitor and a job
 * queue built on it; the job queue's events over BullMQ with workers in other processes, as
 * Prometheus metrics, and on a live dashboard.
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
  type BullJobContext,
  type BullJobCounts,
  BullJobQueue,
  type BullJobQueueOptions,
  type BullQueueLocation,
  type BullWorker,
  type BullWorkerOptions,
  type JobProgressEvent,
  startBullWorker,
} from "./bullmq-queue";
export {
  type Dashboard,
  type DashboardOptions,
  type DashboardTotals,
  startDashboard,
} from "./dashboard/server";
export {
  ClosedError,
  DroppedError,
  ObserverError,
  QueueFullError,
  RecursionLimitError,
  RemoteJobError,
  TimeoutError,
} from "./errors";
export {
  CorruptLogError,
  EventTooLargeError,
  EventTypeError,
  LogArgumentError,
  LogClosedError,
} from "./event-log/errors";
export { FileLog, type FileLogOptions, type FsyncPolicy } from "./event-log/file-log";
export { RedisStreamLog, type RedisStreamLogOptions } from "./event-log/redis-stream-log";
export {
  consume,
  type EventLog,
  type Json,
  type LogRecord,
  type Offset,
} from "./event-log/types";
export { type JobDepth, JobMetrics, type JobMetricsOptions } from "./job-metrics";
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
