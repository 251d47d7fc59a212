/**
 * The Redis Streams log against a real redis-server (started by the spec on a loopback port): the
 * shared contract, then what only a consumer group has: a consumer that dies holding entries and
 * another that claims them.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RedisService, startRedis } from "../../../kata/services";
import { eventLogConformance } from "./conformance";
import { RedisStreamLog } from "./redis-stream-log";

let redis: RedisService;
let admin: Redis;
let streams = 0;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});
afterAll(async () => {
  await admin.quit();
  await redis.stop();
});

eventLogConformance("RedisStreamLog", async () => {
  const stream = `conformance-${++streams}`;
  return {
    open: () => RedisStreamLog.connect(redis.url, { stream, name: "worker-1" }),
    dispose: async () => void (await admin.del(stream)),
  };
});

describe("RedisStreamLog consumer groups", () => {
  const logs: RedisStreamLog[] = [];
  const connect = async (name: string, claimIdleMs?: number) => {
    const log = await RedisStreamLog.connect(redis.url, {
      stream: `groups-${streams}`,
      name,
      ...(claimIdleMs === undefined ? {} : { claimIdleMs }),
    });
    logs.push(log);
    return log;
  };

  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    await admin.del(`groups-${streams++}`);
  });

  it("appends with XADD: the offset is the stream id", async () => {
    const log = await connect("a");
    const offset = await log.append({ hello: "world" });
    expect(offset).toMatch(/^\d+-\d+$/);
    expect(await admin.xrange(`groups-${streams}`, "-", "+")).toEqual([
      [offset, ["event", '{"hello":"world"}']],
    ]);
  });

  it("shares one group's entries between its members: each entry goes to one of them", async () => {
    const a = await connect("a");
    const b = await connect("b");
    for (const n of [1, 2, 3, 4]) await a.append(n);
    const fromA = await a.poll("mailer", 3);
    const fromB = await b.poll("mailer", 3);
    expect(fromA.map((r) => r.event)).toEqual([1, 2, 3]);
    expect(fromB.map((r) => r.event)).toEqual([4]);
  });

  it("lets another member claim what a dead member left unacknowledged (XAUTOCLAIM)", async () => {
    const doomed = await connect("doomed");
    for (const n of [1, 2, 3]) await doomed.append(n);
    const held = await doomed.poll("mailer");
    await doomed.ack("mailer", held[0]?.offset ?? "");
    await doomed.close(); // dies holding 2 and 3

    const patient = await connect("patient"); // the default: claims only after 60 s idle
    expect(await patient.poll("mailer")).toEqual([]);

    const rescuer = await connect("rescuer", 0);
    expect(await rescuer.poll("mailer")).toEqual(held.slice(1));
    const pending = (await admin.xpending(`groups-${streams}`, "mailer", "-", "+", 10)) as [
      string,
      string,
      number,
      number,
    ][];
    expect(pending.map(([id, owner]) => [id, owner])).toEqual(
      held.slice(1).map((r) => [r.offset, "rescuer"]),
    );
    for (const r of held.slice(1)) await rescuer.ack("mailer", r.offset);
    expect(await admin.xpending(`groups-${streams}`, "mailer")).toEqual([0, null, null, null]);
  });

  it("refuses bad options, naming them", async () => {
    await expect(RedisStreamLog.connect(redis.url, { claimIdleMs: -1 })).rejects.toThrow(
      "`claimIdleMs` must be a whole number of milliseconds, 0 or more, got -1",
    );
    await expect(RedisStreamLog.connect(redis.url, { stream: "" })).rejects.toThrow(
      '`stream` must be a non-empty string, got ""',
    );
  });
});
