/**
 * News publisher: e-mail and SMS subscribers, a failing SMS gateway, and subscribers that leave.
 *
 * `npm run demo news`. The source article's NewsPublisher, on the reference Subject: every
 * subscriber hears about each article in the order it subscribed; a subscriber that throws does
 * not stop the others, and its failure is reported after the round; a subscriber can leave,
 * even in the middle of a round. Stops by itself.
 */
import pc from "picocolors";
import type { ObserverError } from "../subject";
import { Subject } from "../subject";

const heading = (text: string) => console.log(`\n${pc.bold(pc.cyan(text))}`);
const line = (text: string) => console.log(`  ${text}`);

class Article {
  constructor(
    readonly title: string,
    readonly content: string,
  ) {}
}

/** The subject side: it knows how to tell its subscribers, and nothing else about them. */
class NewsPublisher {
  readonly #subscribers = new Subject<Article>();
  latest: Article | undefined;

  subscribe(subscriber: EmailSubscriber | SmsSubscriber | ((article: Article) => void)) {
    return this.#subscribers.attach(subscriber);
  }

  unsubscribe(subscriber: EmailSubscriber | SmsSubscriber | ((article: Article) => void)) {
    return this.#subscribers.detach(subscriber);
  }

  publish(article: Article): void {
    this.latest = article;
    line(pc.bold(`published: "${article.title}"`));
    try {
      this.#subscribers.notify(article);
    } catch (error) {
      if (!(error instanceof AggregateError)) throw error;
      // Every subscriber has run by now; these are the ones that could not deliver.
      for (const failure of error.errors as ObserverError[]) {
        line(pc.red(`✗ ${failure.message}`));
      }
    }
  }
}

class EmailSubscriber {
  constructor(readonly email: string) {}

  update(article: Article): void {
    line(`📧 mail to ${this.email}: "${article.title}"`);
  }
}

/** An SMS gateway that can be taken down, to show what happens when a subscriber throws. */
const gateway = { up: true };

class SmsSubscriber {
  constructor(readonly phone: string) {}

  update(article: Article): void {
    if (!gateway.up) throw new Error(`SMS gateway unreachable, ${this.phone} not texted`);
    line(`📱 text to ${this.phone}: "${article.title}"`);
  }
}

const publisher = new NewsPublisher();
const alice = new EmailSubscriber("alice@example.com");
const bob = new SmsSubscriber("+1 555 0100");
const searchIndex = (article: Article) => line(`🔎 indexed "${article.title}"`);

heading("1. Three subscribers, notified in the order they subscribed");
publisher.subscribe(alice);
publisher.subscribe(bob);
publisher.subscribe(searchIndex);
publisher.subscribe(alice); // subscribing twice changes nothing: Alice gets one mail
publisher.publish(new Article("Observer pattern explained", "…"));

heading("2. The SMS gateway is down: the others still hear, and the failure is reported");
gateway.up = false;
publisher.publish(new Article("Why notify() must not stop at the first error", "…"));
gateway.up = true;

heading("3. A one-time subscriber leaves during the round; the next one is not skipped");
const breakingNewsOnce = (article: Article) => {
  line(`🚨 breaking-news banner: "${article.title}" (and unsubscribing)`);
  publisher.unsubscribe(breakingNewsOnce);
};
const unsubscribe = publisher.subscribe(breakingNewsOnce);
publisher.subscribe((article) => line(`📰 front page now shows "${article.title}"`));
publisher.publish(new Article("Weak references, and when not to use them", "…"));
publisher.publish(new Article("Django signals vs Laravel observers", "…"));
line(pc.dim(`(unsubscribing again returns ${unsubscribe()}: it already left)`));

heading("4. Alice unsubscribes; an unknown unsubscribe is a harmless no-op");
line(`unsubscribe(alice) → ${publisher.unsubscribe(alice)}`);
line(`unsubscribe(a stranger) → ${publisher.unsubscribe(new EmailSubscriber("who@example.com"))}`);
publisher.publish(new Article("Typed notifications", "…"));
