import { Agent, get } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer } from "../server/http-server";

const server = createHttpServer((_request, response) => response.end("ok"));
let port: number;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** One GET through the agent; whether it went over a connection the agent had kept from before. */
function fetchThrough(agent: Agent): Promise<{ body: string; reusedConnection: boolean }> {
  return new Promise((resolve, reject) => {
    const request = get({ host: "127.0.0.1", port, path: "/", agent }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ body, reusedConnection: request.reusedSocket }));
    });
    request.on("error", reject);
  });
}

describe("the HTTP server", () => {
  it("keeps an idle keep-alive connection open past Node's 5 s default, so a client that reuses it is not reset", { timeout: 20_000 }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await fetchThrough(agent)).toEqual({ body: "ok", reusedConnection: false });
      // What is tested is the idleness itself: longer than Node's default keep-alive timeout.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await fetchThrough(agent)).toEqual({ body: "ok", reusedConnection: true });
    } finally {
      agent.destroy();
    }
  });
});
