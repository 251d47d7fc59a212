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

describe("delete()", () => {
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

  it("registers an observer once per class, however often it is observed", () => {
    const logger = postLogger();
    repository.observe(Post, logger);
    repository.observe(Post, logger);
    repository.save(new Post("Hello"));
    expect(heard).toEqual(["creating:Hello", "created:Hello"]);
  });
});
