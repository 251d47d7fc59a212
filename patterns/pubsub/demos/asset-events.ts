/**
 * Event-driven assets and users: wildcards vs a regex scan, priorities, @subscribe handlers, model signals bridged to topics, traced chains.
 *
 * The scenario of django-event-system's article, in TypeScript: assets of several kinds are
 * updated, users are created, and handlers react, some of them by publishing more events. Every
 * message is printed as a tree, indented by its place in its chain, with its correlation id.
 */
import {
  Broker,
  bridgeLifecycle,
  LifecycleHooks,
  type Message,
  type ModelTopics,
  subscribe,
  TopicTrie,
} from "../index";

type User = { id: string; email: string };
type Topics = ModelTopics<"user", User> & {
  [asset: `assets.updated.${string}`]: { id: string; by: string };
  "email.sent": { to: string; subject: string };
  "search.reindexed": { id: string };
};

let n = 0;
const broker = new Broker<Topics>({
  createId: () => `m${++n}`,
  onError: (error) => console.log(`  ✗ error channel: ${error.message}`),
});
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

console.log(`Asset events: one topic broker, four things it does

How to read the trace:
  • topic [m2, chain m1 ← m1]  a message: its topic and id; its chain (the
                               message that began it); after ←, the message
                               whose handler published it
  indentation                  one level per step down a chain
  plain lines                  a handler at work`);

// #region tracer
// A tracer sees every message first (priority 100) and prints it in its chain.
broker.subscribe(
  "#",
  (m: Message) => {
    const cause = m.causationId ? ` ← ${m.causationId}` : "";
    console.log(
      `${"  ".repeat(m.depth + 1)}• ${m.topic} [${m.id}, chain ${m.correlationId}${cause}]`,
    );
  },
  { priority: 100 },
);
// #endregion tracer

console.log("\n1. One wildcard subscription hears every kind of asset update");
broker.subscribe("assets.updated.+", (m) => {
  console.log(`    reindex ${m.topic.split(".")[2]} ${m.payload.id}`);
  broker.publish("search.reindexed", { id: m.payload.id });
});
broker.publish("assets.updated.image", { id: "img-1", by: "ada" });
broker.publish("assets.updated.video", { id: "vid-7", by: "bob" });

console.log("\n2. Priorities: the audit log runs before the handler that might fail");
broker.subscribe(
  "assets.updated.+",
  (m) => console.log(`    audit: ${m.payload.by} updated ${m.payload.id}`),
  {
    priority: 10,
  },
);
const flaky = broker.subscribe("assets.updated.document", function makeThumbnail() {
  throw new Error("thumbnail service down");
});
try {
  broker.publish("assets.updated.document", { id: "doc-3", by: "cy" });
} catch (error) {
  const failures = (error as AggregateError).errors.map((e: Error) => e.message);
  console.log(
    `    publish threw after the round:\n      ${(error as Error).message}\n      ${failures.join("\n      ")}`,
  );
}
flaky();

console.log("\n3. Model signals bridged to topics, handled by @subscribe methods");
class Mailer {
  sent = 0;

  @subscribe("model.user.created")
  async welcome(m: Message<"model.user.created", User>) {
    await wait(20); // the SMTP round trip: other work goes on meanwhile
    this.sent++;
    // Published after an await, still in the chain of the user's creation.
    broker.publish("email.sent", { to: m.payload.email, subject: "Welcome!" });
  }
}
const users = new LifecycleHooks<User>();
using _bridge = bridgeLifecycle(users, broker, "user");
const mailer = new Mailer();
using _mailer = broker.register(mailer);
users.emit("created", { id: "u1", email: "ada@example.com" });
users.emit("created", { id: "u2", email: "bob@example.com" });
await broker.settled();
console.log(`    the mailer sent ${mailer.sent} e-mails, each in the chain of its own user`);

console.log("\n4. Why a trie: the same question asked of 10 000 subscriptions");
const trie = new TopicTrie<number>();
const regexes: RegExp[] = [];
for (let i = 0; i < 10_000; i++) {
  trie.add(`device.${i}.+`, i);
  regexes.push(new RegExp(`^device\\.${i}\\.[^.]+$`));
}
const topic = "device.4242.temperature";
const started = performance.now();
// Ten rounds are enough: one scan over 10 000 regexes already takes milliseconds.
for (let k = 0; k < 10; k++) regexes.filter((r) => r.test(topic));
const scan = (performance.now() - started) / 10;
const begun = performance.now();
for (let k = 0; k < 1_000; k++) trie.match(topic);
const walk = (performance.now() - begun) / 1_000;
console.log(
  `    regex scan (django-event-system): ${regexes.length} tests, ${(scan * 1000).toFixed(1)} µs per publish`,
);
console.log(
  `    trie walk: ${trie.cost(topic)} nodes visited, ${(walk * 1000).toFixed(1)} µs per publish`,
);
console.log();
