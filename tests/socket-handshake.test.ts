import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { userRoom } from "../lib/socket-events";
import { registerAccount } from "../server/services/accounts";
import { closeTestDatabase, openTestDatabase, uniqueUsername } from "./helpers/db";
import {
  connectClient,
  sessionCookieFor,
  startTestGateway,
  whenConnected,
  whenRefused,
  type TestClient,
  type TestGateway,
} from "./helpers/socket-server";

let db: Database;
let gateway: TestGateway;
let userId: string;
const clients: TestClient[] = [];

function client(...args: Parameters<typeof connectClient>) {
  const created = connectClient(...args);
  clients.push(created);
  return created;
}

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = await startTestGateway({ db });
  userId = (await registerAccount({ db, input: { username: uniqueUsername(), displayName: "Alice", password: "alice-password" } })).id;
});
afterEach(() => {
  for (const created of clients.splice(0)) created.disconnect();
});
afterAll(async () => {
  await gateway.close();
  await closeTestDatabase();
});

describe("socket handshake", () => {
  it("accepts a valid session cookie, identifies the user and joins the user's room", async () => {
    const alice = client(gateway.url, { cookie: await sessionCookieFor(userId) });
    const ready = new Promise<{ user: { id: string; displayName: string } }>((resolve) => alice.once("session:ready", resolve));
    await whenConnected(alice);
    expect((await ready).user).toMatchObject({ id: userId, displayName: "Alice" });
    const inRoom = await gateway.io.in(userRoom(userId)).fetchSockets();
    expect(inRoom.map((socket) => socket.id)).toEqual([alice.id]);
    expect(alice.io.engine.transport.name).toBe("websocket");
  });

  it("gives every tab of one user the same room", async () => {
    const cookie = await sessionCookieFor(userId);
    const tabs = [client(gateway.url, { cookie }), client(gateway.url, { cookie }, ["polling"])];
    await Promise.all(tabs.map(whenConnected));
    const received = tabs.map((tab) => new Promise((resolve) => tab.once("session:ready", resolve)));
    gateway.io.to(userRoom(userId)).emit("session:ready", { user: { id: userId, username: "x", displayName: "Alice", avatarUrl: null } });
    await expect(Promise.all(received)).resolves.toHaveLength(2);
  });

  it("refuses a missing session", async () => {
    const error = await whenRefused(client(gateway.url));
    expect(error.message).toBe("unauthorized:session");
  });

  it("refuses a forged or foreign-secret session and a garbage cookie", async () => {
    const forged = await whenRefused(client(gateway.url, { cookie: await sessionCookieFor(userId, "another-secret-that-is-long-enough-000") }));
    expect(forged.message).toBe("unauthorized:session");
    const garbage = await whenRefused(client(gateway.url, { cookie: "next-auth.session-token=not-a-jwt" }));
    expect(garbage.message).toBe("unauthorized:session");
  });

  it("refuses a valid session for a user that does not exist", async () => {
    const error = await whenRefused(client(gateway.url, { cookie: await sessionCookieFor("00000000-0000-4000-8000-000000000000") }));
    expect(error.message).toBe("unauthorized:session");
  });

  it("refuses a foreign Origin even with a valid session, on both transports", async () => {
    const cookie = await sessionCookieFor(userId);
    for (const transports of [["polling"], ["websocket"]]) {
      const refused = await whenRefused(client(gateway.url, { cookie, origin: "https://evil.example" }, transports));
      expect(refused).toBeInstanceOf(Error);
    }
    const sameOrigin = client(gateway.url, { cookie, origin: gateway.url });
    await whenConnected(sameOrigin);
  });

  it("answers whoami with the authenticated user, whatever the client claims", async () => {
    const alice = client(gateway.url, { cookie: await sessionCookieFor(userId) });
    await whenConnected(alice);
    const result = await alice.emitWithAck("session:whoami");
    expect(result).toEqual({ ok: true, data: { user: expect.objectContaining({ id: userId }) } });
  });
});
