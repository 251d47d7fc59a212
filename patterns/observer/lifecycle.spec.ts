import { beforeEach, describe, expect, it, vi } from "vitest";
import { hostileValues, thrownBy } from "../../kata/spec-helpers";
import { type ModelObserver, Repository, VetoError } from "./lifecycle";
import type { ObserverError } from "./subject";

/** A Proxy revoked at once: reading anything of it throws. */
function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

class Post {
  id?: number;
  constructor(public title: string) {}
}

class User {
  id?: number;
  constructor(public name: string) {}
}

class DraftPost extends Post {}

/** An observer that records every event it hears as "event:title". */
function recorder(log: string[]): ModelObserver<Post> {
  const note = (event: string) => (post: Post) => {
    log.push(`${event}:${post.title}`);
  };
  return {
    saving: note("saving"),
    creating: note("creating"),
    updating: note("updating"),
    created: note("created"),
    updated: note("updated"),
    saved: note("saved"),
    deleting: note("deleting"),
    deleted: note("deleted"),
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

let repository: Repository;
let log: string[];

beforeEach(() => {
  repository = new Repository();
  log = [];
});

describe("save() and delete() fire lifecycle events", () => {
  beforeEach(() => {
    repository.observe(Post, recorder(log));
  });

  it("fires saving, creating, created, saved for a new model, and assigns it an id", () => {
    const post = new Post("Hello");
    expect(repository.save(post)).toBe(true);
    expect(log).toEqual(["saving:Hello", "creating:Hello", "created:Hello", "saved:Hello"]);
    expect(post.id).toBe(1);
    expect(repository.find(Post, 1)).toEqual(post);
  });

  it("fires saving, updating, updated, saved for a stored model", () => {
    const post = new Post("Hello");
    repository.save(post);
    log.length = 0;
    post.title = "Hello again";
    repository.save(post);
    expect(log).toEqual([
      "saving:Hello again",
      "updating:Hello again",
      "updated:Hello again",
      "saved:Hello again",
    ]);
    expect(repository.find(Post, 1)?.title).toBe("Hello again");
  });

  it("creates a model whose id is set but not stored, keeping the id", () => {
    const post = Object.assign(new Post("Imported"), { id: 7 });
    repository.save(post);
    expect(log).toContain("creating:Imported");
    expect(repository.find(Post, 7)?.title).toBe("Imported");
    const next = new Post("Next");
    repository.save(next);
    expect(next.id).toBe(8);
  });

  it("fires deleting, deleted and removes the model", () => {
    const post = new Post("Bye");
    repository.save(post);
    log.length = 0;
    expect(repository.delete(post)).toBe(true);
    expect(log).toEqual(["deleting:Bye", "deleted:Bye"]);
    expect(repository.find(Post, 1)).toBeUndefined();
  });

  it("fires nothing and returns false when deleting a model that is not stored", () => {
    expect(repository.delete(new Post("Ghost"))).toBe(false);
    expect(log).toEqual([]);
  });

  it("lets the created observer see the new id", () => {
    const ids: (number | undefined)[] = [];
    repository.observe(Post, {
      creating: (post) => {
        ids.push(post.id);
      },
      created: (post) => {
        ids.push(post.id);
      },
    });
    repository.save(new Post("x"));
    expect(ids).toEqual([undefined, 1]);
  });
});

describe("the sender filter", () => {
  it("tells an observer only about models of its class", () => {
    repository.observe(Post, recorder(log));
    repository.save(new User("ada"));
    expect(log).toEqual([]);
  });

  it("does not tell a class's observers about a subclass's models (like Django's sender)", () => {
    repository.observe(Post, recorder(log));
    repository.save(new DraftPost("draft"));
    expect(log).toEqual([]);
    expect(repository.find(DraftPost, 1)).toBeInstanceOf(DraftPost);
  });

  it("numbers each class's models separately", () => {
    const post = new Post("p");
    const user = new User("u");
    repository.save(post);
    repository.save(user);
    expect([post.id, user.id]).toEqual([1, 1]);
  });
});

describe("vetoes", () => {
  it.each(["saving", "creating"] as const)(
    "a %s observer returning false vetoes a create: nothing stored, no -ed event",
    (event) => {
      repository.observe(Post, { [event]: () => false });
      repository.observe(Post, recorder(log));
      const post = new Post("Spam");
      expect(repository.save(post)).toBe(false);
      expect(post.id).toBeUndefined();
      expect(repository.all(Post)).toEqual([]);
      expect(log.filter((e) => /ed:/.test(e))).toEqual([]);
    },
  );

  it("an updating veto keeps the stored model as it was", () => {
    const post = new Post("Original");
    repository.save(post);
    repository.observe(Post, { updating: (p) => p.title !== "" });
    post.title = "";
    expect(repository.save(post)).toBe(false);
    expect(repository.find(Post, 1)?.title).toBe("Original");
  });

  it("a deleting veto keeps the model", () => {
    const post = new Post("Keep me");
    repository.save(post);
    repository.observe(Post, { deleting: () => false, deleted: () => log.push("deleted") });
    expect(repository.delete(post)).toBe(false);
    expect(repository.find(Post, 1)?.title).toBe("Keep me");
    expect(log).toEqual([]);
  });

  it("ends the -ing round at the veto: later -ing observers are not told", () => {
    repository.observe(Post, { creating: () => false });
    repository.observe(Post, recorder(log));
    repository.save(new Post("x"));
    expect(log).toEqual(["saving:x"]);
  });

  it("does not count a falsy result other than false as a veto", () => {
    repository.observe(Post, {
      creating: () => undefined,
      saving: () => 0 as unknown as boolean,
    });
    expect(repository.save(new Post("ok"))).toBe(true);
  });

  it("saveOrFail() throws a VetoError naming the event, the model and the observer", () => {
    class Moderator {
      creating(post: Post) {
        return post.title !== "Spam";
      }
    }
    const moderator = new Moderator();
    repository.observe(Post, moderator);
    const post = new Post("Spam");
    const error = thrown(() => repository.saveOrFail(post)) as VetoError;
    expect(error).toBeInstanceOf(VetoError);
    expect(error.name).toBe("VetoError");
    expect(error.event).toBe("creating");
    expect(error.model).toBe(post);
    expect(error.observer).toBe(moderator);
    expect(error.message).toBe(
      "Post (new): Moderator.creating() vetoed the save; nothing was changed",
    );
  });

  it("saveOrFail() saves quietly when nobody vetoes", () => {
    const post = new Post("fine");

    repository.saveOrFail(post);

    expect(repository.find(Post, 1)?.title).toBe("fine");
  });

  it.each([
    ["no prototype", () => Object.create(null) as object],
    ["a prototype without a constructor", () => Object.create(Object.create(null)) as object],
  ])("names a model of an anonymous class, and an observer with %s, generically", (_what, bare) => {
    const Anonymous = (() => class {})() as new () => { id?: number };
    repository.observe(Anonymous, Object.assign(bare(), { creating: () => false }));

    expect(() => repository.saveOrFail(new Anonymous())).toThrow(
      "model (new): observer.creating() vetoed the save; nothing was changed",
    );
  });

  it("deleteOrFail() throws a VetoError on a veto and a RangeError for a missing model", () => {
    const post = new Post("x");
    repository.save(post);
    const stop = repository.observe(Post, { deleting: () => false });
    const error = thrown(() => repository.deleteOrFail(post));
    expect(error).toBeInstanceOf(VetoError);
    expect((error as VetoError).message).toBe(
      "Post #1: observer.deleting() vetoed the delete; nothing was changed",
    );
    stop();
    repository.deleteOrFail(post);
    expect(() => repository.deleteOrFail(post)).toThrow(
      new RangeError("Post #1 is not stored, so it cannot be deleted"),
    );
  });
});

describe("failing observers", () => {
  it("runs every -ing observer, then throws, and cancels the change", () => {
    repository.observe(Post, {
      creating: () => {
        throw new Error("index down");
      },
    });
    repository.observe(Post, recorder(log));
    const post = new Post("x");
    const error = thrown(() => repository.save(post)) as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.message).toBe("Post (new): 1 creating observer(s) failed; nothing was changed");
    const [failure] = error.errors as ObserverError<object>[];
    expect(failure?.message).toBe("observer { … }.creating() threw: index down");
    expect(log).toEqual(["saving:x", "creating:x"]);
    expect(repository.all(Post)).toEqual([]);
  });

  it("runs every -ed observer, then throws, and keeps the change", () => {
    repository.observe(Post, {
      created: () => {
        throw new Error("mail down");
      },
      saved: () => {
        throw new Error("cache down");
      },
    });
    repository.observe(Post, recorder(log));
    const error = thrown(() => repository.save(new Post("x"))) as AggregateError;
    expect(error.message).toBe(
      "Post #1: 2 observer(s) failed after created and saved; the change was kept",
    );
    expect((error.errors as Error[]).map((e) => e.message)).toEqual([
      "observer { … }.created() threw: mail down",
      "observer { … }.saved() threw: cache down",
    ]);
    expect(log).toEqual(["saving:x", "creating:x", "created:x", "saved:x"]);
    expect(repository.find(Post, 1)?.title).toBe("x");
  });
});

describe("observe()", () => {
  it("calls hooks with the observer as this", () => {
    class Counter {
      count = 0;
      created() {
        this.count++;
      }
    }
    const counter = new Counter();
    repository.observe(Post, counter);
    repository.save(new Post("a"));
    expect(counter.count).toBe(1);
  });

  it("registers the same observer object once per class", () => {
    const observer = recorder(log);
    repository.observe(Post, observer);
    repository.observe(Post, observer);
    repository.save(new Post("x"));
    expect(log.filter((e) => e.startsWith("created"))).toEqual(["created:x"]);
  });

  it("ignores a second registration under the same uid (like dispatch_uid)", () => {
    repository.observe(Post, { created: () => log.push("first") }, { uid: "welcome-mail" });
    repository.observe(Post, { created: () => log.push("second") }, { uid: "welcome-mail" });
    repository.observe(User, { created: () => log.push("user") }, { uid: "welcome-mail" });
    repository.save(new Post("x"));
    repository.save(new User("y"));
    expect(log).toEqual(["first", "user"]);
  });

  it("registers different observers of one class side by side, with or without uids", () => {
    repository.observe(Post, { created: () => log.push("first") }, { uid: "mail" });
    repository.observe(Post, { created: () => log.push("second") }, { uid: "search" });
    repository.observe(Post, { created: () => log.push("third") });

    repository.save(new Post("x"));

    expect(log).toEqual(["first", "second", "third"]);
  });

  it("returns the first registration's remover for a duplicate, which removes it", () => {
    const observer = { created: () => log.push("created") };
    repository.observe(Post, observer);
    const stop = repository.observe(Post, observer);

    expect(stop()).toBe(true);
    repository.save(new Post("x"));

    expect(log).toEqual([]);
  });

  it("removes one registration and keeps the others", () => {
    const stop = repository.observe(Post, { created: () => log.push("removed") });
    repository.observe(Post, { created: () => log.push("kept") });
    repository.observe(Post, { created: () => log.push("kept too") });

    stop();
    repository.save(new Post("x"));

    expect(log).toEqual(["kept", "kept too"]);
  });

  it("registers an observer again once it was removed", () => {
    const observer = { created: () => log.push("created") };
    repository.observe(Post, observer)();

    repository.observe(Post, observer);
    repository.save(new Post("x"));

    expect(log).toEqual(["created"]);
  });

  it.each(["updated", "saved", "deleted"] as const)(
    "accepts an observer with %s() as its only lifecycle method",
    (event) => {
      expect(() => repository.observe(Post, { [event]: () => {} })).not.toThrow();
    },
  );

  it("returns a function that removes the registration", () => {
    const stop = repository.observe(Post, { created: () => log.push("created") });
    expect(stop()).toBe(true);
    expect(stop()).toBe(false);
    repository.save(new Post("x"));
    expect(log).toEqual([]);
  });

  it("skips an observer removed during the same event round", () => {
    let stopSecond: () => boolean = () => false;
    repository.observe(Post, { created: () => stopSecond() });
    stopSecond = repository.observe(Post, { created: () => log.push("second") });
    repository.save(new Post("x"));
    expect(log).toEqual([]);
  });

  it.each([
    [null, "`observer` must be an object with lifecycle methods, got null"],
    [
      {},
      "`observer` must be an object with at least one lifecycle method (saving(), creating(), " +
        "updating(), created(), updated(), saved(), deleting(), deleted()), got an object",
    ],
    [() => {}, "`observer` must be an object with lifecycle methods, got a function"],
    [42, "`observer` must be an object with lifecycle methods, got 42"],
    [{ created: "yes" }, '`observer.created` must be a function, got "yes"'],
  ])("rejects the observer %o with a TypeError", (observer, message) => {
    expect(() => repository.observe(Post, observer as ModelObserver<Post>)).toThrow(TypeError);
    expect(() => repository.observe(Post, observer as ModelObserver<Post>)).toThrow(message);
  });

  it("rejects a model class that is not a function", () => {
    expect(() => repository.observe("Post" as unknown as typeof Post, { created() {} })).toThrow(
      new TypeError('`modelClass` must be a class, got "Post"'),
    );
  });

  it("rejects a uid that is not a string", () => {
    expect(() =>
      repository.observe(Post, { created() {} }, { uid: 1 as unknown as string }),
    ).toThrow(new TypeError("`options.uid` must be a string, got 1"));
  });

  it("rejects null options by name", () => {
    expect(() => repository.observe(Post, { created() {} }, null as never)).toThrow(
      new TypeError("`options` must be an object, got null"),
    );
  });

  it("rejects primitive options by name", () => {
    expect(() => repository.observe(Post, { created() {} }, 42 as never)).toThrow(
      new TypeError("`options` must be an object, got 42"),
    );
  });

  it("rejects options whose uid cannot be read, by name", () => {
    const options = {
      get uid(): string {
        throw new Error("uid getter");
      },
    };
    expect(() => repository.observe(Post, { created() {} }, options)).toThrow(
      new TypeError("`options` must be an object whose properties can be read, got an object"),
    );
  });

  it("rejects an observer whose methods cannot be read, by name", () => {
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(() => repository.observe(Post, revocable.proxy as never)).toThrow(
      new TypeError(
        "`observer` must be an object whose lifecycle methods can be read, got an unreadable value",
      ),
    );
  });
});

describe("storage", () => {
  it("stores copies: changing a model after save changes nothing stored", () => {
    const post = new Post("Saved");
    repository.save(post);
    post.title = "Not saved";
    expect(repository.find(Post, 1)?.title).toBe("Saved");
  });

  it("returns a fresh copy of the model's class from find() and all()", () => {
    repository.save(new Post("b"));
    repository.save(new Post("a"));
    const found = repository.find(Post, 1);
    expect(found).toBeInstanceOf(Post);
    expect(found).not.toBe(repository.find(Post, 1));
    expect(repository.all(Post).map((p) => p.title)).toEqual(["b", "a"]);
  });

  it.each([
    [null, "`model` must be an object, got null"],
    [5, "`model` must be an object, got 5"],
    [Object.create(null), "`model` must be an instance of a model class, got an object"],
  ])("rejects the model %o with a TypeError", (model, message) => {
    expect(() => repository.save(model)).toThrow(new TypeError(message));
  });

  it("rejects a model it cannot read (a revoked Proxy) with a TypeError", () => {
    expect(() => repository.save(revoked())).toThrow(
      new TypeError("`model` must be an instance of a model class, got an unreadable value"),
    );
  });

  it("finds nothing, and lists nothing, for a class with nothing stored", () => {
    expect(repository.find(User, 1)).toBeUndefined();
    expect(repository.all(User)).toEqual([]);
    expect(repository.delete(Object.assign(new User("ghost"), { id: 1 }))).toBe(false);
  });

  it("lists models in id order, whatever order they were saved in", () => {
    for (const id of [5, 2, 9]) repository.save(Object.assign(new Post(`#${id}`), { id }));
    repository.save(new Post("next"));

    expect(repository.all(Post).map((p) => p.id)).toEqual([2, 5, 9, 10]);
  });

  it("rejects an id that is not an integer", () => {
    expect(() => repository.save(Object.assign(new Post("x"), { id: 1.5 }))).toThrow(
      new TypeError("`model.id` must be an integer or undefined, got 1.5"),
    );
  });
});

describe("hostile thrown values", () => {
  it.each(hostileValues())(
    "an observer throwing %s is reported once, and every other observer still runs",
    (_label, value) => {
      const calls: string[] = [];
      const throwing = (event: string) => () => {
        calls.push(event);
        throw value;
      };
      repository.observe(Post, { saving: throwing("saving") });
      repository.observe(Post, { saving: () => void calls.push("saving 2") });
      const error = thrownBy(() => repository.save(new Post("x"))) as AggregateError;

      expect(calls).toEqual(["saving", "saving 2"]);
      expect(error).toBeInstanceOf(AggregateError);
      expect(error.errors).toHaveLength(1);
      expect((error.errors[0] as ObserverError).cause).toBe(value);
      expect(error.message).toBe("Post (new): 1 saving observer(s) failed; nothing was changed");
      expect(repository.all(Post)).toEqual([]);
    },
  );

  it.each(hostileValues())(
    "a completed-event observer throwing %s leaves the change in place and the others called",
    (_label, value) => {
      const after = vi.fn();
      repository.observe(Post, {
        created: () => {
          throw value;
        },
      });
      repository.observe(Post, { created: after, saved: after });
      const error = thrownBy(() => repository.save(new Post("x"))) as AggregateError;

      expect(after).toHaveBeenCalledTimes(2);
      expect(error.errors).toHaveLength(1);
      expect((error.errors[0] as ObserverError).message).toMatch(/^observer .*created\(\) threw: /);
      expect(repository.all(Post)).toHaveLength(1);
    },
  );

  it("describes a model whose class name cannot be read", () => {
    class Hostile {
      id?: number;
    }
    Object.defineProperty(Hostile, "name", {
      get() {
        throw new Error("no name");
      },
    });
    repository.observe(Hostile, { saving: () => false });
    expect(thrownBy(() => repository.saveOrFail(new Hostile())).message).toBe(
      "a model: observer.saving() vetoed the save; nothing was changed",
    );
  });
});
