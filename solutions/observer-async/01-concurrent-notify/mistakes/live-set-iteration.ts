// Mistake: starts the observers while iterating the live Set, and a Set's iterator also visits
// what is added during the loop: an observer attached by another observer during the round is
// called in that same round. Caught by "calls an observer attached during a round from the next
// round on".
// Hint: a round's observers are the ones attached when notify() is called; what changes the set
// while the round is starting must not change who that round calls.
import { AsyncSubject as Answer } from "../subject";

export * from "../subject";

export class AsyncSubject<T> extends Answer<T> {
  override async notify(value: T): Promise<void> {
    const running: Promise<unknown>[] = [];
    for (const observer of this.observers) running.push((async () => observer(value))());
    await Promise.all(running);
  }
}
