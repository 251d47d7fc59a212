// qlobber ships no type declarations: this covers the part of its API the benchmarks use.
declare module "qlobber" {
  /** Options of a Qlobber (see its README); the benchmarks configure MQTT-style wildcards. */
  export interface QlobberOptions {
    separator?: string;
    wildcard_one?: string;
    wildcard_some?: string;
    match_empty_levels?: boolean;
    cache_adds?: boolean;
    cache_splits?: number;
    max_words?: number;
    max_wildcard_somes?: number;
  }

  /** A trie of topic patterns mapped to values. */
  export class Qlobber<V = unknown> {
    constructor(options?: QlobberOptions);
    add(topic: string, value: V): this;
    remove(topic: string, value?: V): this;
    match(topic: string): V[];
    test(topic: string, value: V): boolean;
    clear(): this;
  }
}
