// Mistake: numbers a job from how many jobs are outstanding, so once earlier jobs have finished a
// new job gets an id that was already given (events and dead letters of two jobs then share it).
// Caught by "never reuses an id, even after earlier jobs have finished".
// Hint: an id must be unique for the queue's whole life, not only among the jobs running now.
import { JobQueue as Answer } from "../job-queue";

export * from "../job-queue";

export class JobQueue<P> extends Answer<P> {
  override enqueue(payload: P): string {
    const id = `job-${this.pending.size + 1}`;
    this.emit({ type: "enqueued", id, payload });
    const job: Promise<void> = this.process(id, payload).finally(() => this.pending.delete(job));
    this.pending.add(job);
    return id;
  }
}
