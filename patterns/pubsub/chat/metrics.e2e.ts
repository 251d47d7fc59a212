/**
 * A real Prometheus scrapes the chat server's `/metrics` (both on 127.0.0.1, started by the
 * test: kata/services.ts) and the test reads a chat metric back through Prometheus's HTTP API.
 * It polls the API a bounded number of times: scraping happens on Prometheus's own schedule.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type PrometheusService, startPrometheus } from "../../../kata/services";
import { type ChatServer, startChatServer } from "./server";
import { Client, sockets } from "./spec-client";

let server: ChatServer;
let prometheus: PrometheusService;

beforeAll(async () => {
  server = await startChatServer({ port: 0 });
  prometheus = await startPrometheus([new URL(server.url).host]);
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  await prometheus?.stop();
  await server?.close();
});

/** The value of `query`'s first series through Prometheus's API, once it has one. */
async function query(promql: string): Promise<string | undefined> {
  const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`;
  const body = (await (await fetch(url)).json()) as {
    data: { result: { value: [number, string] }[] };
  };
  return body.data.result[0]?.value[1];
}

it("reads back through Prometheus how many lines the chat relayed and who is connected", async () => {
  const ada = await Client.connect(server.wsUrl);
  const bob = await Client.connect(server.wsUrl);
  for (const client of [ada, bob]) {
    client.send({ type: "join", room: "lobby" });
    await client.next("joined");
  }
  for (const text of ["one", "two", "three"]) {
    ada.send({ type: "send", room: "lobby", text });
    await bob.next("message");
  }
  let relayed: string | undefined;
  for (let attempt = 0; attempt < 120 && relayed !== "3"; attempt++) {
    relayed = await query('chat_messages_relayed_total{source="local"}');
    if (relayed !== "3") await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(relayed).toBe("3");
  expect(await query("chat_members_connected")).toBe("2");
}, 60_000);
