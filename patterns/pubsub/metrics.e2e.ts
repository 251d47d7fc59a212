/**
 * A real Prometheus scrapes an instrumented broker's `/metrics` (both on 127.0.0.1, started by
 * the test: kata/services.ts) and the test reads a metric back through Prometheus's HTTP API.
 * It polls the API a bounded number of times: scraping happens on Prometheus's own schedule.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type PrometheusService, startPrometheus } from "../../kata/services";
import { Broker } from "./broker";
import { BrokerMetrics } from "./metrics";

let server: Server;
let prometheus: PrometheusService;
const metrics = new BrokerMetrics();
const broker = metrics.instrument(new Broker());

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.url !== "/metrics") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  prometheus = await startPrometheus([`127.0.0.1:${port}`]);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

it("reads back through Prometheus what the broker counted", async () => {
  broker.subscribe("chat.+", () => {});
  for (let i = 0; i < 5; i++) broker.publish("chat.lobby", i);
  const query = `${prometheus.url}/api/v1/query?query=${encodeURIComponent('pubsub_messages_delivered_total{pattern="chat.+"}')}`;
  let seen: string | undefined;
  for (let attempt = 0; attempt < 120 && seen === undefined; attempt++) {
    const body = (await (await fetch(query)).json()) as {
      data: { result: { value: [number, string] }[] };
    };
    seen = body.data.result[0]?.value[1];
    if (seen === undefined) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(seen).toBe("5");
}, 60_000);
