import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { messages } from "../db/schema";
import type { ConversationSummary, MessageDto, ReadState } from "../lib/socket-events";
import { closeTestDatabase, openTestDatabase } from "./helpers/db";
import { call, callList, callPage, collect, createPerson, deviceRegistry, send, waitFor, type Person } from "./helpers/chat";
import { createGroup } from "../server/services/groups";
import { sendMessage } from "../server/services/messages";
import { createEventRateLimiter } from "../server/socket/rate-limit";
import { startTestGateway, type TestClient, type TestGateway } from "./helpers/socket-server";

let db: Database;
let gateway: TestGateway;
const { device, disconnectAll } = deviceRegistry();

async function directChat(a: Person, b: Person) {
  const client = await device(a);
  const { conversation } = await call<{ conversation: ConversationSummary }>(client, "conversations:open-direct", { userId: b.id });
  return conversation.id;
}

async function storedRows(conversationId: string) {
  return db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
}

async function listFor(client: TestClient) {
  return callList(client);
}

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = await startTestGateway({ db });
});
afterEach(() => {
  disconnectAll();
});
afterAll(async () => {
  await gateway.close();
  await closeTestDatabase();
});

describe("one-to-one conversations", () => {
  it("exactly one direct conversation per pair, even when both open it at the same moment", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const [aliceDevice, bobDevice] = await Promise.all([device(alice), device(bob)]);
    const opened = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        call<{ conversation: ConversationSummary }>(index % 2 ? aliceDevice : bobDevice, "conversations:open-direct", {
          userId: index % 2 ? bob.id : alice.id,
        }),
      ),
    );
    expect(new Set(opened.map(({ conversation }) => conversation.id)).size).toBe(1);
    expect(opened[0]!.conversation.peer).toBeTruthy();
  });

  it("refuses opening a conversation with yourself or with nobody", async () => {
    const alice = await createPerson(db, gateway.url, "Alice");
    const client = await device(alice);
    await expect(call(client, "conversations:open-direct", { userId: alice.id })).rejects.toThrow("bad_request:self");
    await expect(call(client, "conversations:open-direct", { userId: randomUUID() })).rejects.toThrow("not_found:user");
    await expect(call(client, "conversations:open-direct", { userId: "x" })).rejects.toThrow("bad_request:validation");
  });
});

describe("sending", () => {
  it("acks only after commit with { seq, id, createdAt }, and fans out to the recipient and the sender's other tabs, not the sending tab", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const [aliceTab1, aliceTab2, bobDevice] = await Promise.all([device(alice), device(alice), device(bob)]);
    const atBob = collect(bobDevice, "message:new");
    const atAliceTab1 = collect(aliceTab1, "message:new");
    const atAliceTab2 = collect(aliceTab2, "message:new");
    const message = await send(aliceTab1, conversationId, "hello bob");
    expect(message).toMatchObject({ seq: 1, senderId: alice.id, body: "hello bob" });
    expect(message.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(message.createdAt))).toBe(false);
    expect(await storedRows(conversationId)).toHaveLength(1);
    await waitFor(bobDevice, "message:new", () => atBob.length === 1);
    await waitFor(aliceTab2, "message:new", () => atAliceTab2.length === 1);
    expect(atBob[0]).toEqual(message);
    expect(atAliceTab2[0]).toEqual(message);
    // The sending tab has the message from its ack. Bob's reply is emitted after Alice's message, so on
    // one socket it would arrive after any copy of hers.
    const reply = await send(bobDevice, conversationId, "hello alice");
    await waitFor(aliceTab1, "message:new", () => atAliceTab1.length > 0);
    expect(atAliceTab1).toEqual([reply]);
  });

  it("a retried send returns the original message and stores nothing new (sequential duplicates)", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const client = await device(alice);
    const clientMsgId = randomUUID();
    const first = await send(client, conversationId, "only once", clientMsgId);
    const retry = await send(client, conversationId, "only once", clientMsgId);
    const fromOtherTab = await send(await device(alice), conversationId, "only once", clientMsgId);
    expect(retry).toEqual(first);
    expect(fromOtherTab).toEqual(first);
    expect(await storedRows(conversationId)).toHaveLength(1);
    const next = await send(client, conversationId, "next");
    expect(next.seq).toBe(2);
  });

  it("concurrent duplicates of one send store exactly one message and leave no seq gap", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const tabs = await Promise.all([device(alice), device(alice), device(alice)]);
    const clientMsgId = randomUUID();
    const results = await Promise.all(Array.from({ length: 12 }, (_, index) => send(tabs[index % 3]!, conversationId, "race", clientMsgId)));
    expect(new Set(results.map((message) => `${message.id}/${message.seq}`)).size).toBe(1);
    expect(await storedRows(conversationId)).toHaveLength(1);
    expect((await send(tabs[0]!, conversationId, "after the race")).seq).toBe(2);
  });

  it("seqs are gap-free and every sender's order is kept under concurrent senders", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const senders = await Promise.all([device(alice), device(alice), device(bob), device(bob)]);
    const perSender = 25;
    await Promise.all(
      senders.map(async (client, senderIndex) => {
        for (let index = 0; index < perSender; index++) await send(client, conversationId, `s${senderIndex}-${index}`);
      }),
    );
    const rows = await storedRows(conversationId);
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: senders.length * perSender }, (_, index) => index + 1));
    for (let senderIndex = 0; senderIndex < senders.length; senderIndex++) {
      const bodies = rows.filter((row) => row.body.startsWith(`s${senderIndex}-`)).map((row) => row.body);
      expect(bodies).toEqual(Array.from({ length: perSender }, (_, index) => `s${senderIndex}-${index}`));
    }
  });

  it("the sender is the authenticated user, whatever the payload claims", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const client = await device(alice);
    const message = await call<{ message: MessageDto }>(client, "message:send", {
      conversationId,
      clientMsgId: randomUUID(),
      body: "who am i",
      senderId: bob.id,
    });
    expect(message.message.senderId).toBe(alice.id);
    const [row] = await db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.seq, 1)));
    expect(row?.senderId).toBe(alice.id);
  });

  it("refuses empty, oversized and malformed messages with clear errors, and survives garbage frames", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const client = await device(alice);
    const refusal = async (input: unknown) => {
      const result = await client.emitWithAck("message:send", input as never);
      if (result.ok) throw new Error("expected a refusal");
      return result.error;
    };
    expect(await refusal({ conversationId, clientMsgId: randomUUID(), body: "   \n " })).toMatchObject({
      code: "bad_request:validation",
      message: "A message cannot be empty",
    });
    expect(await refusal({ conversationId, clientMsgId: randomUUID(), body: "x".repeat(4001) })).toMatchObject({
      code: "bad_request:validation",
      message: "Messages are limited to 4000 characters",
    });
    expect((await refusal({ conversationId, body: "no id" })).code).toBe("bad_request:validation");
    expect((await refusal({ conversationId: "not-a-uuid", clientMsgId: randomUUID(), body: "x" })).code).toBe("bad_request:validation");
    expect((await refusal(null)).code).toBe("bad_request:validation");
    expect((await refusal("a string")).code).toBe("bad_request:validation");
    // Frames without an ack, or with an unknown event name, are ignored; the socket stays usable.
    (client as unknown as { emit(...args: unknown[]): void }).emit("message:send", { conversationId });
    (client as unknown as { emit(...args: unknown[]): void }).emit("no:such-event", 1, 2, 3);
    expect((await send(client, conversationId, "still fine")).seq).toBe(1);
    expect(client.connected).toBe(true);
  });
});

describe("authorisation", () => {
  it("a non-member gets forbidden on every event for the conversation", async () => {
    const [alice, bob, mallory] = await Promise.all([
      createPerson(db, gateway.url, "Alice"),
      createPerson(db, gateway.url, "Bob"),
      createPerson(db, gateway.url, "Mallory"),
    ]);
    const conversationId = await directChat(alice, bob);
    await send(await device(alice), conversationId, "private");
    const intruder = await device(mallory);
    const attempts: Array<[string, unknown]> = [
      ["message:send", { conversationId, clientMsgId: randomUUID(), body: "let me in" }],
      ["messages:since", { conversationId, afterSeq: 0 }],
      ["messages:history", { conversationId }],
      ["conversation:read", { conversationId, seq: 1 }],
      ["conversation:delivered", { conversationId, seq: 1 }],
      ["message:delete-for-me", { conversationId, seq: 1 }],
    ];
    for (const [event, input] of attempts) {
      await expect(call(intruder, event, input), event).rejects.toThrow("forbidden:conversation");
    }
    expect((await listFor(intruder)).conversations).toEqual([]);
    expect(await storedRows(conversationId)).toHaveLength(1);
  });

  it("a blocked sender is refused with a clear error; unblocking restores sending", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const [aliceDevice, bobDevice] = await Promise.all([device(alice), device(bob)]);
    await send(aliceDevice, conversationId, "before");
    const changes = collect(bobDevice, "conversation:changed");
    await call(bobDevice, "users:block", { userId: alice.id, blocked: true });
    await waitFor(bobDevice, "conversation:changed", () => changes.length === 1);
    expect(changes[0]).toMatchObject({ id: conversationId, blockedByMe: true });
    await expect(send(aliceDevice, conversationId, "during")).rejects.toThrow("forbidden:blocked");
    // Bob can still write to Alice.
    expect((await send(bobDevice, conversationId, "bob speaks")).seq).toBe(2);
    await call(bobDevice, "users:block", { userId: alice.id, blocked: false });
    expect((await send(aliceDevice, conversationId, "after")).seq).toBe(3);
    expect((await storedRows(conversationId)).map((row) => row.body)).toEqual(["before", "bob speaks", "after"]);
  });
});

describe("sync: push for speed, pull for truth", () => {
  it("a device offline while 50 messages arrive ends with exactly those 50, in order", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const aliceDevice = await device(alice);
    const bobDevice = await device(bob);
    const first = await send(aliceDevice, conversationId, "before going offline");
    bobDevice.disconnect();

    const sent: MessageDto[] = [];
    for (let index = 1; index <= 50; index++) sent.push(await send(aliceDevice, conversationId, `while offline ${index}`));

    bobDevice.connect();
    await new Promise<void>((resolve) => bobDevice.once("connect", () => resolve()));
    const pulled: MessageDto[] = [];
    let afterSeq = first.seq;
    for (;;) {
      const page = await callPage(bobDevice, "messages:since", { conversationId, afterSeq, limit: 20 });
      pulled.push(...page.messages);
      afterSeq = page.messages.at(-1)?.seq ?? afterSeq;
      if (!page.hasMore) break;
    }
    expect(pulled.map((message) => message.body)).toEqual(sent.map((message) => message.body));
    expect(pulled.map((message) => message.seq)).toEqual(sent.map((message) => message.seq));
  });

  it("history pages backwards by seq without overlap or gaps", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const client = await device(alice);
    for (let index = 1; index <= 23; index++) await send(client, conversationId, `m${index}`);
    const seen: number[] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const page = await callPage(client, "messages:history", { conversationId, beforeSeq, limit: 10 });
      seen.unshift(...page.messages.map((message) => message.seq));
      if (!page.hasMore) break;
      beforeSeq = page.messages[0]!.seq;
    }
    expect(seen).toEqual(Array.from({ length: 23 }, (_, index) => index + 1));
  });

  it("the conversation list since a cursor returns only what changed", async () => {
    const [alice, bob, carol] = await Promise.all([
      createPerson(db, gateway.url, "Alice"),
      createPerson(db, gateway.url, "Bob"),
      createPerson(db, gateway.url, "Carol"),
    ]);
    const withBob = await directChat(alice, bob);
    const withCarol = await directChat(alice, carol);
    const aliceDevice = await device(alice);
    const initial = await listFor(aliceDevice);
    expect(initial.conversations.map((conversation) => conversation.id).sort()).toEqual([withBob, withCarol].sort());
    await send(await device(bob), withBob, "news");
    const changed = await callList(aliceDevice, initial.cursor);
    expect(changed.conversations.map((conversation) => conversation.id)).toContain(withBob);
    expect(changed.totalUnread).toBe(1);
    expect(changed.conversations.find((conversation) => conversation.id === withBob)).toMatchObject({
      title: "Bob",
      unreadCount: 1,
      lastMessage: expect.objectContaining({ body: "news" }),
    });
  });
});

describe("unread and read state", () => {
  it("unread counts stay exact across a mix of sends and reads on two devices", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const aliceDevice = await device(alice);
    const [bobPhone, bobLaptop] = await Promise.all([device(bob), device(bob)]);
    for (let index = 1; index <= 5; index++) await send(aliceDevice, conversationId, `a${index}`);

    const unread = async (client: TestClient) => {
      const list = await listFor(client);
      return { one: list.conversations.find((conversation) => conversation.id === conversationId)?.unreadCount, total: list.totalUnread };
    };
    expect(await unread(bobPhone)).toEqual({ one: 5, total: 5 });
    expect(await unread(aliceDevice)).toEqual({ one: 0, total: 0 });

    const laptopStates = collect(bobLaptop, "conversation:read-state");
    const aliceStates = collect(aliceDevice, "conversation:read-state");
    const read = await call<ReadState>(bobPhone, "conversation:read", { conversationId, seq: 3 });
    expect(read).toMatchObject({ userId: bob.id, lastReadSeq: 3, lastDeliveredSeq: 3 });
    await waitFor(bobLaptop, "conversation:read-state", () => laptopStates.some((state) => state.lastReadSeq === 3));
    await waitFor(aliceDevice, "conversation:read-state", () => aliceStates.some((state) => state.lastReadSeq === 3));
    expect(await unread(bobLaptop)).toEqual({ one: 2, total: 2 });

    // The read position never moves back, and never past the last message.
    expect((await call<ReadState>(bobLaptop, "conversation:read", { conversationId, seq: 1 })).lastReadSeq).toBe(3);
    expect((await call<ReadState>(bobLaptop, "conversation:read", { conversationId, seq: 999 })).lastReadSeq).toBe(5);
    expect(await unread(bobPhone)).toEqual({ one: 0, total: 0 });

    await send(aliceDevice, conversationId, "a6");
    await send(aliceDevice, conversationId, "a7");
    expect(await unread(bobPhone)).toEqual({ one: 2, total: 2 });
    // Replying reads what came before it.
    await send(bobLaptop, conversationId, "b1");
    expect(await unread(bobPhone)).toEqual({ one: 0, total: 0 });
    expect(await unread(aliceDevice)).toEqual({ one: 1, total: 1 });
  });

  it("the list holds every conversation, however many, and the total counts them all", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const groups = await Promise.all(
      Array.from({ length: 230 }, async (_, index) =>
        (await createGroup({ db, userId: alice.id, input: { title: `Team ${index}`, memberIds: [bob.id] }, maxMembers: 10 })).conversation.id,
      ),
    );
    await Promise.all(groups.map((conversationId) => sendMessage({ db, senderId: alice.id, input: { conversationId, clientMsgId: randomUUID(), body: "hi" } })));
    const list = await listFor(await device(bob));
    expect(new Set(list.conversations.map((conversation) => conversation.id))).toEqual(new Set(groups));
    // Each group is unread alike (its creation notice and the message), and every one counts in the total.
    const [perGroup, ...others] = new Set(list.conversations.map((conversation) => conversation.unreadCount));
    expect(others).toEqual([]);
    expect(perGroup).toBeGreaterThan(0);
    expect(list.totalUnread).toBe(230 * perGroup!);
  });

  it("delivered moves the sender's receipt without reading", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const aliceDevice = await device(alice);
    await send(aliceDevice, conversationId, "ping");
    const bobDevice = await device(bob);
    const state = await call<ReadState>(bobDevice, "conversation:delivered", { conversationId, seq: 1 });
    expect(state).toMatchObject({ lastDeliveredSeq: 1, lastReadSeq: 0 });
    const aliceView = (await listFor(aliceDevice)).conversations.find((conversation) => conversation.id === conversationId);
    expect(aliceView).toMatchObject({ peerLastDeliveredSeq: 1, peerLastReadSeq: 0 });
    expect((await listFor(bobDevice)).totalUnread).toBe(1);
  });
});

describe("delete for me", () => {
  it("hides a message from my devices only; the other side keeps it", async () => {
    const [alice, bob] = await Promise.all([createPerson(db, gateway.url, "Alice"), createPerson(db, gateway.url, "Bob")]);
    const conversationId = await directChat(alice, bob);
    const aliceDevice = await device(alice);
    for (const body of ["one", "two", "three"]) await send(aliceDevice, conversationId, body);
    const [bobPhone, bobLaptop] = await Promise.all([device(bob), device(bob)]);
    const hiddenOnLaptop = collect(bobLaptop, "message:hidden");
    await call(bobPhone, "message:delete-for-me", { conversationId, seq: 2 });
    await waitFor(bobLaptop, "message:hidden", () => hiddenOnLaptop.length === 1);
    expect(hiddenOnLaptop[0]).toEqual({ conversationId, seq: 2 });

    const bobPage = await callPage(bobLaptop, "messages:since", { conversationId, afterSeq: 0 });
    expect(bobPage.messages.map((message) => message.body)).toEqual(["one", "three"]);
    expect(bobPage.hiddenSeqs).toEqual([2]);
    const alicePage = await callPage(aliceDevice, "messages:history", { conversationId });
    expect(alicePage.messages.map((message) => message.body)).toEqual(["one", "two", "three"]);
    await expect(call(bobPhone, "message:delete-for-me", { conversationId, seq: 99 })).rejects.toThrow("not_found:message");
  });
});

describe("abuse limits", () => {
  it("a user sending faster than the per-user budget is refused with rate_limited, then recovers", async () => {
    const limited = await startTestGateway({ db, limiter: createEventRateLimiter({ sendsPerSecond: 5, eventsPerSecond: 100 }) });
    try {
      const [alice, bob] = await Promise.all([createPerson(db, limited.url, "Alice"), createPerson(db, limited.url, "Bob")]);
      const client = await device(alice);
      const { conversation } = await call<{ conversation: ConversationSummary }>(client, "conversations:open-direct", { userId: bob.id });
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => send(client, conversation.id, `burst ${index}`)));
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(5);
      const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
      expect(refused.map((result) => (result.reason as Error).message)).toEqual(Array(3).fill("rate_limited:events"));
      expect((await storedRows(conversation.id)).map((row) => row.seq)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await limited.close();
    }
  });
});

describe("people search", () => {
  it("finds people by username prefix or display name, never yourself", async () => {
    const alice = await createPerson(db, gateway.url, "Alice");
    const surname = randomUUID().slice(0, 8);
    const zed = await createPerson(db, gateway.url, `Zebediah ${surname}`);
    const client = await device(alice);
    const { users } = await call<{ users: Array<{ id: string }> }>(client, "users:search", { query: `ebediah ${surname}` });
    expect(users.map((user) => user.id)).toEqual([zed.id]);
    const self = await call<{ users: Array<{ id: string }> }>(client, "users:search", { query: "Alice" });
    expect(self.users.map((user) => user.id)).not.toContain(alice.id);
    await expect(call(client, "users:search", { query: "  " })).rejects.toThrow("bad_request:validation");
  });
});
