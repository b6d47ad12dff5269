import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { conversationMembers, conversations as conversationsTable, messages } from "../db/schema";
import type { ConversationSummary, DndSettings, MessageDto, Presence, TypingState } from "../lib/socket-events";
import { sortConversations } from "../lib/client/chat-state";
import { openDirectConversation } from "../server/services/conversations";
import { closeTestDatabase, openTestDatabase } from "./helpers/db";
import { call, callList, collect, createPerson, send, waitFor, type Person } from "./helpers/chat";
import { connectClient, startTestGateway, whenConnected, type TestClient, type TestGateway } from "./helpers/socket-server";

let db: Database;
let gateway: TestGateway;
/** Same server, but messages can be recalled or edited only within 0 seconds. */
let strictGateway: TestGateway;
const clients: TestClient[] = [];

async function device(person: Person, url = gateway.url, visible = true) {
  const client = connectClient(url, { cookie: person.cookie });
  if (!visible) client.auth = { visible: false };
  await whenConnected(client);
  clients.push(client);
  return client;
}

async function directChat(a: Person, b: Person, url = gateway.url) {
  const { conversation } = await call<{ conversation: ConversationSummary }>(await device(a, url), "conversations:open-direct", { userId: b.id });
  return conversation.id;
}

async function pair(url = gateway.url) {
  const [alice, bob] = await Promise.all([createPerson(db, url, "Alice"), createPerson(db, url, "Bob")]);
  return { alice, bob, conversationId: await directChat(alice, bob, url) };
}

async function list(client: TestClient) {
  return callList(client);
}

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = await startTestGateway({ db });
  strictGateway = await startTestGateway({ db, policy: { recallWindowSeconds: 0, editWindowSeconds: 0 } });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});
afterAll(async () => {
  await Promise.all([gateway.close(), strictGateway.close()]);
  await closeTestDatabase();
});

describe("recall", () => {
  it("the sender recalls within the window: content erased from storage, every device told live", async () => {
    const { alice, bob, conversationId } = await pair();
    const aliceDevice = await device(alice);
    const [bobPhone, bobLaptop] = await Promise.all([device(bob), device(bob)]);
    const updates = [collect(bobPhone, "message:updated"), collect(bobLaptop, "message:updated")];
    const sent = await send(aliceDevice, conversationId, "oops, wrong chat");
    const { message } = await call<{ message: MessageDto }>(aliceDevice, "message:recall", { conversationId, seq: sent.seq });
    expect(message).toMatchObject({ seq: sent.seq, body: "", recalledAt: expect.any(String), modVersion: 1 });
    await waitFor(bobPhone, "message:updated", () => updates[0]!.length === 1);
    await waitFor(bobLaptop, "message:updated", () => updates[1]!.length === 1);
    const [row] = await db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.seq, sent.seq)));
    expect(row?.body).toBe("");
    expect(JSON.stringify(row)).not.toContain("wrong chat");
    // The list preview follows: the last message is now the recalled one.
    expect((await list(bobPhone)).conversations.find((entry) => entry.id === conversationId)?.lastMessage).toMatchObject({ recalledAt: expect.any(String), body: "" });
  });

  it("is refused after the window, for someone else's message, and twice", async () => {
    const strict = await pair(strictGateway.url);
    const aliceStrict = await device(strict.alice, strictGateway.url);
    const late = await send(aliceStrict, strict.conversationId, "too late to take back");
    await expect(call(aliceStrict, "message:recall", { conversationId: strict.conversationId, seq: late.seq })).rejects.toThrow("forbidden:recall_window");
    await expect(call(aliceStrict, "message:edit", { conversationId: strict.conversationId, seq: late.seq, body: "x" })).rejects.toThrow("forbidden:edit_window");

    const { alice, bob, conversationId } = await pair();
    const [aliceDevice, bobDevice] = await Promise.all([device(alice), device(bob)]);
    const mine = await send(aliceDevice, conversationId, "mine");
    await expect(call(bobDevice, "message:recall", { conversationId, seq: mine.seq })).rejects.toThrow("forbidden:recall");
    await call(aliceDevice, "message:recall", { conversationId, seq: mine.seq });
    await expect(call(aliceDevice, "message:recall", { conversationId, seq: mine.seq })).rejects.toThrow("conflict:recalled");
    await expect(call(aliceDevice, "message:recall", { conversationId, seq: 999 })).rejects.toThrow("not_found:message");
  });

  it("a device that was offline learns of recalls and edits on sync", async () => {
    const { alice, bob, conversationId } = await pair();
    const aliceDevice = await device(alice);
    const first = await send(aliceDevice, conversationId, "first");
    const second = await send(aliceDevice, conversationId, "secnod");
    // Age the conversation's activity beyond the list cursor's safety margin, so only a recall or edit
    // can bring it back in a sync since the cursor.
    await db.update(conversationsTable).set({ lastMessageAt: sql`now() - interval '1 hour'` }).where(eq(conversationsTable.id, conversationId));
    await db.update(conversationMembers).set({ updatedAt: sql`now() - interval '1 hour'` }).where(eq(conversationMembers.conversationId, conversationId));
    const bobDevice = await device(bob);
    const { conversations, cursor } = await list(bobDevice);
    const seenVersion = conversations.find((entry) => entry.id === conversationId)!.modVersion;
    bobDevice.disconnect();

    await call(aliceDevice, "message:recall", { conversationId, seq: first.seq });
    await call(aliceDevice, "message:edit", { conversationId, seq: second.seq, body: "second" });

    bobDevice.connect();
    await new Promise<void>((resolve) => bobDevice.once("connect", () => resolve()));
    // Even with no new message, the changed conversation comes back in a list sync since the old cursor.
    const changedSince = await callList(bobDevice, cursor);
    const summary = changedSince.conversations.find((entry) => entry.id === conversationId)!;
    expect(summary.modVersion).toBe(seenVersion + 2);
    const changes = await call<{ messages: MessageDto[]; hasMore: boolean; lastVersion: number }>(bobDevice, "messages:modified", {
      conversationId,
      afterVersion: seenVersion,
    });
    expect(changes.lastVersion).toBe(seenVersion + 2);
    expect(changes.messages.map((message) => [message.seq, message.body, !!message.recalledAt, !!message.editedAt])).toEqual([
      [first.seq, "", true, false],
      [second.seq, "second", false, true],
    ]);
  });
});

describe("edit", () => {
  it("the sender edits a text message; members see the new text with an edited mark", async () => {
    const { alice, bob, conversationId } = await pair();
    const aliceDevice = await device(alice);
    const bobDevice = await device(bob);
    const updates = collect(bobDevice, "message:updated");
    const sent = await send(aliceDevice, conversationId, "helo");
    await call(aliceDevice, "message:edit", { conversationId, seq: sent.seq, body: "hello" });
    await waitFor(bobDevice, "message:updated", () => updates.length === 1);
    expect(updates[0]).toMatchObject({ seq: sent.seq, body: "hello", editedAt: expect.any(String), recalledAt: null });
    await expect(call(bobDevice, "message:edit", { conversationId, seq: sent.seq, body: "hijack" })).rejects.toThrow("forbidden:edit");
    await expect(call(aliceDevice, "message:edit", { conversationId, seq: sent.seq, body: "  " })).rejects.toThrow("bad_request:validation");
  });
});

describe("typing", () => {
  it("reaches the peer with an expiry, stops on request, and is cleared when the typist disconnects", async () => {
    const { alice, bob, conversationId } = await pair();
    const aliceDevice = await device(alice);
    const bobDevice = await device(bob);
    const seen = collect(bobDevice, "typing");
    expect(await call(aliceDevice, "typing", { conversationId, typing: true })).toEqual({ broadcast: true });
    await waitFor(bobDevice, "typing", () => seen.length === 1);
    expect(seen[0]).toEqual({ conversationId, userId: alice.id, typing: true, expiresInMs: expect.any(Number) } satisfies TypingState);
    expect(seen[0]!.expiresInMs).toBeLessThanOrEqual(10_000);

    await call(aliceDevice, "typing", { conversationId, typing: false });
    await waitFor(bobDevice, "typing", () => seen.length === 2);
    expect(seen[1]).toMatchObject({ typing: false });

    await call(aliceDevice, "typing", { conversationId, typing: true });
    await waitFor(bobDevice, "typing", () => seen.length === 3);
    aliceDevice.disconnect();
    await waitFor(bobDevice, "typing", () => seen.length === 4);
    expect(seen[3]).toMatchObject({ userId: alice.id, typing: false });
  });

  it("is refused for non-members", async () => {
    const { conversationId } = await pair();
    const mallory = await createPerson(db, gateway.url, "Mallory");
    await expect(call(await device(mallory), "typing", { conversationId, typing: true })).rejects.toThrow("forbidden:conversation");
  });
});

describe("presence", () => {
  it("online while any tab is visible, away when all are hidden, offline with last seen when none is connected", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    await openDirectConversation({ db, userId: alice.id, input: { userId: bob.id } });
    const bobDevice = await device(bob);
    const updates = collect(bobDevice, "presence");
    const initial = await call<{ presences: Presence[] }>(bobDevice, "presence:subscribe", { userIds: [alice.id] });
    expect(initial.presences).toEqual([{ userId: alice.id, status: "offline", lastSeenAt: null }]);

    const tab1 = await device(alice);
    await waitFor(bobDevice, "presence", () => updates.at(-1)?.status === "online");
    const tab2 = await device(alice, gateway.url, false);
    await call(tab1, "presence:visibility", { visible: false });
    await waitFor(bobDevice, "presence", () => updates.at(-1)?.status === "away");
    await call(tab2, "presence:visibility", { visible: true });
    await waitFor(bobDevice, "presence", () => updates.at(-1)?.status === "online");
    tab2.disconnect();
    await waitFor(bobDevice, "presence", () => updates.at(-1)?.status === "away");
    tab1.disconnect();
    await waitFor(bobDevice, "presence", () => updates.at(-1)?.status === "offline");
    expect(Number.isNaN(Date.parse(updates.at(-1)!.lastSeenAt!))).toBe(false);

    const again = await call<{ presences: Presence[] }>(bobDevice, "presence:subscribe", { userIds: [alice.id] });
    expect(again.presences[0]).toMatchObject({ status: "offline", lastSeenAt: expect.any(String) });
  });

  it("only people who share a conversation can follow someone's presence", async () => {
    const { alice } = await pair();
    const stranger = await createPerson(db, gateway.url, "Stranger");
    const result = await call<{ presences: Presence[] }>(await device(stranger), "presence:subscribe", { userIds: [alice.id] });
    expect(result.presences).toEqual([]);
  });
});

describe("do-not-disturb and pin", () => {
  it("a muted conversation keeps its own count but leaves the total, on every device", async () => {
    const { alice, bob, conversationId } = await pair();
    const carol = await createPerson(db, gateway.url, "Carol");
    const withCarol = await directChat(carol, bob);
    const [aliceDevice, carolDevice] = await Promise.all([device(alice), device(carol)]);
    await send(aliceDevice, conversationId, "one");
    await send(aliceDevice, conversationId, "two");
    await send(carolDevice, withCarol, "three");
    const [bobPhone, bobLaptop] = await Promise.all([device(bob), device(bob)]);
    expect((await list(bobPhone)).totalUnread).toBe(3);

    const laptopChanges = collect(bobLaptop, "conversation:changed");
    const { conversation } = await call<{ conversation: ConversationSummary }>(bobPhone, "conversation:settings", { conversationId, muted: true });
    expect(conversation).toMatchObject({ muted: true, unreadCount: 2 });
    await waitFor(bobLaptop, "conversation:changed", () => laptopChanges.some((entry) => entry.id === conversationId && entry.muted));
    const laptopList = await list(bobLaptop);
    expect(laptopList.totalUnread).toBe(1);
    expect(laptopList.conversations.find((entry) => entry.id === conversationId)).toMatchObject({ muted: true, unreadCount: 2 });
  });

  it("pinned conversations come first, whatever their last activity", async () => {
    const { alice, bob, conversationId } = await pair();
    const carol = await createPerson(db, gateway.url, "Carol");
    const withCarol = await directChat(bob, carol);
    const bobDevice = await device(bob);
    await send(await device(alice), conversationId, "older");
    await send(bobDevice, withCarol, "newer");
    // The list arrives unordered; the conversation list renders it in the client's order.
    const shown = async () => sortConversations(Object.fromEntries((await list(bobDevice)).conversations.map((entry) => [entry.id, entry])));
    expect((await shown()).map((entry) => entry.id)).toEqual([withCarol, conversationId]);
    await call(bobDevice, "conversation:settings", { conversationId, pinned: true });
    expect((await shown()).map((entry) => [entry.id, entry.pinned])).toEqual([
      [conversationId, true],
      [withCarol, false],
    ]);
  });

  it("global do-not-disturb is stored server-side with an optional end time and reaches every device", async () => {
    const bob = await createPerson(db, gateway.url, "Bob");
    const [phone, laptop] = await Promise.all([device(bob), device(bob)]);
    expect(await call<{ dnd: DndSettings }>(phone, "settings:get")).toEqual({ dnd: { enabled: false, until: null, active: false } });
    const changes = collect(laptop, "settings:changed");
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const { dnd } = await call<{ dnd: DndSettings }>(phone, "settings:dnd", { enabled: true, until });
    expect(dnd).toEqual({ enabled: true, until, active: true });
    await waitFor(laptop, "settings:changed", () => changes.length === 1);
    expect(changes[0]!.dnd.active).toBe(true);
    await expect(call(phone, "settings:dnd", { enabled: true, until: new Date(Date.now() - 1000).toISOString() })).rejects.toThrow("bad_request:validation");
    expect((await call<{ dnd: DndSettings }>(await device(bob), "settings:get")).dnd).toMatchObject({ enabled: true, active: true });
  });
});

describe("groups and lifecycle", () => {
  it("recall in a group reaches every member", async () => {
    const [alice, bob, carol] = await Promise.all(["Alice", "Bob", "Carol"].map((name) => createPerson(db, gateway.url, name)));
    const aliceDevice = await device(alice!);
    const { conversation } = await call<{ conversation: ConversationSummary }>(aliceDevice, "groups:create", { title: "G", memberIds: [bob!.id, carol!.id] });
    const carolDevice = await device(carol!);
    const updates = collect(carolDevice, "message:updated");
    const sent = await send(aliceDevice, conversation.id, "secret", randomUUID());
    await call(aliceDevice, "message:recall", { conversationId: conversation.id, seq: sent.seq });
    await waitFor(carolDevice, "message:updated", () => updates.length === 1);
    expect(updates[0]).toMatchObject({ seq: sent.seq, recalledAt: expect.any(String) });
  });
});
