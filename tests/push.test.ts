import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import webpush from "web-push";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import type { PushMessageContext } from "../db/queries/push-subscriptions";
import { pushSubscriptions, users } from "../db/schema";
import { userRoom, type ConversationSummary } from "../lib/socket-events";
import { parseEnv } from "../server/env";
import { connectedDeviceCheck } from "../server/push/connected";
import type { PushDecision } from "../server/push/decision-log";
import { buildPushPayload, PREVIEW_LENGTH } from "../server/push/payload";
import { createPushService, type PushService } from "../server/push/service";
import { resolveVapidKeys, type VapidDetails } from "../server/push/vapid";
import { WorkQueue } from "../server/push/work-queue";
import { subscribeToPush } from "../server/services/push-subscriptions";
import { connectRedisAdapter } from "../server/socket/redis-adapter";
import { call, createPerson, send, type Person } from "./helpers/chat";
import { closeTestDatabase, openTestDatabase } from "./helpers/db";
import { startFakePushService, type FakePushService, type TestSubscription } from "./helpers/push-service";
import { connectClient, startTestGateway, whenConnected, type TestClient, type TestGateway } from "./helpers/socket-server";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const COLLAPSE_WINDOW_MS = 500;
const VAPID_SUBJECT = "mailto:push-tests@example.com";

/** The push service's decision log, with a way to wait for a line (every decision is logged). */
class DecisionLog {
  readonly entries: PushDecision[] = [];
  private readonly waiters = new Set<() => void>();

  readonly record = (decision: PushDecision) => {
    this.entries.push(decision);
    for (const waiter of this.waiters) waiter();
  };

  of(userId: string) {
    return this.entries.filter((entry) => entry.userId === userId);
  }

  waitFor(predicate: (entry: PushDecision) => boolean, timeoutMs = 10_000): Promise<PushDecision> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.entries.find(predicate);
        if (!found) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching push decision within ${timeoutMs} ms; log:\n${this.entries.map((entry) => JSON.stringify(entry)).join("\n")}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }
}

let db: Database;
let gateway: TestGateway;
let fake: FakePushService;
let push: PushService;
let vapid: VapidDetails;
const decisions = new DecisionLog();
const clients: TestClient[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  db = await openTestDatabase();
  fake = await startFakePushService();
  vapid = { ...webpush.generateVAPIDKeys(), subject: VAPID_SUBJECT };
  push = createPushService({
    db,
    vapid,
    isUserConnected: connectedDeviceCheck(() => gateway.io),
    log: decisions.record,
    options: { collapseWindowMs: COLLAPSE_WINDOW_MS, retryBaseMs: 20, requestTimeoutMs: 2_000, allowHttpEndpoints: true },
  });
  gateway = await startTestGateway({ db, push });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await gateway.close();
  await push.stop();
  await fake.close();
  await closeTestDatabase();
});

async function device(person: Person, url = gateway.url) {
  const client = connectClient(url, { cookie: person.cookie });
  await whenConnected(client);
  clients.push(client);
  return client;
}

async function directChat(a: Person, b: Person) {
  const { conversation } = await call<{ conversation: ConversationSummary }>(await device(a), "conversations:open-direct", { userId: b.id });
  return conversation.id;
}

/** Resolves once the user has no socket left on the gateway (a disconnect is processed asynchronously). */
async function untilOffline(userId: string, io = gateway.io, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await io.in(userRoom(userId)).fetchSockets()).length > 0) {
    if (Date.now() > deadline) throw new Error(`user ${userId} still connected after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Like a browser with notifications enabled, then closed: subscribes through the socket and goes offline. */
async function subscribeAndLeave(person: Person, { privatePreviews = false }: { privatePreviews?: boolean } = {}): Promise<TestSubscription> {
  const subscription = fake.createSubscription();
  const client = await device(person);
  await call(client, "push:subscribe", { subscription: subscription.json, privatePreviews });
  client.disconnect();
  await untilOffline(person.id);
  return subscription;
}

async function people<const Names extends readonly string[]>(...names: Names) {
  return (await Promise.all(names.map((name) => createPerson(db, gateway.url, name)))) as { [K in keyof Names]: Person };
}

describe("Web Push to users with no connected device", () => {
  it("an offline user gets exactly one push: sender, preview, conversation, unread counts, VAPID-signed", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    // Bob already has two unread messages elsewhere: the push carries the server's total.
    const carolChat = await directChat(carol, bob);
    const carolDevice = await device(carol);
    await send(carolDevice, carolChat, "one");
    const two = await send(carolDevice, carolChat, "two");
    await decisions.waitFor((entry) => entry.messageId === two.id && entry.userId === bob.id);
    expect(decisions.of(bob.id)).toEqual([
      expect.objectContaining({ decision: "skipped", reason: "no_subscription" }),
      expect.objectContaining({ decision: "skipped", reason: "no_subscription", messageId: two.id }),
    ]);
    const conversationId = await directChat(alice, bob);
    const subscription = await subscribeAndLeave(bob);

    const message = await send(await device(alice), conversationId, "Lunch at\n  noon?");
    const [received] = await fake.waitForPushes(subscription.id, 1);
    expect(received!.payload).toEqual({
      title: "Alice",
      body: "Lunch at noon?",
      conversationId,
      messageId: message.id,
      seq: message.seq,
      url: `/c/${conversationId}`,
      tag: `conversation:${conversationId}`,
      unread: 1,
      totalUnread: 3,
    });
    expect(received!.vapid).toMatchObject({ aud: fake.origin, sub: VAPID_SUBJECT, publicKey: vapid.publicKey });
    expect(received!.headers).toMatchObject({ "content-encoding": "aes128gcm", ttl: "86400", urgency: "high", topic: conversationId.replaceAll("-", "") });
    expect(fake.rejected).toEqual([]);

    await decisions.waitFor((entry) => entry.userId === bob.id && entry.messageId === message.id && entry.decision === "sent");
    expect(fake.pushesFor(subscription.id)).toHaveLength(1);
    expect(decisions.of(bob.id).filter((entry) => entry.messageId === message.id)).toEqual([
      expect.objectContaining({ decision: "sent", status: 201, conversationId, seq: message.seq, pushService: fake.origin, messages: 1 }),
    ]);
    const [row] = await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, bob.id));
    expect(row?.lastSuccessAt).toBeInstanceOf(Date);
    // The sender is never notified of their own message.
    expect(decisions.of(alice.id)).toEqual([]);
  });

  it("a user with a connected device gets no push", async () => {
    const [alice, bob] = await people("Alice", "Bob");
    const conversationId = await directChat(alice, bob);
    const subscription = fake.createSubscription();
    const bobDevice = await device(bob);
    await call(bobDevice, "push:subscribe", { subscription: subscription.json });

    const message = await send(await device(alice), conversationId, "you are online");
    await decisions.waitFor((entry) => entry.userId === bob.id && entry.messageId === message.id && entry.decision === "skipped");
    expect(decisions.of(bob.id)).toEqual([expect.objectContaining({ decision: "skipped", reason: "connected", messageId: message.id })]);
    expect(fake.pushesFor(subscription.id)).toEqual([]);
  });

  it("a muted conversation and do-not-disturb send nothing", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    const mutedChat = await directChat(alice, bob);
    const bobDevice = await device(bob);
    await call(bobDevice, "conversation:settings", { conversationId: mutedChat, muted: true });
    bobDevice.disconnect();
    const bobSubscription = await subscribeAndLeave(bob);

    const carolChat = await directChat(alice, carol);
    const carolDevice = await device(carol);
    await call(carolDevice, "settings:dnd", { enabled: true, until: new Date(Date.now() + 60_000).toISOString() });
    carolDevice.disconnect();
    const carolSubscription = await subscribeAndLeave(carol);

    const aliceDevice = await device(alice);
    const toBob = await send(aliceDevice, mutedChat, "muted?");
    const toCarol = await send(aliceDevice, carolChat, "dnd?");
    await decisions.waitFor((entry) => entry.messageId === toBob.id && entry.userId === bob.id);
    await decisions.waitFor((entry) => entry.messageId === toCarol.id && entry.userId === carol.id);
    expect(decisions.of(bob.id)).toEqual([expect.objectContaining({ decision: "skipped", reason: "muted", messageId: toBob.id })]);
    expect(decisions.of(carol.id)).toEqual([expect.objectContaining({ decision: "skipped", reason: "dnd", messageId: toCarol.id })]);
    expect(fake.pushesFor(bobSubscription.id)).toEqual([]);
    expect(fake.pushesFor(carolSubscription.id)).toEqual([]);
  });

  it("do-not-disturb that has ended holds nothing back", async () => {
    const [alice, bob] = await people("Alice", "Bob");
    const conversationId = await directChat(alice, bob);
    const bobDevice = await device(bob);
    await call(bobDevice, "settings:dnd", { enabled: true, until: new Date(Date.now() + 60_000).toISOString() });
    bobDevice.disconnect();
    const subscription = await subscribeAndLeave(bob);
    // The hour Bob chose has passed (DND stays enabled, with its end behind us).
    await db.update(users).set({ dndUntil: new Date(Date.now() - 1_000) }).where(eq(users.id, bob.id));

    const message = await send(await device(alice), conversationId, "are you back?");
    await decisions.waitFor((entry) => entry.userId === bob.id && entry.messageId === message.id);
    expect(decisions.of(bob.id)).toEqual([expect.objectContaining({ decision: "sent", messageId: message.id })]);
    expect(fake.pushesFor(subscription.id)).toHaveLength(1);
  });

  it("a burst of messages collapses into one push per conversation, tagged, telling how many", async () => {
    const [alice, bob] = await people("Alice", "Bob");
    const conversationId = await directChat(alice, bob);
    const subscription = await subscribeAndLeave(bob);

    const aliceDevice = await device(alice);
    const sent = await Promise.all(["first", "second", "third"].map((body) => send(aliceDevice, conversationId, body)));
    const latest = sent.reduce((a, b) => (a.seq > b.seq ? a : b));
    await decisions.waitFor((entry) => entry.userId === bob.id && entry.decision === "sent");

    const pushes = fake.pushesFor(subscription.id);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.payload).toMatchObject({
      tag: `conversation:${conversationId}`,
      messageId: latest.id,
      unread: 3,
      body: `3 new messages · ${latest.body}`,
    });
    const bobDecisions = decisions.of(bob.id);
    expect(bobDecisions.filter((entry) => entry.decision === "skipped" && entry.reason === "collapsed")).toHaveLength(2);
    expect(bobDecisions.filter((entry) => entry.decision === "sent")).toEqual([expect.objectContaining({ messageId: latest.id, messages: 3 })]);
  });

  it("private previews say only 'New message'", async () => {
    const [alice, bob] = await people("Alice", "Bob");
    const conversationId = await directChat(alice, bob);
    const subscription = await subscribeAndLeave(bob, { privatePreviews: true });

    await send(await device(alice), conversationId, "the secret plan");
    const [received] = await fake.waitForPushes(subscription.id, 1);
    expect(received!.payload).toMatchObject({ title: "Alice", body: "New message", conversationId });
    expect(JSON.stringify(received!.payload)).not.toContain("secret");
  });

  it("a group push names the group, goes only to subscribed members without a device, never to the sender", async () => {
    const [alice, bob, carol, dave] = await people("Alice", "Bob", "Carol", "Dave");
    const aliceDevice = await device(alice);
    const { conversation } = await call<{ conversation: ConversationSummary }>(aliceDevice, "groups:create", {
      title: "Climbing",
      memberIds: [bob.id, carol.id, dave.id],
    });
    await call(aliceDevice, "push:subscribe", { subscription: fake.createSubscription().json });
    const bobSubscription = await subscribeAndLeave(bob);
    const daveDevice = await device(dave);
    await call(daveDevice, "push:subscribe", { subscription: fake.createSubscription().json });

    const message = await send(aliceDevice, conversation.id, "Saturday?");
    const [received] = await fake.waitForPushes(bobSubscription.id, 1);
    // Unread counts every message Bob has not read, the group's creation notice included (as his badge does).
    expect(received!.payload).toMatchObject({ title: "Alice in Climbing", body: "2 new messages · Saturday?", unread: 2, url: `/c/${conversation.id}` });
    expect(received!.headers.urgency).toBe("normal");
    await decisions.waitFor((entry) => entry.userId === dave.id && entry.messageId === message.id);
    expect(decisions.of(dave.id)).toEqual([expect.objectContaining({ reason: "connected" })]);
    // Carol has no subscription: in a group she is never even loaded. Alice sent it.
    expect(decisions.of(carol.id)).toEqual([]);
    expect(decisions.of(alice.id)).toEqual([]);
  });

  it("a subscription the push service reports gone (410) is deleted", async () => {
    const [alice, bob] = await people("Alice", "Bob");
    const conversationId = await directChat(alice, bob);
    const subscription = await subscribeAndLeave(bob);
    fake.respondWith(subscription.id, 410);

    const message = await send(await device(alice), conversationId, "anyone there?");
    await decisions.waitFor((entry) => entry.userId === bob.id && entry.messageId === message.id && entry.decision === "skipped");
    expect(decisions.of(bob.id)).toEqual([expect.objectContaining({ reason: "expired_deleted", status: 410 })]);
    expect(fake.pushesFor(subscription.id)).toHaveLength(1);
    expect(await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, bob.id))).toEqual([]);

    // With the subscription gone, the next message has nobody to push to.
    const next = await send(await device(alice), conversationId, "hello?");
    await decisions.waitFor((entry) => entry.userId === bob.id && entry.messageId === next.id);
    expect(decisions.of(bob.id).at(-1)).toMatchObject({ decision: "skipped", reason: "no_subscription" });
    expect(fake.pushesFor(subscription.id)).toHaveLength(1);
  });

  it("a failing push service is retried with backoff, a bounded number of times", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    const flaky = await subscribeAndLeave(bob);
    fake.respondWith(flaky.id, 503, 201);
    const down = await subscribeAndLeave(carol);
    fake.respondWith(down.id, 500, 500, 500, 500);
    const aliceDevice = await device(alice);
    await send(aliceDevice, await directChat(alice, bob), "flaky");
    await send(aliceDevice, await directChat(alice, carol), "down");

    await decisions.waitFor((entry) => entry.userId === bob.id && entry.decision === "sent");
    expect(decisions.of(bob.id).map((entry) => [entry.decision, entry.attempt, entry.status])).toEqual([
      ["retrying", 1, 503],
      ["sent", 2, 201],
    ]);
    await decisions.waitFor((entry) => entry.userId === carol.id && entry.decision === "skipped");
    expect(decisions.of(carol.id).map((entry) => [entry.decision, entry.attempt])).toEqual([
      ["retrying", 1],
      ["retrying", 2],
      ["skipped", 3],
    ]);
    expect(decisions.of(carol.id).at(-1)).toMatchObject({ reason: "failed", status: 500 });
    expect(fake.pushesFor(down.id)).toHaveLength(3);
    // A server error does not make the subscription invalid.
    expect(await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, carol.id))).toHaveLength(1);
  });

  it("a user connected to another instance (Redis adapter) gets no push", async () => {
    const instances = await Promise.all([0, 1].map(async () => {
      const redis = await connectRedisAdapter(REDIS_URL);
      cleanups.push(() => redis.close());
      return redis;
    }));
    const decisionsA = new DecisionLog();
    const pushA = createPushService({
      db,
      vapid,
      isUserConnected: connectedDeviceCheck(() => instanceA.io),
      log: decisionsA.record,
      options: { collapseWindowMs: 50, allowHttpEndpoints: true },
    });
    const instanceA = await startTestGateway({ db, adapter: instances[0]!.adapter, push: pushA });
    const instanceB = await startTestGateway({ db, adapter: instances[1]!.adapter });
    cleanups.push(async () => {
      await Promise.all([instanceA.close(), instanceB.close()]);
      await pushA.stop();
    });

    const [alice, bob] = await people("Alice", "Bob");
    const conversationId = await directChat(alice, bob);
    const subscription = fake.createSubscription();
    await subscribeToPush({ db, userId: bob.id, input: { subscription: subscription.json }, allowHttpEndpoints: true });
    await device(bob, instanceB.url);

    const message = await send(await device(alice, instanceA.url), conversationId, "across instances");
    await decisionsA.waitFor((entry) => entry.userId === bob.id && entry.messageId === message.id);
    expect(decisionsA.of(bob.id)).toEqual([expect.objectContaining({ decision: "skipped", reason: "connected" })]);
    expect(fake.pushesFor(subscription.id)).toEqual([]);
  });
});

describe("push subscriptions", () => {
  it("the public key, subscribe, re-subscribe, unsubscribe, and validation", async () => {
    const [bob] = await people("Bob");
    const bobDevice = await device(bob);
    expect(await call(bobDevice, "push:public-key")).toEqual({ publicKey: vapid.publicKey });

    const subscription = fake.createSubscription();
    expect(await call(bobDevice, "push:subscribe", { subscription: subscription.json })).toEqual({ endpoint: subscription.json.endpoint, privatePreviews: false });
    await call(bobDevice, "push:subscribe", { subscription: subscription.json, privatePreviews: true });
    const rows = await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, bob.id));
    expect(rows).toEqual([expect.objectContaining({ endpoint: subscription.json.endpoint, p256dh: subscription.json.keys.p256dh, privatePreviews: true })]);

    const bad = (patch: Record<string, unknown>) => call(bobDevice, "push:subscribe", { subscription: { ...subscription.json, ...patch } });
    await expect(bad({ endpoint: "not a url" })).rejects.toThrow("bad_request:validation");
    await expect(bad({ endpoint: "ftp://push.example/x" })).rejects.toThrow("bad_request:validation");
    await expect(bad({ keys: { p256dh: "short", auth: subscription.json.keys.auth } })).rejects.toThrow("bad_request:validation");
    await expect(bad({ keys: { p256dh: subscription.json.keys.p256dh } })).rejects.toThrow("bad_request:validation");

    expect(await call(bobDevice, "push:unsubscribe", { endpoint: subscription.json.endpoint })).toEqual({ endpoint: subscription.json.endpoint, removed: true });
    expect(await call(bobDevice, "push:unsubscribe", { endpoint: subscription.json.endpoint })).toMatchObject({ removed: false });
    expect(await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, bob.id))).toEqual([]);
  });

  it("a browser that changes hands stops receiving the previous user's notifications", async () => {
    const [alice, bob] = await people("Alice", "Bob");
    const shared = fake.createSubscription();
    await call(await device(alice), "push:subscribe", { subscription: shared.json });
    await call(await device(bob), "push:subscribe", { subscription: shared.json });
    const owners = await db.select({ userId: pushSubscriptions.userId }).from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, shared.json.endpoint));
    expect(owners).toEqual([{ userId: bob.id }]);
  });

  it("real deployments accept only the browsers' push services (no requests to arbitrary hosts)", async () => {
    const strictPush = createPushService({ db, vapid, isUserConnected: async () => false, log: () => undefined });
    const strict = await startTestGateway({ db, push: strictPush });
    cleanups.push(async () => {
      await strict.close();
      await strictPush.stop();
    });
    const [bob] = await people("Bob");
    const bobDevice = await device(bob, strict.url);
    await expect(call(bobDevice, "push:subscribe", { subscription: fake.createSubscription().json })).rejects.toThrow("bad_request:validation");
    const elsewhere = { ...fake.createSubscription().json, endpoint: "https://internal.example.test/admin" };
    await expect(call(bobDevice, "push:subscribe", { subscription: elsewhere })).rejects.toThrow("bad_request:validation");
    const https = { ...fake.createSubscription().json, endpoint: "https://fcm.googleapis.com/fcm/send/abc" };
    await call(bobDevice, "push:subscribe", { subscription: https });
    const [row] = await db.select().from(pushSubscriptions).where(and(eq(pushSubscriptions.userId, bob.id), eq(pushSubscriptions.endpoint, https.endpoint)));
    expect(row).toBeDefined();
  });

  it("without a push service the events answer unavailable", async () => {
    const plain = await startTestGateway({ db });
    cleanups.push(() => plain.close());
    const [bob] = await people("Bob");
    await expect(call(await device(bob, plain.url), "push:public-key")).rejects.toThrow("unavailable:push");
  });
});

describe("VAPID keys", () => {
  it("are generated once into the data directory and reused, unless the environment sets them", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "vapid-"));
    const first = resolveVapidKeys({ subject: VAPID_SUBJECT, dataDir });
    const second = resolveVapidKeys({ subject: VAPID_SUBJECT, dataDir });
    expect(second).toEqual(first);
    expect(JSON.parse(readFileSync(path.join(dataDir, "vapid.json"), "utf8"))).toEqual({ publicKey: first.publicKey, privateKey: first.privateKey });
    expect(Buffer.from(first.publicKey, "base64url")).toHaveLength(65);

    const configured = webpush.generateVAPIDKeys();
    expect(resolveVapidKeys({ ...configured, subject: VAPID_SUBJECT, dataDir })).toEqual({ ...configured, subject: VAPID_SUBJECT });

    writeFileSync(path.join(dataDir, "vapid.json"), "{ not json");
    expect(() => resolveVapidKeys({ subject: VAPID_SUBJECT, dataDir })).toThrow(/not a valid VAPID key pair/);
  });

  it("the environment is validated: both keys or neither, well-formed, and a mailto:/https: subject", () => {
    const { publicKey, privateKey } = webpush.generateVAPIDKeys();
    expect(parseEnv({ VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey })).toMatchObject({
      VAPID_PUBLIC_KEY: publicKey,
      VAPID_SUBJECT: "mailto:admin@localhost",
    });
    expect(() => parseEnv({ VAPID_PUBLIC_KEY: publicKey })).toThrow(/set together/);
    expect(() => parseEnv({ VAPID_PUBLIC_KEY: privateKey, VAPID_PRIVATE_KEY: privateKey })).toThrow(/VAPID_PUBLIC_KEY/);
    expect(() => parseEnv({ VAPID_SUBJECT: "admin@example.com" })).toThrow(/VAPID_SUBJECT/);
  });
});

describe("the push queue", () => {
  it("never runs work in the caller's tick, drops the oldest when full, and bounds concurrency", async () => {
    const dropped: string[] = [];
    const started: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const releases: Array<() => void> = [];
    const queue = new WorkQueue<{ name: string; run(): Promise<void> }>({
      capacity: 3,
      concurrency: 2,
      onDrop: (task) => dropped.push(task.name),
      onError: () => undefined,
    });
    const task = (name: string) => ({
      name,
      run: () => {
        started.push(name);
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        return new Promise<void>((resolve) =>
          releases.push(() => {
            running -= 1;
            resolve();
          }),
        );
      },
    });
    for (const name of ["a", "b", "c", "d", "e"]) queue.push(task(name));
    expect(started).toEqual([]);
    expect(dropped).toEqual(["a", "b"]);

    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["c", "d"]);
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["c", "d", "e"]);
    expect(maxRunning).toBe(2);
    const stopped = queue.stop();
    for (const release of releases.splice(0)) release();
    await stopped;
  });
});

describe("the notification payload", () => {
  const context: PushMessageContext = { kind: "text", body: "", recalled: false, senderName: "Alice", conversationKind: "direct", conversationTitle: null };
  const build = (overrides: Partial<PushMessageContext>, unread = 1, privatePreviews = false) =>
    buildPushPayload({ context: { ...context, ...overrides }, conversationId: "c1", messageId: "m1", seq: 7, unread, totalUnread: 9, privatePreviews });

  it("previews at most 120 characters, whole emoji, whitespace folded", () => {
    const long = `${"ab ".repeat(30)}\n\n${"😀".repeat(100)}`;
    const { body } = build({ body: long });
    expect(Array.from(body)).toHaveLength(PREVIEW_LENGTH);
    expect(body.endsWith("…")).toBe(true);
    expect(body).not.toMatch(/\s{2}|\n|\uFFFD/);
  });

  it("says a recalled message was recalled and never shows content with private previews", () => {
    expect(build({ body: "", recalled: true }).body).toBe("Message recalled");
    expect(build({ body: "secret" }, 4, true).body).toBe("4 new messages");
    expect(build({ body: "hi", conversationKind: "group" }).title).toBe("Alice in Group");
  });
});
