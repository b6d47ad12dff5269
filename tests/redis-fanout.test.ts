import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { userRoom, type UserDto } from "../lib/socket-events";
import { registerAccount } from "../server/services/accounts";
import type { ClusterAdapter } from "socket.io-adapter";
import { boundPublishQueue, connectRedisAdapter } from "../server/socket/redis-adapter";
import { freePort, RedisServer, until } from "./helpers/cluster";
import { closeTestDatabase, openTestDatabase, uniqueUsername } from "./helpers/db";
import { connectClient, sessionCookieFor, startTestGateway, whenConnected, type TestGateway } from "./helpers/socket-server";

// A real Redis is required: CI provides one; there is no in-memory stand-in.
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let db: Database;
const gateways: TestGateway[] = [];
const redisConnections: Array<{ close(): Promise<void> }> = [];

async function startInstance(url = REDIS_URL) {
  const redis = connectRedisAdapter(url);
  redisConnections.push(redis);
  const gateway = await startTestGateway({ db, adapter: redis.adapter });
  gateways.push(gateway);
  let announced = false;
  void redis.whenAnnounced().then(() => (announced = true));
  return Object.assign(gateway, { isAnnounced: () => announced });
}

beforeAll(async () => {
  db = await openTestDatabase();
});
async function closeInstances() {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  await Promise.all(redisConnections.splice(0).map((redis) => redis.close()));
}

afterAll(async () => {
  await closeInstances();
  await closeTestDatabase();
});

function registerUser(displayName: string) {
  return registerAccount({ db, input: { username: uniqueUsername(), displayName, password: "user-password" } });
}

/** The user connected to the instance; every `session:ready` they receive is recorded by its display name. */
async function connectUser(instance: TestGateway, user: UserDto) {
  const socket = connectClient(instance.url, { cookie: await sessionCookieFor(user.id) });
  await whenConnected(socket);
  const arrived: string[] = [];
  socket.on("session:ready", ({ user: payload }) => void arrived.push(payload.displayName));
  /** Resolves when the event with this display name has arrived. */
  const arrivalOf = (displayName: string) =>
    new Promise<void>((resolve) => socket.on("session:ready", ({ user: payload }) => payload.displayName === displayName && resolve()));
  return { user, socket, arrived, arrivalOf };
}

async function bobOnOneInstance() {
  const instance = await startInstance();
  const { socket, ...bob } = await connectUser(instance, await registerUser("Bob"));
  return { instance, bob: socket, ...bob };
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

describe("an instance alone on Redis", () => {
  // A private Redis, so that no other test's instance counts as a peer; MONITOR sees every command.
  let redis: RedisServer;
  let monitor: ReturnType<typeof createClient>;
  const published: string[] = [];
  const isProbe = (line: string) => line.includes('"{\\"probe\\":');

  beforeAll(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    monitor = createClient({ url: redis.url });
    monitor.on("error", () => undefined);
    await monitor.connect();
    await monitor.monitor((line) => void (/ "spublish" /i.test(line) && published.push(line)));
  });
  afterAll(async () => {
    await closeInstances();
    monitor.destroy();
    await redis.kill();
  });

  it("publishes no broadcast while alone; a second instance's sockets get its broadcasts from the moment they connect", async () => {
    const first = await startInstance(redis.url);
    const bob = await connectUser(first, await registerUser("Bob"));
    const emittedAt = published.length;
    first.io.to(userRoom(bob.user.id)).emit("session:ready", { user: { ...bob.user, displayName: "while alone" } });
    await bob.arrivalOf("while alone");
    // Its publishes leave on one connection in order; the second probe seen after the emit was sent after
    // it, so a publish of the broadcast would have been executed, and seen, before that probe.
    await until(async () => published.slice(emittedAt).filter(isProbe).length >= 2, "two probes after the emit");
    expect(published.slice(emittedAt).filter((line) => !isProbe(line))).toEqual([]);

    // Carol connects as soon as the second instance runs, and is let in only once the first can no longer
    // believe it is alone.
    const carolsAccount = await registerUser("Carol");
    const second = await startInstance(redis.url);
    const carol = await connectUser(second, carolsAccount);
    expect(second.isAnnounced()).toBe(true);
    first.io.to(userRoom(carol.user.id)).emit("session:ready", { user: { ...carol.user, displayName: "once not alone" } });
    await carol.arrivalOf("once not alone");
    bob.socket.disconnect();
    carol.socket.disconnect();
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
