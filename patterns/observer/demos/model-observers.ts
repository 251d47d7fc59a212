/**
 * Model observers: Laravel-style creating/created/… hooks with a veto, and Django's sender and dispatch_uid.
 *
 * `npm run demo model-observers`. A repository of posts and users. A moderator vetoes spam
 * before it is saved (so nothing is stored and the search index never hears of it); a welcome
 * mailer registered twice under one uid sends one mail; pinned posts cannot be deleted. Stops by
 * itself.
 */
import pc from "picocolors";
import { Repository, VetoError } from "../lifecycle";

const heading = (text: string) => console.log(`\n${pc.bold(pc.cyan(text))}`);
const line = (text: string) => console.log(`  ${text}`);

class Post {
  id?: number;
  pinned = false;
  constructor(public title: string) {}
}

class User {
  id?: number;
  constructor(public email: string) {}
}

class Moderator {
  saving(post: Post): boolean {
    const ok = !/buy now|free money/i.test(post.title);
    if (!ok) line(pc.yellow(`🛡️  moderator: "${post.title}" looks like spam: vetoed`));
    return ok;
  }
}

class SearchIndexer {
  readonly #index = new Map<number, string>();
  created(post: Post) {
    this.#index.set(post.id as number, post.title);
    line(`🔎 indexed #${post.id} "${post.title}" (${this.#index.size} in the index)`);
  }
  updated(post: Post) {
    this.#index.set(post.id as number, post.title);
    line(`🔎 re-indexed #${post.id} "${post.title}"`);
  }
  deleted(post: Post) {
    this.#index.delete(post.id as number);
    line(`🔎 removed #${post.id} from the index`);
  }
}

const repository = new Repository();
repository.observe(Post, new Moderator());
repository.observe(Post, new SearchIndexer());
repository.observe(Post, {
  deleting: (post) => {
    if (post.pinned) line(pc.yellow(`📌 "${post.title}" is pinned: delete vetoed`));
    return !post.pinned;
  },
});

heading("1. Saving posts: saving → creating → created → saved, or a veto");
const hello = new Post("Hello, observers");
line(`save("${hello.title}") → ${repository.save(hello)}, id ${hello.id}`);
const spam = new Post("BUY NOW: free money");
line(`save("${spam.title}") → ${repository.save(spam)}, id ${spam.id} (nothing stored)`);
hello.title = "Hello, observers (edited)";
line(`save(edited) → ${repository.save(hello)}`);
hello.title = "Buy now!";
line(`save("Buy now!") → ${repository.save(hello)}`);
line(`stored title is still "${repository.find(Post, 1)?.title}"`);

heading("2. The sender filter and dispatch_uid: one welcome mail per user");
const welcome = (user: User) => line(`📧 welcome mail to ${user.email}`);
repository.observe(User, { created: welcome }, { uid: "welcome-mail" });
// The same registration again, as when a module is imported twice: ignored thanks to the uid.
repository.observe(User, { created: welcome }, { uid: "welcome-mail" });
repository.save(new User("ada@example.com")); // the Post observers hear nothing of it

heading("3. Deleting: a pinned post stays; saveOrFail() turns a veto into an error");
const rules = new Post("House rules");
rules.pinned = true;
repository.save(rules);
line(`delete(pinned) → ${repository.delete(rules)}`);
try {
  repository.saveOrFail(new Post("Free money inside"));
} catch (error) {
  if (!(error instanceof VetoError)) throw error;
  line(pc.red(`✗ ${error.name}: ${error.message}`));
}
line(
  `posts stored: ${repository
    .all(Post)
    .map((p) => `#${p.id} "${p.title}"`)
    .join(", ")}`,
);
