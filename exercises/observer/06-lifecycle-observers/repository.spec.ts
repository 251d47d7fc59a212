import { beforeEach, describe, expect, it } from "vitest";
import { type ModelObserver, Repository } from "./repository";

class Post {
  id?: number;
  constructor(public title: string) {}
}

class User {
  id?: number;
  constructor(public name: string) {}
}

let repository: Repository;
let heard: string[];

/** An observer that writes down every event it hears, as "event:title". */
function postLogger(): ModelObserver<Post> {
  const hear = (event: string) => (post: Post) => {
    heard.push(`${event}:${post.title}`);
  };
  return {
    creating: hear("creating"),
    created: hear("created"),
    updating: hear("updating"),
    updated: hear("updated"),
    deleting: hear("deleting"),
    deleted: hear("deleted"),
  };
}

beforeEach(() => {
  repository = new Repository();
  heard = [];
});

describe("save() of a new model", () => {
  it("fires creating, then created, and stores a copy under a new id", () => {
    repository.observe(Post, postLogger());
    const post = new Post("Hello");
    expect(repository.save(post)).toBe(true);
    expect(heard).toEqual(["creating:Hello", "created:Hello"]);
    expect(post.id).toBe(1);
    expect(repository.find(Post, 1)).toEqual(post);
  });

  it("lets creating see the model without an id, and created see its new id", () => {
    const ids: (number | undefined)[] = [];
    repository.observe(Post, {
      creating: (post) => {
        ids.push(post.id);
      },
      created: (post) => {
        ids.push(post.id);
      },
    });
    repository.save(new Post("Hello"));
    expect(ids).toEqual([undefined, 1]);
  });

  it("numbers each model class from 1, and never gives an id out twice", () => {
    const first = new Post("first");
    const second = new Post("second");
    const user = new User("ada");
    repository.save(first);
    repository.save(second);
    repository.save(user);
    repository.delete(second);
    const third = new Post("third");
    repository.save(third);
    expect([first.id, second.id, user.id, third.id]).toEqual([1, 2, 1, 3]);
    expect(repository.find(Post, 1)?.title).toBe("first");
  });
});

describe("save() of a model whose id is not stored", () => {
  it("creates it under the next id of its class, not the id it came with", () => {
    const imported = new Post("imported");
    imported.id = 99;
    const next = new Post("next");

    expect(repository.save(imported)).toBe(true);
    repository.save(next);

    expect([imported.id, next.id]).toEqual([1, 2]);
    expect(repository.find(Post, 99)).toBeUndefined();
    expect(repository.find(Post, 1)?.title).toBe("imported");
  });

  it("fires creating and created, not updating and updated", () => {
    repository.observe(Post, postLogger());
    const stale = new Post("stale");
    stale.id = 7;

    repository.save(stale);

    expect(heard).toEqual(["creating:stale", "created:stale"]);
  });

  it("creates a deleted model again, under a new id", () => {
    const post = new Post("again");
    repository.save(post);
    repository.delete(post);

    repository.save(post);

    expect(post.id).toBe(2);
    expect(repository.find(Post, 1)).toBeUndefined();
    expect(repository.find(Post, 2)?.title).toBe("again");
  });
});

describe("save() of a stored model", () => {
  it("fires updating, then updated, and stores the change", () => {
    const post = new Post("Hello");
    repository.save(post);
    repository.observe(Post, postLogger());
    post.title = "Hello again";
    expect(repository.save(post)).toBe(true);
    expect(heard).toEqual(["updating:Hello again", "updated:Hello again"]);
    expect(repository.find(Post, 1)?.title).toBe("Hello again");
  });
});

describe("what the hooks see and change", () => {
  it("stores what a creating or updating hook changed on the model", () => {
    repository.observe(Post, {
      creating: (post) => {
        post.title = post.title.trim();
      },
      updating: (post) => {
        post.title = post.title.toUpperCase();
      },
    });
    const post = new Post("  Hello  ");

    repository.save(post);
    expect(repository.find(Post, 1)?.title).toBe("Hello");
    post.title = "loud";
    repository.save(post);

    expect(repository.find(Post, 1)?.title).toBe("LOUD");
  });

  it("tells the -ed observers once the change is stored: find() already shows it", () => {
    const found: (string | undefined)[] = [];
    repository.observe(Post, {
      created: (post) => found.push(repository.find(Post, post.id ?? 0)?.title),
      updated: (post) => found.push(repository.find(Post, post.id ?? 0)?.title),
      deleted: (post) => found.push(repository.find(Post, post.id ?? 0)?.title ?? "gone"),
    });
    const post = new Post("v1");

    repository.save(post);
    post.title = "v2";
    repository.save(post);
    repository.delete(post);

    expect(found).toEqual(["v1", "v2", "gone"]);
  });

  it("tells the observers of a class in the order they were registered", () => {
    const order: string[] = [];
    for (const name of ["a", "b", "c"]) {
      repository.observe(Post, {
        creating: () => {
          order.push(`${name}:creating`);
        },
        created: () => order.push(`${name}:created`),
      });
    }

    repository.save(new Post("Hello"));

    expect(order).toEqual([
      "a:creating",
      "b:creating",
      "c:creating",
      "a:created",
      "b:created",
      "c:created",
    ]);
  });
});

describe("delete()", () => {
  it("of a model that is not stored returns false and tells nobody", () => {
    repository.observe(Post, postLogger());
    const unsaved = new Post("never saved");
    const stale = new Post("stale");
    stale.id = 3;

    expect(repository.delete(unsaved)).toBe(false);
    expect(repository.delete(stale)).toBe(false);
    expect(heard).toEqual([]);
  });

  it("a second time returns false and tells nobody", () => {
    const post = new Post("once");
    repository.save(post);
    repository.observe(Post, postLogger());

    expect(repository.delete(post)).toBe(true);
    expect(repository.delete(post)).toBe(false);
    expect(heard).toEqual(["deleting:once", "deleted:once"]);
  });

  it("fires deleting, then deleted, and removes the model", () => {
    const post = new Post("Bye");
    repository.save(post);
    repository.observe(Post, postLogger());
    expect(repository.delete(post)).toBe(true);
    expect(heard).toEqual(["deleting:Bye", "deleted:Bye"]);
    expect(repository.find(Post, 1)).toBeUndefined();
  });
});

describe("the sender filter", () => {
  it("tells observers only about models of the class they observe", () => {
    repository.observe(Post, postLogger());
    repository.observe(User, { created: (user) => heard.push(`user created:${user.name}`) });
    repository.save(new User("ada"));
    repository.save(new Post("Hello"));
    expect(heard).toEqual(["user created:ada", "creating:Hello", "created:Hello"]);
  });
});

describe("a veto", () => {
  it("from creating: save() returns false, no created event, nothing stored, no id", () => {
    repository.observe(Post, { creating: (post) => post.title !== "" });
    repository.observe(Post, { created: (post) => heard.push(`created:${post.title}`) });
    const untitled = new Post("");
    expect(repository.save(untitled)).toBe(false);
    expect(heard).toEqual([]);
    expect(untitled.id).toBeUndefined();
    expect(repository.find(Post, 1)).toBeUndefined();
  });

  it("from updating: save() returns false and the stored model stays as it was", () => {
    const post = new Post("Original");
    repository.save(post);
    repository.observe(Post, { updating: (p) => p.title !== "" });
    repository.observe(Post, { updated: (p) => heard.push(`updated:${p.title}`) });
    post.title = "";
    expect(repository.save(post)).toBe(false);
    expect(heard).toEqual([]);
    expect(repository.find(Post, 1)?.title).toBe("Original");
  });

  it("from deleting: delete() returns false, no deleted event, the model stays", () => {
    const post = new Post("Keep me");
    repository.save(post);
    repository.observe(Post, { deleting: () => false });
    repository.observe(Post, { deleted: (p) => heard.push(`deleted:${p.title}`) });
    expect(repository.delete(post)).toBe(false);
    expect(heard).toEqual([]);
    expect(repository.find(Post, 1)?.title).toBe("Keep me");
  });

  it("stops the asking: the -ing observers after the first veto are not asked", () => {
    const asked: string[] = [];
    repository.observe(Post, {
      creating: () => {
        asked.push("first");
      },
    });
    repository.observe(Post, {
      creating: () => {
        asked.push("moderator");
        return false;
      },
    });
    repository.observe(Post, {
      creating: () => {
        asked.push("last");
      },
      created: () => asked.push("created"),
    });

    expect(repository.save(new Post("spam"))).toBe(false);
    expect(asked).toEqual(["first", "moderator"]);
  });

  it("costs no id: the next save that goes through gets id 1", () => {
    let open = false;
    repository.observe(Post, { creating: () => open });
    const post = new Post("Hello");

    expect(repository.save(post)).toBe(false);
    open = true;
    expect(repository.save(post)).toBe(true);

    expect(post.id).toBe(1);
    expect(repository.find(Post, 1)?.title).toBe("Hello");
  });

  it("is only for this change: the next save or delete goes through", () => {
    const post = new Post("Original");
    repository.save(post);
    let vetoes = 1;
    repository.observe(Post, {
      updating: () => (vetoes-- > 0 ? false : undefined),
      deleting: () => (vetoes-- > 0 ? false : undefined),
    });

    post.title = "Changed";
    expect(repository.save(post)).toBe(false);
    expect(repository.save(post)).toBe(true);
    expect(repository.find(Post, 1)?.title).toBe("Changed");
    vetoes = 1;
    expect(repository.delete(post)).toBe(false);
    expect(repository.delete(post)).toBe(true);
    expect(repository.find(Post, 1)).toBeUndefined();
  });

  it.each([
    ["0", 0],
    ['""', ""],
    ["null", null],
    ["undefined", undefined],
    ["NaN", Number.NaN],
    ['"false"', "false"],
  ])("is not %s: only the boolean false vetoes", (_, verdict) => {
    repository.observe(Post, {
      creating: () => verdict as unknown as boolean,
      updating: () => verdict as unknown as boolean,
      deleting: () => verdict as unknown as boolean,
    });
    const post = new Post("Hello");

    expect(repository.save(post)).toBe(true);
    expect(repository.save(post)).toBe(true);
    expect(repository.delete(post)).toBe(true);
  });

  it("is only `false`: an observer that returns nothing lets the change through", () => {
    repository.observe(Post, postLogger()); // its hooks return nothing
    expect(repository.save(new Post("Hello"))).toBe(true);
    expect(repository.find(Post, 1)?.title).toBe("Hello");
  });
});

describe("observe()", () => {
  it("calls an observer's methods with the observer as this", () => {
    class WelcomeMailer {
      readonly sent: string[] = [];
      created(user: User) {
        this.sent.push(`welcome, ${user.name}`);
      }
    }
    const mailer = new WelcomeMailer();
    repository.observe(User, mailer);
    repository.save(new User("ada"));
    repository.save(new User("grace"));
    expect(mailer.sent).toEqual(["welcome, ada", "welcome, grace"]);
  });

  it("calls veto hooks of a class observer with the observer as this", () => {
    class Moderator {
      readonly banned = new Set(["spam"]);
      readonly seen: string[] = [];
      creating(post: Post) {
        this.seen.push(post.title);
        return !this.banned.has(post.title);
      }
      deleting(post: Post) {
        return this.seen.includes(post.title) ? undefined : false;
      }
    }
    const moderator = new Moderator();
    repository.observe(Post, moderator);
    const ok = new Post("ok");

    expect(repository.save(new Post("spam"))).toBe(false);
    expect(repository.save(ok)).toBe(true);
    expect(repository.delete(ok)).toBe(true);
    expect(moderator.seen).toEqual(["spam", "ok"]);
  });

  it("lets one observer object observe two classes, each of them once", () => {
    const events: string[] = [];
    const audit = {
      created: (model: Post | User) => events.push(model.constructor.name),
    };
    repository.observe(Post, audit);
    repository.observe(User, audit);
    repository.observe(User, audit);

    repository.save(new Post("Hello"));
    repository.save(new User("ada"));

    expect(events).toEqual(["Post", "User"]);
  });

  it("registers an observer once per class, however often it is observed", () => {
    const logger = postLogger();
    repository.observe(Post, logger);
    repository.observe(Post, logger);
    repository.save(new Post("Hello"));
    expect(heard).toEqual(["creating:Hello", "created:Hello"]);
  });
});

describe("find() of a class that has no rows", () => {
  it("returns undefined, while another class's saved model is found", () => {
    const post = new Post("Hello");
    expect(repository.save(post)).toBe(true);
    expect(repository.find(User, 1)).toBeUndefined();
    expect(repository.find(Post, 1)).toEqual(post);
  });
});
