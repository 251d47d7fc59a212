// Mistake: the lifetime is accepted but ignored; every instance is kept. A transient service (a
// unit of work, a request context) is then shared by everyone who resolves it.
// Caught by "is built anew on every resolve".
import {
  Container as AnswerKeyContainer,
  type Factory,
  type Lifetime,
  type Token,
} from "../container";

export {
  CircularDependencyError,
  type Factory,
  type Lifetime,
  type Token,
  token,
  UnknownServiceError,
} from "../container";

export class Container extends AnswerKeyContainer {
  override register<T>(token: Token<T>, factory: Factory<T>, _lifetime?: Lifetime): this {
    return super.register(token, factory, "singleton");
  }
}
