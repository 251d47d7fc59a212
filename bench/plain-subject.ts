/**
 * The plain-loop row of the notify cases: the kata's first Subject with every safety taken out
 * (no exception isolation, no mutation rule, no recursion guard, no duplicate check). What our
 * `Subject` costs beyond it is the price of those guarantees, and of nothing else.
 *
 * @module
 */

/** An array of functions and a loop: the least a subject can be. */
export class PlainSubject<T> {
  readonly #observers: Array<(value: T) => void> = [];

  attach(observer: (value: T) => void): void {
    this.#observers.push(observer);
  }

  notify(value: T): void {
    for (const observer of this.#observers) observer(value);
  }
}
