/**
 * `@subscribe("topic")`: handlers declared on methods with TC39 standard decorators (TypeScript 5+
 * without `experimentalDecorators`), subscribed when an instance is registered with a broker.
 *
 * @module
 */
import type { SubscribeOptions } from "./broker";
import { anchored, describe, parsePattern } from "./topics";
import type { AnyTopics, KnownPattern, MessageFor, MessageOf, TopicMap } from "./types";

/**
 * One decorated method of an instance, as `Broker.register()` subscribes it.
 *
 * @internal
 * @example
 * ```ts
 * decoratedHandlers(mailer); // [{ pattern: "model.user.created", options: {}, method: welcome }]
 * ```
 */
export interface DecoratedHandler {
  /** Method name and pattern of a public method, to skip a subclass's re-decorated override. */
  readonly key: string | undefined;
  readonly pattern: string | RegExp;
  readonly options: SubscribeOptions;
  /** The method as the instance has it now (an override in a subclass wins). */
  readonly method: (message: never) => unknown;
}

// #region registry
/**
 * The decorated methods of each constructed instance. Filled by the decorators' initializers,
 * which run in every constructor: that works the same whichever compiler lowered the decorators,
 * and needs no `Symbol.metadata`, which Node 20 does not have. A WeakMap, so an instance that is
 * never registered is still collected.
 */
const registry = new WeakMap<object, DecoratedHandler[]>();

/**
 * The `@subscribe` methods of `instance`, in declaration order, base class first.
 *
 * @internal
 * @example
 * ```ts
 * for (const { pattern, method } of decoratedHandlers(instance)) broker.subscribe(pattern, method);
 * ```
 */
export function decoratedHandlers(instance: object): readonly DecoratedHandler[] {
  return registry.get(instance) ?? [];
}
// #endregion registry

/**
 * The type of the decorator `subscribe()` returns: it accepts an instance method whose first
 * parameter accepts message `M`.
 *
 * @typeParam M The message the pattern's handler receives.
 * @typeParam This The class the method belongs to.
 * @typeParam Method The decorated method's own type, kept as it is.
 *
 * @example
 * ```ts
 * const onCreated: SubscribeDecorator<Message<"model.user.created", User>> = subscribe("model.user.created");
 * ```
 */
export type SubscribeDecorator<M> = <This, Method extends (this: This, message: M) => unknown>(
  method: Method,
  context: ClassMethodDecoratorContext<This, Method>,
) => void;

// #region decorator
/**
 * Marks a method as a handler of `pattern`: when an instance is registered
 * (`broker.register(instance)`), the method is subscribed, bound to that instance. This is
 * django-event-system's metaclass auto-registration, made explicit: nothing is subscribed at
 * import time, and the instance decides when it starts and stops listening.
 *
 * The pattern is checked as the class is defined, so a typo fails at start-up, not at the first
 * publish. Instance methods only, public or `#private`.
 *
 * @throws InvalidTopicError if `pattern` is malformed (when the class is defined).
 * @throws TypeError if it decorates something other than an instance method.
 *
 * @example
 * ```ts
 * class Notifier {
 *   @subscribe("model.user.created", { priority: 10 })
 *   welcome(message: Message) { sendMail(message.payload); }
 * }
 * const subscription = broker.register(new Notifier());
 * ```
 */
export function subscribe(
  pattern: string | RegExp,
  options: SubscribeOptions = {},
): SubscribeDecorator<never> {
  if (pattern instanceof RegExp) anchored(pattern);
  else parsePattern(pattern);
  return (method, context) => {
    if (context.kind !== "method" || context.static) {
      throw new TypeError(
        `@subscribe decorates instance methods, not ${context.static ? "static " : ""}${context.kind} ${String(context.name)}`,
      );
    }
    if (typeof method !== "function") {
      throw new TypeError(`@subscribe: ${String(context.name)} is ${describe(method)}`);
    }
    const { get } = context.access;
    // A public method overridden and decorated again in a subclass must not subscribe twice.
    const key = context.private ? undefined : `${String(context.name)} ${String(pattern)}`;
    context.addInitializer(function (this: unknown) {
      const instance = this as object;
      const handlers = registry.get(instance) ?? [];
      if (handlers.length === 0) registry.set(instance, handlers);
      if (key !== undefined && handlers.some((h) => h.key === key)) return;
      handlers.push({
        key,
        pattern,
        options,
        get method() {
          return get(instance as never) as (message: never) => unknown;
        },
      });
    });
  };
}
// #endregion decorator

/**
 * `subscribe` checked against a topic map: the pattern must match one of its topics, and the
 * method must accept the messages it matches.
 *
 * @example
 * ```ts
 * const on = subscribeTo<Topics>();
 * class Mailer {
 *   @on("model.user.created") welcome(m: Message<"model.user.created", User>) { … }
 * }
 * ```
 */
export function subscribeTo<T extends TopicMap = AnyTopics>(): {
  <P extends string>(
    pattern: KnownPattern<T, P>,
    options?: SubscribeOptions,
  ): SubscribeDecorator<MessageFor<T, P>>;
  (pattern: RegExp, options?: SubscribeOptions): SubscribeDecorator<MessageOf<T>>;
} {
  return subscribe as never;
}
