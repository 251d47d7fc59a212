// Mistake: a once handler is removed after it runs. If it publishes its own topic meanwhile,
// the nested publish still finds it and calls it again. Caught by "is not called twice when it
// publishes its own topic again".
import { PriorityBroker as Answer, type Handler, type SubscribeOptions } from "../priority-broker";

export type { Handler, SubscribeOptions } from "../priority-broker";

export class PriorityBroker extends Answer {
  override subscribe(
    topic: string,
    handler: Handler,
    options: SubscribeOptions = {},
  ): () => boolean {
    if (!options.once) return super.subscribe(topic, handler, options);
    const unsubscribe = super.subscribe(
      topic,
      (payload) => {
        handler(payload);
        unsubscribe();
      },
      { ...options, once: false },
    );
    return unsubscribe;
  }
}
