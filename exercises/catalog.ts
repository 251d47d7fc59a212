/**
 * The catalog: the single source of truth for pattern order, step order, titles and hints.
 * The board, `verify`, the runner and the docs read it; `verify` checks it against the folders
 * (`exercises/<pattern>/<step>/` and its mirror in `solutions/`).
 */

/** One kata step: its folder under `exercises/<pattern>/`, its title and its hints. */
export interface StepEntry {
  /** Folder name, `NN-kebab-name`; the numbers count up from 01 in catalog order. */
  readonly dir: string;
  readonly title: string;
  /** Shown one at a time on request, mildest first; the last may nearly give the answer away. */
  readonly hints: readonly string[];
}

/** One pattern: its folder under `patterns/`, `exercises/` and `solutions/`, and its steps. */
export interface PatternEntry {
  readonly id: string;
  readonly title: string;
  /** One sentence for the board and the docs. */
  readonly summary: string;
  readonly steps: readonly StepEntry[];
}

export const catalog: readonly PatternEntry[] = [
  {
    id: "singleton",
    title: "Singleton",
    summary: "One shared instance with a single point of access, created lazily and safely.",
    steps: [
      {
        dir: "01-one-instance",
        title: "One instance",
        hints: [
          "Keep the instance in a static field of the class and create it inside getInstance(), the first time it is asked for: a static field's initialiser runs as soon as the module is loaded.",
          "A `private constructor()` makes `new Config()` a compile error everywhere outside the class.",
        ],
      },
      {
        dir: "02-lazy-and-resettable",
        title: "Lazy and resettable",
        hints: [
          "A module is evaluated once and its variables are shared by every importer: a module-level `let` is enough.",
          "Start the variable as `undefined`; `instance ??= new Config()` builds it on the first call only.",
          "resetConfig() only sets the variable back to `undefined`: building belongs to the next getConfig().",
        ],
      },
      {
        dir: "03-async-initialisation",
        title: "Async initialisation",
        hints: [
          "Cache the promise, not the pool: it exists from the very first call, so a second caller can wait on it.",
          "getPool() does not need to be `async`: an `async` function that awaits before caching is exactly the race to avoid.",
          "On rejection, forget the promise, but only if it is still the current one: `attempt.catch(() => { if (pending === attempt) pending = undefined; })`.",
        ],
      },
      {
        dir: "04-one-per-key",
        title: "One instance per key",
        hints: [
          "A `Map<K, V>` is the store: any key type, nothing inherited, and `has()` answers presence.",
          "Ask `has(key)`, not whether the stored value is truthy or defined: 0, '', null and even undefined are instances too.",
          "Call create() first and store its result after: if it throws, nothing is stored and the next get() tries again.",
        ],
      },
      {
        dir: "05-inject-instead",
        title: "Inject instead: singleton scope in a container",
        hints: [
          "Three Maps or arrays on the instance: registrations by token, built singletons by token, and the tokens being resolved right now.",
          "resolve(): unknown token → UnknownServiceError; a kept singleton → return it; a token already being resolved → CircularDependencyError; otherwise run the factory with `this`.",
          "Push the token before calling the factory and pop it in a `finally`, so that a factory that throws leaves no trace.",
        ],
      },
    ],
  },
  {
    id: "factory",
    title: "Factory",
    summary:
      "One place that turns a kind into a new object: named errors, a registry open to new kinds, a typed create, families of products.",
    steps: [
      {
        dir: "01-shape-factory",
        title: "A shape factory",
        hints: [
          "A `switch (kind)` with one `case` per shape and a `default` that throws is all createShape() needs.",
          '`JSON.stringify(kind)` quotes the kind for the message; `knownKinds.join(", ")` lists the others.',
          "Make the shape inside the `case` (`return new Circle()`), not once up front: every call needs its own.",
        ],
      },
      {
        dir: "02-registry",
        title: "A registry open to new kinds",
        hints: [
          "Keep the makers in a private `Map<string, ShapeMaker>` field: every string is a plain key, and keys() keeps registration order.",
          "The constructor can call `this.register(…)` three times: built-in shapes are registrations like any other.",
          "For the unregister function, close over a `let registered = true` flag: delete the kind only while it is true, then set it to false. A later registration of the same kind is then safe from a stale call.",
        ],
      },
      {
        dir: "03-typed-factory",
        title: "A typed factory",
        hints: [
          "Write one interface that maps each kind to its options and shape: `circle: { options: CircleOptions; shape: Circle }`. `ShapeKind` is its `keyof`.",
          'Make create() generic: `create<K extends ShapeKind>(kind: K, options: ShapeTypes[K]["options"]): ShapeTypes[K]["shape"]`.',
          "Type the table of makers as `{ [K in ShapeKind]: (options: …[K]) => …[K] }` so `makers[kind](options)` compiles; check `Object.hasOwn(makers, kind)` first, and reject a dimension unless `value > 0 && Number.isFinite(value)`.",
        ],
      },
      {
        dir: "04-abstract-factory",
        title: "Families of products (abstract factory)",
        hints: [
          "A family is a plain object, `{ theme, createButton, createCheckbox }`, whose methods each return a new widget of that family's classes only.",
          "renderLoginForm() must not name any widget class: call `widgets.createCheckbox(…)` and `widgets.createButton(…)`, then join their `render()`s.",
          "widgetsFor() looks the name up in a `Map` of the two families and throws `new UnknownThemeError(theme, [...map.keys()])` when it is missing: no fallback.",
        ],
      },
    ],
  },
  {
    id: "observer",
    title: "Observer (synchronous)",
    summary:
      "A subject notifies its observers of every change: in order, safely when they throw or detach mid-round, weakly if asked, with a veto before a change.",
    steps: [
      {
        dir: "01-basics",
        title: "Attach, detach, notify",
        hints: [
          "An array keeps attach order; `includes()` tells you whether an observer is already there.",
          "`indexOf()` returns -1 for an unknown observer, and `splice(-1, 1)` removes the last element: check before you splice.",
          'Call an object observer as `observer.update(value)`, never through a copy of the method, or `this` is lost. Reject an argument when `typeof observer !== "function"` and `typeof observer?.update !== "function"`.',
        ],
      },
      {
        dir: "02-safe-notify",
        title: "Safe notify",
        hints: [
          "Put a try/catch around each observer's call, inside the loop, not around the loop.",
          "Collect an `ObserverError(observer, error)` per failure in an array; throw nothing inside the loop.",
          "After the loop: `if (failures.length > 0) throw new AggregateError(failures, message)`.",
        ],
      },
      {
        dir: "03-mutation-during-notify",
        title: "Mutation during notify",
        hints: [
          "Never change the array a round is walking: let attach() and detach() build a new array (`[...entries, entry]`, `entries.filter(…)`) and assign it.",
          "A snapshot alone still calls an observer detached mid-round: give each entry a `live` flag that detach() clears and the round checks before each call.",
          "Count nested rounds in a field: check it against maxDepth first, increment it, and decrement it in a `finally`. In the per-observer catch, rethrow a RecursionLimitError instead of collecting it.",
        ],
      },
      {
        dir: "04-typed-notifications",
        title: "Typed, immutable notifications",
        hints: [
          "`readonly` only binds the compiler; `Object.freeze()` binds the run time, and it is shallow: freeze the payload too.",
          "Take the time inside the function, on every call. A default parameter (`timestamp = Date.now()`) is evaluated per call in JavaScript; a module-level constant is not.",
          "NotificationOf maps each key to a Notification and indexes the result by the keys: `{ [E in keyof Events & string]: Notification<E, Events[E]> }[keyof Events & string]`.",
        ],
      },
      {
        dir: "05-weak-observers",
        title: "Weak observers",
        hints: [
          "A WeakRef has a deref() method, just like StrongRef: it can go into #refs as it is.",
          "Hold the observer itself in the WeakRef, not a function that calls it: nothing else would hold that function.",
          "A FinalizationRegistry field whose callback filters the collected ref out of #refs; register(observer, ref, ref), never with the observer (or a closure that mentions it) as the held value.",
        ],
      },
      {
        dir: "06-lifecycle-observers",
        title: "Lifecycle observers with veto",
        hints: [
          "Keep a Map from model class to its observers, and look a model's observers up with `model.constructor`: that is the sender filter.",
          "Ask the -ing observers in order and stop at the first that returns exactly `false` (return false from save()/delete() at once); only if none did, store a copy (`copy(model)`) and then tell the -ed observers.",
          "Give every created model the next id from a per-class counter that only goes up (not the number of stored rows, and not the id the model came with), and call hooks as `observer[event]?.(model)` so `this` is the observer.",
        ],
      },
    ],
  },
  {
    id: "observer-async",
    title: "Observer (asynchronous)",
    summary:
      "Observers that take time: concurrent notify, every failure reported, fire-and-forget with an error channel, back-pressure, a task monitor, a job queue with retries and a durable event log.",
    steps: [
      {
        dir: "01-concurrent-notify",
        title: "Concurrent notify",
        hints: [
          "Start every observer first, then wait: `observers.map(...)` gives you one promise per observer, all already running.",
          "`await Promise.all(promises)` waits for the slowest; an `await` inside a `for` loop waits for each in turn (ten seconds instead of one).",
          "Wrap each call in `async (observer) => observer(value)` so that a synchronous observer gives a promise too; keep observers in a `Set` so one attached twice is called once.",
        ],
      },
      {
        dir: "02-error-aggregation",
        title: "Error aggregation",
        hints: [
          "`Promise.all` rejects at the first failure and forgets the rest: `Promise.allSettled` waits for everyone and tells you who failed.",
          "Outcomes come back in the same order as the promises you passed in: outcome `i` belongs to observer `i`, whatever finished first.",
          'Collect `new ObserverError(observers[i], outcome.reason)` for each rejected outcome, then throw one `AggregateError` of them whose message reads like "2 of 3 observers failed".',
        ],
      },
      {
        dir: "03-fire-and-forget",
        title: "Fire-and-forget with an error channel",
        hints: [
          "publish() calls notify() without awaiting it, so something else must handle its rejection: attach `.catch(...)` right away and send the error to `onError`. onError is the last stop: if it throws, catch that too, or the rejection escapes anyway.",
          "Keep every round's promise in a `Set` and remove it when it settles (`.finally`); idle() waits for what is in the Set.",
          "Rounds published while idle() waits count too: loop `while (pending.size > 0) await Promise.all(pending)`.",
        ],
      },
      {
        dir: "04-back-pressure",
        title: "Bounded concurrency and back-pressure",
        hints: [
          "Count running rounds. publish() starts a round if fewer than `concurrency` run, otherwise queues the value, unless the queue already holds `maxQueue` values: then it throws a QueueFullError.",
          "When a round settles, successful or not, free its slot and start the oldest queued value (`queue.shift()`): put that in `.finally`, not in `.then`.",
          "idle() is the same loop as in step 3: a queued round is started before the round that frees its slot settles, so it is in the Set in time.",
        ],
      },
      {
        dir: "05-task-monitor",
        title: "Task monitor",
        hints: [
          "Emit every `queued` event first. Then start `concurrency` workers: each worker loops, taking the next index (`next++`) until none is left.",
          'Await each task inside try/catch and store `{ status: "fulfilled", value }` or `{ status: "rejected", reason }` at its own index: results stay in input order whatever finishes first.',
          "Emit `started` before awaiting a task and `finished`/`failed` right after, from the worker: events then come in completion order. Running fixed batches of `concurrency` tasks would leave slots idle.",
        ],
      },
      {
        dir: "06-job-queue",
        title: "Job queue with retries",
        hints: [
          "enqueue() makes an id from a counter, emits `enqueued`, starts an async function for the job and returns the id; that function's first line is `await Promise.resolve()` so the handler runs after enqueue() returns.",
          "The job function loops over attempts: emit `started`, await the handler in try/catch; on failure either retry after `initialDelay * 2 ** (attempt - 1)` ms or, at `maxAttempts`, record a dead letter and stop; after the try (only the handler decides failure), emit `succeeded` and stop.",
          "Keep each job's promise in a Set for idle(), as in step 3. Waiting is `await new Promise((resolve) => setTimeout(resolve, delay))`.",
        ],
      },
      {
        dir: "07-async-iteration",
        title: "Async iteration without leaks",
        hints: [
          "Check `bufferSize` first with `Number.isInteger(bufferSize) && bufferSize >= 1`: a buffer of 0 would leave notify() and next() waiting for each other. The iterator is an observer in disguise: attach a function that puts values in a buffer, or hands them straight to the oldest pending next().",
          "When the buffer is full, the observer returns a promise that resolves once next() takes a value: the round (and notify()) waits, instead of the buffer growing.",
          "`break`, `return` and a throw in the loop body all call the iterator's return(): there, detach the observer, empty the buffer, release waiting rounds and end pending next() calls with `{ done: true }`.",
        ],
      },
      {
        dir: "08-durable-log",
        title: "A durable event log",
        hints: [
          "open() reads the whole file and walks it: at each position read the length (`readUInt32LE(at)`) and the checksum (`readUInt32LE(at + 4)`), and keep the record if it fits in the file, is not empty and `crc32(payload)` agrees. The first bad one ends the walk; `truncate()` the file there.",
          "A bad record is a torn tail only if it ends exactly at the end of the file or only zeros follow it; otherwise reject with a CorruptLogError. Appends take their offset inside one promise chain (`this.#writes = this.#writes.then(write)`), so two appends never see the same length.",
          "Per consumer keep `committed` (every record below it acknowledged), a Set of acknowledgements above it, and a session `cursor`. ack() adds to the Set, then `while (acked.delete(committed)) committed++`, and saves every consumer to a temporary file renamed over `<path>.consumers.json`; open() starts each cursor at `committed`, and position() returns it.",
        ],
      },
    ],
  },
  {
    id: "pubsub",
    title: "Publish/subscribe",
    summary:
      "A broker between publishers and subscribers: typed topics, MQTT wildcards matched by a trie, once and priority, tracing ids across awaits, chat rooms over WebSockets, a transport over Redis globs and metrics.",
    steps: [
      {
        dir: "01-topic-broker",
        title: "A topic broker",
        hints: [
          "A `Map<string, Subscription[]>` from topic to subscriptions, where each subscription is a small object `{ handler, active }`: two subscriptions of one handler are then two objects.",
          "Never change an array a publish may be iterating: unsubscribe builds a new array (`filter`) and sets `active = false`; publish skips inactive subscriptions.",
          "Wrap each call in try/catch and push `new HandlerError(handler, topic, error)`; after the loop, throw `new AggregateError(failures, …)` if any. `Object.assign(unsubscribe, { [Symbol.dispose]: unsubscribe })` makes the function disposable.",
        ],
      },
      {
        dir: "02-typed-topics",
        title: "Typed topics",
        hints: [
          "Make both methods generic over the topic: `<K extends keyof T & string>(topic: K, …)`. `& string` drops number and symbol keys.",
          "The payload is then `T[K]`: the type of that topic's entry, not of any entry (`T[keyof T]` would accept another topic's payload).",
          "Constrain the map with `T extends object`: an interface has no index signature, so `Record<string, unknown>` would refuse it. Inside, store handlers untyped (`(payload: never) => void`) and cast once at the call.",
        ],
      },
      {
        dir: "03-wildcards",
        title: "Wildcards, through a trie",
        hints: [
          'A node is `{ children: Map<string, Node>, values: V[], parent, key }`. add() walks `pattern.split(".")`, creating missing children; validate the levels first.',
          'match() is a recursive walk(node, i): first collect the values of `node.children.get("#")` (that is how `#` matches zero levels); if `i` is the topic\'s length, collect `node.values` and stop; otherwise recurse into the exact child and into the `+` child.',
          'delete() finds the node, removes the value, then climbs while the node has no values and no children, deleting it from its parent. anchored(): a new RegExp of `"^(?:" + re.source + ")$"` with `re.flags` minus g and y (they keep state between tests) and m (it lets ^ and $ match at line breaks).',
        ],
      },
      {
        dir: "04-once-and-priority",
        title: "Once and priority",
        hints: [
          "Keep each topic's list sorted at subscribe time, so publish just walks it: insert before the first subscription with a strictly lower priority (`findIndex(s => s.priority < priority)`).",
          "Check the priority with `Number.isFinite`: it is false for NaN and both infinities.",
          "Walk a snapshot and skip inactive subscriptions, as in step 1. For `once`, unsubscribe *before* calling the handler: a publish from inside it must not find it again.",
        ],
      },
      {
        dir: "05-tracing",
        title: "Tracing a chain of events",
        hints: [
          "A module-level `const handling = new AsyncLocalStorage<Message>()` remembers the message being handled; `handling.getStore()` reads it (undefined outside any handler).",
          "The new message takes `parent?.correlationId ?? id` and `causationId: parent?.id`; `Object.freeze` it.",
          "Call the handlers inside `handling.run(message, () => { … })`: `run` scopes the store to that callback and everything it continues after an `await`. `enterWith` would leak it into the publisher's own context.",
        ],
      },
      {
        dir: "06-chat-rooms",
        title: "Chat rooms",
        hints: [
          "Keep `Map<room, Map<memberId, { subscription, echo }>>`: one subscription per membership, so leaving one room cannot touch another.",
          "In join(), validate the name against `/^[a-z0-9-]+$/` first, then subscribe to the topic `room.<name>` with a handler that calls `member.receive(message.payload)` unless the line is the member's own and it did not ask for echo.",
          "leave() calls the membership's unsubscribe function (the broker then skips it even mid-publish) and deletes it. send() throws NotAMemberError for a non-member, then counts deliveries itself: the handler adds one when it calls `receive()`. `publish()`'s number counts handlers (the sender's, a logger's), not members. Keep the outer count aside while a nested send counts its own.",
        ],
      },
      {
        dir: "07-transport-adapter",
        title: "A transport adapter: MQTT patterns over Redis globs",
        hints: [
          "toRedisGlob(): `parsePattern()` first (it throws for you), then map each level: `+` → `*`, a literal level with each of `*`, `?`, `[`, `]` and `\\` preceded by a backslash; a last `#` is not a level of the glob but a `*` glued to the body, so that `sport.#` also selects `sport`.",
          "Keep a `Map<glob, number>` of how many local subscriptions use each glob: `psubscribe` when it goes from 0 to 1, `punsubscribe` when it comes back to 0. Subscriptions are small objects `{ pattern, handler, active }` in a Set.",
          "publish() sends `{ id: randomUUID(), topic, payload }` as JSON. The listener parses it, returns if `seen.has(id)`, adds the id (deleting the oldest, `seen.values().next().value`, past 1024), then calls each active subscription whose pattern `topicMatches()` the topic, over a snapshot.",
        ],
      },
      {
        dir: "08-metrics",
        title: "Metrics: an observer that counts",
        hints: [
          'Check the options first (`registry instanceof Registry`, `typeof now === "function"`), then make each metric with `registers: [registry]`, so that nothing lands in prom-client\'s global registry.',
          '`new Proxy(broker, { get(target, property) { … } })`: return your own functions for "subscribe" and "publish"; for anything else, `Reflect.get(target, property, target)`, and bind functions to `target`: the broker\'s methods read its #private fields, which the Proxy does not have.',
          "The wrapper counts a delivery, reads `now()`, calls the handler in try/catch (on a throw: observe, count a failure, throw the same error again), and for a returned Promise observes in `.then(stop, onRejected)`; it returns what the handler returned.",
        ],
      },
    ],
  },
];
