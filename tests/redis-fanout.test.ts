import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { userRoom, type UserDto } from "../lib/socket-events";
import { registerAccount } from "../server/services/accounts";
import type { ClusterAdapter } from "socket.io-adapter";
import { boundPublishQueue, connectRedisAdapter } from "../server/socket/redis-adapter";
import { closeTestDatabase, openTestDatabase, uniqueUsername } from "./helpers/db";
import { connectClient, sessionCookieFor, startTestGateway, whenConnected, type TestGateway } from "./helpers/socket-server";

// A real Redis is required: CI provides one; there is no in-memory stand-in.
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let db: Database;
const gateways: TestGateway[] = [];
const redisConnections: Array<{ close(): Promise<void> }> = [];

async function startInstance() {
  const redis = connectRedisAdapter(REDIS_URL);
  redisConnections.push(redis);
  const gateway = await startTestGateway({ db, adapter: redis.adapter });
  gateways.push(gateway);
  return gateway;
}

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await Promise.all(redisConnections.map((redis) => redis.close()));
  await closeTestDatabase();
});

/** Bob connected to a fresh instance; every `session:ready` he receives is recorded by its display name. */
async function bobOnOneInstance() {
  const instance = await startInstance();
  const user = await registerAccount({ db, input: { username: uniqueUsername(), displayName: "Bob", password: "bob-password" } });
  const bob = connectClient(instance.url, { cookie: await sessionCookieFor(user.id) });
  await whenConnected(bob);
  const arrived: string[] = [];
  bob.on("session:ready", ({ user: payload }) => void arrived.push(payload.displayName));
  /** Resolves when the event with this display name has arrived. */
  const arrivalOf = (displayName: string) =>
    new Promise<void>((resolve) => bob.on("session:ready", ({ user: payload }) => payload.displayName === displayName && resolve()));
  return { instance, user, bob, arrived, arrivalOf };
}

describe("Redis adapter fan-out", () => {
  it("an emit to a user's room on instance A reaches that user's socket on instance B", async () => {
    const [instanceA, instanceB] = [await startInstance(), await startInstance()];
    const user = await registerAccount({ db, input: { username: uniqueUsername(), displayName: "Bob", password: "bob-password" } });
    const bob = connectClient(instanceB!.url, { cookie: await sessionCookieFor(user.id) });
    await whenConnected(bob);

    const seenFromA = await instanceA!.io.in(userRoom(user.id)).fetchSockets();
    expect(seenFromA.map((socket) => socket.id)).toEqual([bob.id]);

    const received = new Promise<UserDto>((resolve) => bob.once("session:ready", ({ user: payload }) => resolve(payload)));
    instanceA!.io.to(userRoom(user.id)).emit("session:ready", { user: { ...user, displayName: "from A" } });
    expect((await received).displayName).toBe("from A");
    bob.disconnect();
  });

  it("an instance delivers to its own sockets in emit order, without waiting for the Redis publish", async () => {
    const { instance, user, bob, arrived, arrivalOf } = await bobOnOneInstance();
    const both = arrivalOf("local only");
    instance.io.to(userRoom(user.id)).emit("session:ready", { user: { ...user, displayName: "also published" } });
    instance.io.local.to(userRoom(user.id)).emit("session:ready", { user: { ...user, displayName: "local only" } });
    await both;
    expect(arrived).toEqual(["also published", "local only"]);
    bob.disconnect();
  });

  it("room changes and broadcasts take effect on an instance's own sockets in call order", async () => {
    const { instance, user, bob, arrived, arrivalOf } = await bobOnOneInstance();
    const marker = arrivalOf("marker");
    const room = `conversation:${randomUUID()}`;
    const say = (to: string, displayName: string) => instance.io.to(to).emit("session:ready", { user: { ...user, displayName } });
    instance.io.in(userRoom(user.id)).socketsJoin(room);
    say(room, "after joining");
    instance.io.in(userRoom(user.id)).socketsLeave(room);
    say(room, "after leaving");
    say(userRoom(user.id), "marker");
    await marker;
    expect(arrived).toEqual(["after joining", "marker"]);
    bob.disconnect();
  });
});

describe("publishing to a stalled Redis", () => {
  /** The adapter's publish to Redis, answered only when the test says so. */
  function stalledPublisher() {
    const published: string[] = [];
    const answers: Array<() => void> = [];
    const adapter = {
      doPublish: (message: { data: string }) => {
        published.push(message.data);
        return new Promise<string>((resolve) => answers.push(() => resolve("")));
      },
    };
    const answerAll = () => answers.splice(0).forEach((answer) => answer());
    return { adapter, published, answerAll };
  }

  it("drops broadcasts while the oldest publish is unanswered past the limit, and publishes again once Redis answers", async () => {
    let clock = 0;
    const { adapter, published, answerAll } = stalledPublisher();
    boundPublishQueue(adapter as unknown as ClusterAdapter, { stallMs: 1_000, now: () => clock });
    const publish = (data: string) => (adapter.doPublish as (message: { data: string }) => Promise<string>)({ data });

    void publish("first");
    clock = 900;
    void publish("within the limit");
    clock = 1_001;
    await expect(publish("stalled")).rejects.toThrow("Redis publish stalled");
    await expect(publish("still stalled")).rejects.toThrow("Redis publish stalled");
    expect(published).toEqual(["first", "within the limit"]);

    answerAll();
    await Promise.resolve();
    await Promise.resolve();
    clock = 5_000;
    void publish("after recovery");
    expect(published).toEqual(["first", "within the limit", "after recovery"]);
  });
});
