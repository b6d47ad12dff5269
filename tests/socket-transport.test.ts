// The app runs engine.io (Socket.IO's transport layer) with patches/engine.io+6.6.12.patch, applied by
// `npm install`'s postinstall: what a socket is sent in one tick leaves in one TCP write. Unpatched, the
// first packet went out alone and each of the rest in a write of its own a tick later; a send's
// acknowledgement and the messages delivered to the same socket in that tick were separate system calls,
// a third of the server's CPU under sustained load (docs/PERFORMANCE.md).
import { createServer } from "node:http";
import type { AddressInfo, Socket as TcpSocket } from "node:net";
import { Server, type Socket } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const httpServer = createServer();
const io = new Server(httpServer);
let url: string;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
afterEach(() => clients.splice(0).forEach((client) => client.disconnect()));
afterAll(async () => {
  await io.close();
});

/** A connected client and the server's side of it. */
async function connectPair(): Promise<{ client: ClientSocket; server: Socket }> {
  const connected = new Promise<Socket>((resolve) => io.once("connection", resolve));
  const client = connect(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  clients.push(client);
  return { client, server: await connected };
}

/** Counts the writes the server makes on a socket's TCP connection (a WebSocket's upgrade request holds it). */
function countWrites(server: Socket) {
  const tcp = server.request.socket as TcpSocket & { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
  const counter = { writes: 0 };
  for (const method of ["_write", "_writev"] as const) {
    const original = tcp[method].bind(tcp);
    tcp[method] = (...args: unknown[]) => {
      counter.writes += 1;
      original(...args);
    };
  }
  return counter;
}

function received(client: ClientSocket, count: number): Promise<unknown[][]> {
  const events: unknown[][] = [];
  return new Promise((resolve) =>
    client.onAny((...event: unknown[]) => {
      events.push(event);
      if (events.length === count) resolve(events);
    }),
  );
}

describe("the Socket.IO transport, as patched", () => {
  it("writes everything a socket is sent in one tick in one TCP write, in order", async () => {
    const { client, server } = await connectPair();
    const counter = countWrites(server);
    const events = received(client, 3);
    server.emit("first", 1);
    server.emit("second", { two: 2 });
    server.emit("third", "3");
    expect(await events).toEqual([["first", 1], ["second", { two: 2 }], ["third", "3"]]);
    expect(counter.writes).toBe(1);
  });

  it("writes an acknowledgement and a broadcast of the same tick together", async () => {
    const { client, server } = await connectPair();
    const counter = countWrites(server);
    server.on("send", (text: string, ack: (answer: string) => void) => {
      io.emit("news", text);
      ack(`stored ${text}`);
    });
    const news = received(client, 1);
    const answer = await client.emitWithAck("send", "hello");
    expect(answer).toBe("stored hello");
    expect(await news).toEqual([["news", "hello"]]);
    expect(counter.writes).toBe(1);
  });

  it("still sends what was emitted in the tick the server disconnected the socket, then disconnects it", async () => {
    const { client, server } = await connectPair();
    const events = received(client, 1);
    const disconnected = new Promise<string>((resolve) => client.once("disconnect", resolve));
    server.emit("goodbye", "see you");
    server.disconnect(true);
    expect(await events).toEqual([["goodbye", "see you"]]);
    expect(await disconnected).toBe("io server disconnect");
  });

  it("closes only the socket whose transport fails while flushing, and keeps flushing the others", async () => {
    const failing = await connectPair();
    const healthy = await connectPair();
    (failing.server.conn.transport as unknown as { send: () => never }).send = () => {
      throw new Error("transport broke");
    };
    const closed = new Promise<string>((resolve) => failing.server.once("disconnect", resolve));
    const delivered = received(healthy.client, 1);
    failing.server.emit("lost");
    healthy.server.emit("kept", "yes");
    expect(await closed).toBe("transport error");
    expect(await delivered).toEqual([["kept", "yes"]]);
  });

  it("does not hold back what a later tick sends", async () => {
    const { client, server } = await connectPair();
    for (const n of [1, 2, 3]) {
      const event = received(client, 1);
      server.emit("tick", n);
      expect(await event).toEqual([["tick", n]]);
      client.offAny();
    }
  });
});
