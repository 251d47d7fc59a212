/**
 * Turns measurements into what `npm run bench` shows: ratios, the three targets, the terminal
 * table and the Markdown page. Pure functions of a {@link BenchReport}, nothing measured here.
 *
 * @module
 */
import { isOurs, OURS } from "./cases";
import type { ChurnResult, MemoryReport, RetainedResult } from "./memory";

/** Where and when a run happened. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly os: string;
  readonly date: string;
  /** 1, 5 and 15-minute load averages at the start and at the end of the run. */
  readonly loadBefore: readonly number[];
  /** The 1-minute load average, every 5 s during the run. */
  readonly loadDuring: readonly number[];
  readonly loadAfter: readonly number[];
  readonly library: Readonly<Record<string, string>>;
}

/** One contender's speed in one case. */
export interface SpeedResult {
  readonly name: string;
  readonly ours: boolean;
  readonly opsPerSecond: number;
  /** Relative margin of error of the mean, in percent (tinybench's `rme`). */
  readonly rme: number;
  /** Timed calls of the bench function, each of `opsPerCall` operations. */
  readonly samples: number;
  /** `opsPerSecond` divided by the fastest peer's (not ours). */
  readonly ratioToFastestPeer: number;
}

/** One case of the speed table. */
export interface SpeedCaseResult {
  readonly id: string;
  readonly title: string;
  readonly opsPerCall: number;
  readonly fastestPeer: string;
  readonly results: readonly SpeedResult[];
}

/** One of the issue's targets, checked. */
export interface Target {
  readonly name: string;
  readonly met: boolean;
  readonly figures: string;
}

/** Everything a run produced: what `bench.json` holds. */
export interface BenchReport {
  readonly machine: Machine;
  readonly wallSeconds: number;
  readonly speed: readonly SpeedCaseResult[];
  readonly memory: MemoryReport | undefined;
  readonly targets: readonly Target[];
}

/** A raw vitest result: calls of the bench function per second (median), for one contender. */
export interface RawSpeed {
  readonly name: string;
  readonly hz: number;
  readonly rme: number;
  readonly samples: number;
}

/** Ops/s from calls/s, and every contender's ratio to the fastest peer of its case. */
export function speedCase(
  id: string,
  title: string,
  opsPerCall: number,
  raw: readonly RawSpeed[],
): SpeedCaseResult {
  const peers = raw.filter((r) => !isOurs(r.name));
  const fastest = peers.reduce<RawSpeed | undefined>(
    (best, r) => (best === undefined || r.hz > best.hz ? r : best),
    undefined,
  );
  const ours = raw.filter((r) => isOurs(r.name));
  const others = [...peers].sort((a, b) => b.hz - a.hz);
  return {
    id,
    title,
    opsPerCall,
    fastestPeer: fastest?.name ?? "",
    results: [...ours, ...others].map((r) => ({
      name: r.name,
      ours: isOurs(r.name),
      opsPerSecond: r.hz * opsPerCall,
      rme: r.rme,
      samples: r.samples,
      ratioToFastestPeer: fastest === undefined ? Number.NaN : r.hz / fastest.hz,
    })),
  };
}

/**
 * Why a target is not met, where we know: shown beside it, so that "not met" is never a bare word.
 * Each is a fact about what the two sides do differently, not an excuse for slow code.
 */
const REASONS: Readonly<Record<string, string>> = {
  once: "tseep's once() stores a lone listener in a slot of its own and returns nothing; ours returns a detacher (an allocation per call), keeps the observer's place in attach order and runs a full round (recursion guard, exception isolation, sweep of the detached entry)",
  churn:
    "attach() validates its arguments, checks for a duplicate and returns a detacher (a closure allocated per call), where the peers' on() push the listener and return nothing or the emitter",
  publish:
    "Broker.publish builds what the others do not: a frozen message with an id, a timestamp and a correlation id, run inside an AsyncLocalStorage context so that handlers' awaits keep it",
  notify:
    "with one trivial observer, what is left of notify() is its recursion guard (one read, two writes per round), which tseep does not have",
  leave: "",
};

/** The issue's targets, from whatever the run measured (a partial run checks fewer). */
export function checkTargets(
  speed: readonly SpeedCaseResult[],
  memory: MemoryReport | undefined,
): Target[] {
  const targets: Target[] = [];
  const result = (id: string, name: string) =>
    speed.find((c) => c.id === id)?.results.find((r) => r.name === name);
  const peerOf = (id: string) => speed.find((c) => c.id === id)?.fastestPeer ?? "";
  const push = (name: string, met: boolean, figures: string, why: string) =>
    targets.push({
      name,
      met,
      figures: met || why === "" ? figures : `${figures}. Not met, because ${why}`,
    });

  const subject = `Subject${OURS}`;
  const notify = ["notify-10", "notify-100"].map((id) => ({ id, r: result(id, subject) }));
  if (notify.every(({ r }) => r !== undefined)) {
    const one = result("notify-1", subject);
    push(
      "sync notify ≥ 0.9× the fastest peer, with 10 and 100 observers (1 observer reported)",
      notify.every(({ r }) => (r as SpeedResult).ratioToFastestPeer >= 0.9),
      [
        ...(one ? [`notify-1: ${ratio(one.ratioToFastestPeer)} of ${peerOf("notify-1")}`] : []),
        ...notify.map(
          ({ id, r }) => `${id}: ${ratio((r as SpeedResult).ratioToFastestPeer)} of ${peerOf(id)}`,
        ),
      ].join("; "),
      REASONS.notify as string,
    );
  }

  for (const [id, aim, name] of [
    ["once", 0.5, "once ≥ 0.5× the fastest peer"],
    ["churn", 0.8, "subscribe + unsubscribe ≥ 0.8× the fastest peer"],
  ] as const) {
    const r = result(id, subject);
    if (r === undefined) continue;
    push(
      name,
      r.ratioToFastestPeer >= aim,
      `${ratio(r.ratioToFastestPeer)} of ${peerOf(id)} (${ops(r.opsPerSecond)} ops/s)`,
      REASONS[id] as string,
    );
  }

  const publish = result("publish-10000", `Broker.publish${OURS}`);
  const qlobber = result("publish-10000", "qlobber");
  if (publish !== undefined && qlobber !== undefined) {
    const toQlobber = publish.opsPerSecond / qlobber.opsPerSecond;
    const trie = result("publish-10000", `TopicTrie.match${OURS}`);
    const trieFigure = trie
      ? `; TopicTrie.match alone ${ratio(trie.opsPerSecond / qlobber.opsPerSecond)}`
      : "";
    push(
      "Broker.publish among 10 000 wildcard subscriptions ≥ 0.8× qlobber, both matching and delivering",
      toQlobber >= 0.8,
      `${ratio(toQlobber)} (${ops(publish.opsPerSecond)} against ${ops(qlobber.opsPerSecond)} ops/s)${trieFigure}`,
      REASONS.publish as string,
    );
  }

  // Constant time per member: a room twice as big may not cost much more per member.
  const leave = [`Subject${OURS}`, `Broker${OURS}`].flatMap((name) => {
    const small = result("leave-20000", name);
    const large = result("leave-40000", name);
    return small && large
      ? [{ name, perMember: small.opsPerSecond / large.opsPerSecond, large }]
      : [];
  });
  if (leave.length > 0) {
    push(
      "20 000 and 40 000 members leave in constant time per member (time per member at 40 000 within 1.5× of 20 000)",
      leave.every((l) => l.perMember <= 1.5),
      leave
        .map(
          (l) =>
            `${plain(l.name)}: ${ops(l.large.opsPerSecond)} members/s at 40 000, ${l.perMember.toFixed(2)}× the time per member at 20 000`,
        )
        .join("; "),
      REASONS.leave as string,
    );
  }

  const churn = memory?.churn.filter((c) => isOurs(c.name)) ?? [];
  if (churn.length > 0) {
    push(
      "heap growth after churn under 1 MB",
      churn.every((c) => c.growthBytes < 1_000_000),
      churn.map((c) => `${plain(c.name)}: ${bytes(c.growthBytes)}`).join("; "),
      "",
    );
  }
  return targets;
}

// ─── numbers ────────────────────────────────────────────────────────────────────────────────

/** Operations per second, three significant digits: `12.3 M`, `456 k`. */
export function ops(value: number): string {
  if (!Number.isFinite(value)) return "–";
  for (const [scale, unit] of [
    [1e9, " G"],
    [1e6, " M"],
    [1e3, " k"],
  ] as const) {
    if (Math.abs(value) >= scale) return `${(value / scale).toPrecision(3)}${unit}`;
  }
  return value.toPrecision(3);
}

/** A byte count, signed: a negative heap growth is the collector's noise, shown as it is. */
export function bytes(value: number): string {
  const sign = value < 0 ? "−" : "";
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${sign}${(abs / 1e6).toFixed(2)} MB`;
  if (abs >= 1e3) return `${sign}${(abs / 1e3).toFixed(1)} kB`;
  return `${sign}${abs.toFixed(0)} B`;
}

/** A ratio to the fastest peer: `0.93×`. */
export const ratio = (value: number): string =>
  Number.isFinite(value) ? `${value.toFixed(2)}×` : "–";

/** A contender's name without the " (ours)" marker. */
const plain = (name: string): string => (isOurs(name) ? name.slice(0, -OURS.length) : name);

/** A contender's name as the tables show it: ours starred. */
const shown = (name: string): string => (isOurs(name) ? `★ ${plain(name)} (ours)` : name);

// ─── terminal ───────────────────────────────────────────────────────────────────────────────

function columns(rows: readonly (readonly string[])[], right: readonly boolean[]): string {
  const widths = (rows[0] as readonly string[]).map((_, i) =>
    Math.max(...rows.map((row) => [...(row[i] as string)].length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const pad = " ".repeat((widths[i] as number) - [...cell].length);
          return right[i] ? pad + cell : cell + pad;
        })
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The whole report as plain text, for the terminal. */
export function consoleReport(report: BenchReport): string {
  const out: string[] = [];
  const header = ["", "ops/s", "±", "× fastest peer"];
  for (const c of report.speed) {
    out.push(`\n${c.title}`);
    const rows = c.results.map((r) => [
      `  ${shown(r.name)}`,
      ops(r.opsPerSecond),
      `${r.rme.toFixed(1)}%`,
      ratio(r.ratioToFastestPeer),
    ]);
    out.push(columns([header, ...rows], [false, true, true, true]));
  }
  if (report.memory !== undefined) {
    const { churn, retained } = report.memory;
    out.push(`\nheap growth after subscribe/unsubscribe churn (a new observer each cycle)`);
    out.push(
      columns(
        [
          ["", "cycles", "heap growth", "ns/cycle"],
          ...churn.map((c) => [
            `  ${shown(c.name)}`,
            c.cycles.toLocaleString("en"),
            bytes(c.growthBytes),
            c.nsPerCycle.toFixed(0),
          ]),
        ],
        [false, true, true, true],
      ),
    );
    out.push(`\nretained heap per live subscription`);
    out.push(
      columns(
        [
          ["", "live", "bytes each", "subscribe all"],
          ...retained.map((r) => [
            `  ${shown(r.name)}`,
            r.live.toLocaleString("en"),
            r.bytesPerSubscription.toFixed(0),
            `${r.subscribeMs.toFixed(1)} ms`,
          ]),
        ],
        [false, true, true, true],
      ),
    );
  }
  if (report.targets.length > 0) {
    out.push("\ntargets");
    for (const t of report.targets) {
      out.push(`  ${t.met ? "MET    " : "NOT MET"}  ${t.name}\n           ${t.figures}`);
    }
  }
  const m = report.machine;
  out.push(
    `\n${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.os}; ${loadSummary(m)}; ${report.wallSeconds.toFixed(0)} s`,
  );
  return out.join("\n");
}

const load = (values: readonly number[]): string => values.map((v) => v.toFixed(2)).join(" / ");

/** The load during the run, in words a reader can weigh the figures with. */
export function loadSummary(m: Machine): string {
  const during = [m.loadBefore[0] as number, ...m.loadDuring, m.loadAfter[0] as number];
  const low = Math.min(...during).toFixed(1);
  const high = Math.max(...during).toFixed(1);
  return `1-minute load average ${low}–${high} during the run (${m.cores} cores)`;
}

// ─── Markdown ───────────────────────────────────────────────────────────────────────────────

const cell = (text: string): string => text.replaceAll("|", "\\|");

function table(head: readonly string[], align: string, rows: readonly (readonly string[])[]) {
  return [
    `| ${head.join(" | ")} |`,
    align,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** `docs/benchmarks.md`: the latest tables, the targets, the machine, and how it was measured. */
export function markdownReport(report: BenchReport): string {
  const m = report.machine;
  const speedRows = report.speed.flatMap((c) =>
    c.results.map((r, i) => [
      i === 0 ? c.title : "",
      r.ours ? `**${shown(r.name)}**` : r.name,
      ops(r.opsPerSecond),
      `±${r.rme.toFixed(1)} %`,
      r.ours ? `**${ratio(r.ratioToFastestPeer)}**` : ratio(r.ratioToFastestPeer),
    ]),
  );
  const parts = [
    "# Benchmarks",
    "",
    "<!-- Generated by `npm run bench` (bench/run.ts): edit bench/report.ts, not this file. -->",
    "",
    "How the reference implementations of this workbook compare with the event libraries people",
    "actually use, measured side by side in one run of `npm run bench`. Our rows are starred; the",
    "last column divides each contender's speed by the fastest peer's (not ours) in the same case.",
    "",
    `Measured on ${m.date.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (V8 ${m.v8}), ${m.os}.`,
    `${loadSummary(m)}; 1 / 5 / 15-minute load averages ${load(m.loadBefore)} at the start and ${load(m.loadAfter)} at the end: ${busy(m)}`,
    `The run took ${report.wallSeconds.toFixed(0)} s. Versions: ${Object.entries(m.library)
      .map(([name, version]) => `${name} ${version}`)
      .join(", ")}.`,
    "",
  ];
  if (report.targets.length > 0) {
    parts.push(
      "## Targets",
      "",
      table(
        ["target", "status", "figures"],
        "| --- | --- | --- |",
        report.targets.map((t) => [t.name, t.met ? "met" : "**not met**", t.figures]),
      ),
      "",
    );
  }
  parts.push(
    "## Speed",
    "",
    "Operations per second (higher is better), from the median time of a timed batch; ± is",
    "tinybench's relative margin of error of the mean, a measure of the noise.",
    "",
    table(
      ["case", "contender", "ops/s", "±", "× fastest peer"],
      "| --- | --- | ---: | ---: | ---: |",
      speedRows,
    ),
    "",
  );
  if (report.memory !== undefined) {
    const { churn, retained } = report.memory;
    parts.push(
      "## Memory",
      "",
      "Heap growth after subscribe/unsubscribe cycles, each with a new observer, measured after a",
      "full garbage collection (lower is better; a few kilobytes either way is the collector's",
      "noise). A subscription that left anything behind would show as megabytes.",
      "",
      table(
        ["contender", "cycles", "heap growth", "ns per cycle"],
        "| --- | ---: | ---: | ---: |",
        churn.map((c: ChurnResult) => [
          isOurs(c.name) ? `**${shown(c.name)}**` : c.name,
          c.cycles.toLocaleString("en"),
          bytes(c.growthBytes),
          c.nsPerCycle.toFixed(0),
        ]),
      ),
      "",
      "Heap retained per live subscription, the observers themselves and the values `subscribe()`",
      "returns excluded, and how long subscribing them all took.",
      "",
      table(
        ["contender", "live subscriptions", "bytes each", "subscribe all"],
        "| --- | ---: | ---: | ---: |",
        retained.map((r: RetainedResult) => [
          isOurs(r.name) ? `**${shown(r.name)}**` : r.name,
          r.live.toLocaleString("en"),
          r.bytesPerSubscription.toFixed(0),
          `${r.subscribeMs.toFixed(1)} ms`,
        ]),
      ),
      "",
    );
  }
  parts.push(
    "## How it is measured",
    "",
    "- Speed cases run in vitest 4's benchmark mode (`bench()`, timed by",
    "  [tinybench](https://github.com/tinylibs/tinybench)), one file per case, each in a fresh",
    "  process, one file at a time. A bench",
    "  function runs a batch of operations (tinybench times every call, and its clock costs more",
    "  than one `emit()`); ops/s is calls per second times the batch.",
    "- Observers are distinct functions, as an application's are, and each adds the payload to a",
    "  shared sink. After each batch the sink must have grown by exactly observers × operations,",
    "  or the bench fails: no contender can skip an observer, and no work can be optimised away.",
    "  The sink restarts at 0 every batch: a running total past 2³¹ would turn into a",
    "  floating-point number and slow down whichever contender ran after that point.",
    "- Each contender has observers of its own, and only its own calls shape their JIT state.",
    "- These observers are trivial (one addition), and V8 inlines them into the code that calls",
    "  them: the synchronous cases measure what an emitter itself costs, which observers that do",
    "  real work make small in comparison.",
    "- Every library runs with its defaults and its documented idiom. Ours keeps its exception",
    '  safety, its mutation-during-notify rule and, for `Subject`, `compile: "auto"`.',
    "- tseep, the fastest peer of the synchronous cases, compiles each listener list into a",
    "  function, as our `Subject` does, but keeps neither of its guarantees: a listener that",
    "  throws stops the emit, and one removed during an emit is still called by it.",
    "- The notify cases have a `plain loop, no safety` row: an array of functions and a `for`",
    "  loop (bench/plain-subject.ts), without exception isolation, mutation rule, recursion",
    "  guard or duplicate check. The distance from it to `Subject` is the cost of clarity and",
    '  safety; the lesson\'s section "How fast emitters get fast" says where it goes.',
    "- `leave`: 20 000 (40 000) members join one subject or topic, then leave in a fixed random",
    "  order; one timed call is the whole room, so ops/s counts members per second. An emitter",
    "  that searches and shifts its array per removal does quadratic work here.",
    "- `once`: node:events, eventemitter3 and tseep have `once()`, our `Subject`",
    "  `attach(observer, { once: true })`; mitt has none, and its handler unsubscribes itself.",
    "- With a single trivial observer, what is left of our `notify()` is mostly its recursion",
    "  guard, which marks the subject busy for the round (one read, two writes): the peers have",
    "  none, and an observer that notifies its own subject overflows their stack.",
    "- Wildcard topics: patterns of four shapes (`site<i>.+.temperature`, `site<i>.#`,",
    "  `+.device<i>.status`, `site<i>.+.+.alarm`), one topic in the middle that exactly one",
    "  matches. Every contender matches and delivers: the matchers (`TopicTrie.match`, qlobber",
    "  with MQTT options, and the naive scan, which tests one RegExp per subscription on every",
    "  publish, as the source article's django-event-system does) call each matching handler",
    "  with a `{ topic, payload }` object; `Broker.publish` is the whole publish (a frozen",
    "  message with an id, a timestamp and a trace context, and exception isolation).",
    "- Memory cases run in a child process with `--expose-gc`; the event loop yields every 1 000",
    "  cycles so that libraries which defer work (emittery's meta events) can finish it.",
    "",
    "Rerun with `npm run bench`; `npm run bench -- notify-1 publish-10000` reruns some cases",
    "(and prints them without rewriting this page); `BENCH_TIME=2000 npm run bench` measures each",
    "contender for 2 s instead of 1 s.",
    "",
  );
  return parts.join("\n");
}

function busy(m: Machine): string {
  // The run itself keeps about one core busy (one benchmark process at a time): count the rest.
  const peak = Math.max(m.loadBefore[0] as number, ...m.loadDuring, m.loadAfter[0] as number);
  const per = Math.max(0, peak - 1) / m.cores;
  if (per < 0.5) return "a quiet machine.";
  if (per < 1.5) return "a busy machine (other work was running); expect a few percent of noise.";
  return "an overloaded machine (other work was running); the figures are noisy, the ratios less so.";
}
