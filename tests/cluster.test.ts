import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { io as connect } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, openDatabase, type Database } from "../db";
import { messages } from "../db/schema";
import type { AckResult, ClientToServerEvents, ConversationSummary, MessageDto, Presence, ServerToClientEvents } from "../lib/socket-events";
import { registerAccount } from "../server/services/accounts";
import { GatewayProcess, Nginx, RedisServer, freePort, until } from "./helpers/cluster";
import { uniqueUsername } from "./helpers/db";
import { sessionCookieFor, TEST_AUTH_SECRET } from "./helpers/socket-server";
import { SyncingClient } from "./helpers/sync-client";
import type { Socket } from "socket.io-client";

// Several instances need a shared Postgres (PGlite is single-process) and Redis: real ones, always.
const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

let db: Database;
const cleanups: Array<() => Promise<void> | void> = [];

async function person(name: string) {
  const user = await registerAccount({ db, input: { username: uniqueUsername(name.toLowerCase()), displayName: name, password: "password-123" } });
  return { ...user, cookie: await sessionCookieFor(user.id) };
}

async function cluster(instanceCount: number) {
  const redis = new RedisServer(await freePort());
  await redis.start();
  cleanups.push(() => redis.kill());
  const instances: GatewayProcess[] = [];
  for (let index = 0; index < instanceCount; index++) {
    const instance = new GatewayProcess(await freePort(), { DATABASE_URL, REDIS_URL: redis.url, AUTH_SECRET: TEST_AUTH_SECRET });
    await instance.start();
    cleanups.push(() => instance.kill("SIGTERM"));
    instances.push(instance);
  }
  return { redis, instances };
}

function client(url: string, cookie: string): Promise<Client> {
  const socket: Client = connect(url, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  cleanups.push(() => void socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function call<T>(socket: Client, event: string, input?: unknown): Promise<T> {
  const emit = socket.timeout(5_000) as unknown as { emitWithAck(event: string, ...args: unknown[]): Promise<AckResult<T>> };
  const result = await emit.emitWithAck(event, ...(input === undefined ? [] : [input]));
  if (!result.ok) throw new Error(result.error.code);
  return result.data;
}

function next<E extends keyof ServerToClientEvents>(socket: Client, event: E, predicate: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean) {
  return new Promise<Parameters<ServerToClientEvents[E]>[0]>((resolve) => {
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      if (!predicate(payload)) return;
      socket.off(event as never, listener as never);
      resolve(payload);
    };
    socket.on(event as never, listener as never);
  });
}

/**
 * Sends `count` messages one after another like the product's outbox: every send keeps its client id
 * and is retried (on whichever instance the socket reaches) until acknowledged.
 */
async function sendAll(sender: SyncingClient, conversationId: string, label: string, count: number, acked: Map<string, MessageDto>, onAck?: () => void) {
  for (let index = 0; index < count; index++) {
    const clientMsgId = randomUUID();
    for (;;) {
      try {
        if (!sender.socket.connected) await new Promise<void>((resolve) => sender.socket.once("connect", () => resolve()));
        const result = (await sender.socket.timeout(2_000).emitWithAck("message:send", { conversationId, clientMsgId, body: `${label} ${index}` })) as AckResult<{
          message: MessageDto;
        }>;
        if (!result.ok) throw new Error(result.error.code);
        acked.set(clientMsgId, result.data.message);
        onAck?.();
        break;
      } catch {
        // Timed out or disconnected: retry with the same client id.
      }
    }
  }
}

/** Every acknowledged message reached every recipient exactly once, in seq order; nothing is stored twice. */
async function checkDelivery(conversationId: string, acked: Map<string, MessageDto>, receivers: SyncingClient[]) {
  const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
  const lastSeq = rows.at(-1)!.seq;
  await Promise.all(receivers.map((receiver) => until(async () => receiver.lastSeq === lastSeq || (void receiver.pull(), false), "receivers to catch up", 30_000)));
  expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: rows.length }, (_, index) => index + 1));
  expect(new Set(rows.map((row) => row.clientMsgId)).size).toBe(rows.length);
  const stored = new Map(rows.map((row) => [row.clientMsgId, row]));
  for (const [clientMsgId, message] of acked) expect(stored.get(clientMsgId)?.seq).toBe(message.seq);
  for (const receiver of receivers) {
    expect(receiver.applied.map((message) => message.seq)).toEqual(rows.map((row) => row.seq));
    expect(receiver.applied.map((message) => message.id)).toEqual(rows.map((row) => row.id));
    expect([...receiver.applyCounts.values()].every((count) => count === 1)).toBe(true);
  }
}

async function groupOf(ownerUrl: string, owner: { cookie: string }, members: Array<{ id: string }>) {
  const socket = await client(ownerUrl, owner.cookie);
  const { conversation } = await call<{ conversation: ConversationSummary }>(socket, "groups:create", { title: "Cluster", memberIds: members.map((member) => member.id) });
  socket.disconnect();
  return conversation.id;
}

beforeAll(async () => {
  db = await openDatabase({ kind: "postgres", url: DATABASE_URL, maxConnections: 3 });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(closeDatabase);

describe("several instances behind a load balancer", () => {
  it("messages, receipts, presence and typing cross instances, directly and through nginx", async () => {
    const { instances } = await cluster(2);
    const [a, b] = instances as [GatewayProcess, GatewayProcess];
    const nginx = new Nginx(await freePort(), [a.port, b.port]);
    await nginx.start();
    cleanups.push(() => nginx.stop());

    const [alice, bob] = await Promise.all([person("Alice"), person("Bob")]);
    const aliceOnA = await client(a.url, alice.cookie);
    const { conversation } = await call<{ conversation: ConversationSummary }>(aliceOnA, "conversations:open-direct", { userId: bob.id });
    const [aliceOnB, bobOnB, bobViaNginx] = await Promise.all([client(b.url, alice.cookie), client(b.url, bob.cookie), client(nginx.url, bob.cookie)]);

    const received = [bobOnB, bobViaNginx, aliceOnB].map((socket) => next(socket, "message:new", (message) => message.body === "across"));
    const { message } = await call<{ message: MessageDto }>(aliceOnA, "message:send", { conversationId: conversation.id, clientMsgId: randomUUID(), body: "across" });
    for (const delivered of await Promise.all(received)) expect(delivered).toEqual(message);

    const readSeen = next(aliceOnA, "conversation:read-state", (state) => state.userId === bob.id && state.lastReadSeq === message.seq);
    await call(bobOnB, "conversation:read", { conversationId: conversation.id, seq: message.seq });
    await readSeen;

    const typingSeen = next(aliceOnA, "typing", (state) => state.userId === bob.id && state.typing);
    await call(bobViaNginx, "typing", { conversationId: conversation.id, typing: true });
    await typingSeen;

    const { presences } = await call<{ presences: Presence[] }>(aliceOnA, "presence:subscribe", { userIds: [bob.id] });
    expect(presences[0]?.status).toBe("online");
    const offline = next(aliceOnA, "presence", (presence) => presence.userId === bob.id && presence.status === "offline");
    bobOnB.disconnect();
    bobViaNginx.disconnect();
    await offline;
  });

  it("an instance killed with SIGKILL mid-stream loses nothing acknowledged; clients fail over and catch up by seq", async () => {
    const { instances } = await cluster(2);
    const [a, b] = instances as [GatewayProcess, GatewayProcess];
    const [alice, bob, carol, dave] = await Promise.all(["Alice", "Bob", "Carol", "Dave"].map(person));
    const conversationId = await groupOf(a.url, alice!, [bob!, carol!, dave!]);
    const urls = [a.url, b.url];
    const senders = [new SyncingClient(urls, alice!.cookie, conversationId), new SyncingClient([b.url, a.url], bob!.cookie, conversationId)];
    const receivers = [new SyncingClient(urls, carol!.cookie, conversationId), new SyncingClient([b.url, a.url], dave!.cookie, conversationId)];
    cleanups.push(() => [...senders, ...receivers].forEach((entry) => entry.close()));
    await until(async () => [...senders, ...receivers].every((entry) => entry.socket.connected), "clients to connect");

    const acked = new Map<string, MessageDto>();
    let crash: Promise<void> | null = null;
    const crashMidway = () => {
      if (acked.size === 700 && !crash) crash = a.kill("SIGKILL").then(() => a.start());
    };
    await Promise.all([
      sendAll(senders[0]!, conversationId, "alice", 1_000, acked, crashMidway),
      sendAll(senders[1]!, conversationId, "bob", 1_000, acked, crashMidway),
    ]);
    await crash;
    expect(acked.size).toBe(2_000);
    await checkDelivery(conversationId, acked, [...receivers, ...senders]);
  }, 120_000);

  it("Redis stopped for a few seconds mid-stream: no instance exits, and after recovery nothing is missing", async () => {
    const { redis, instances } = await cluster(2);
    const [a, b] = instances as [GatewayProcess, GatewayProcess];
    const [alice, bob, carol] = await Promise.all(["Alice", "Bob", "Carol"].map(person));
    const conversationId = await groupOf(a.url, alice!, [bob!, carol!]);
    const senders = [new SyncingClient([a.url], alice!.cookie, conversationId), new SyncingClient([b.url], bob!.cookie, conversationId)];
    const receivers = [new SyncingClient([a.url], carol!.cookie, conversationId), new SyncingClient([b.url], carol!.cookie, conversationId)];
    cleanups.push(() => [...senders, ...receivers].forEach((entry) => entry.close()));
    await until(async () => [...senders, ...receivers].every((entry) => entry.socket.connected), "clients to connect");

    const acked = new Map<string, MessageDto>();
    let outage: Promise<void> | null = null;
    const redisOutage = () => {
      if (acked.size !== 400 || outage) return;
      outage = (async () => {
        await redis.kill();
        // Keep Redis down while both senders commit messages through it.
        const resumeAt = acked.size + 200;
        await until(async () => acked.size >= resumeAt, "sends during the outage");
        await redis.start();
      })();
    };
    await Promise.all([
      sendAll(senders[0]!, conversationId, "alice", 600, acked, redisOutage),
      sendAll(senders[1]!, conversationId, "bob", 600, acked, redisOutage),
    ]);
    await outage;
    expect(a.running && b.running).toBe(true);
    await checkDelivery(conversationId, acked, [...receivers, ...senders]);
  }, 120_000);
});
