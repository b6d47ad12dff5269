import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../db";
import { messages, users } from "../db/schema";
import { conversationRoom, type ConversationSummary, type GroupMemberDto, type MessageDto, type UserDto } from "../lib/socket-events";
import { addGroupMembers, createGroup as createGroupService } from "../server/services/groups";
import { closeTestDatabase, openTestDatabase } from "./helpers/db";
import { call, callList, callPage, collect, createPerson, deviceRegistry, send, waitFor, type Person } from "./helpers/chat";
import { startTestGateway, type TestClient, type TestGateway } from "./helpers/socket-server";

let db: Database;
let gateway: TestGateway;
const { device, disconnectAll } = deviceRegistry();

async function people<const Names extends string[]>(...names: Names): Promise<{ [Index in keyof Names]: Person }> {
  return Promise.all(names.map((name) => createPerson(db, gateway.url, name))) as Promise<{ [Index in keyof Names]: Person }>;
}

async function createGroup(owner: TestClient, title: string, members: Person[]) {
  const { conversation } = await call<{ conversation: ConversationSummary }>(owner, "groups:create", { title, memberIds: members.map((member) => member.id) });
  return conversation;
}

async function allMessages(client: TestClient, conversationId: string) {
  return (await callPage(client, "messages:since", { conversationId, afterSeq: 0, limit: 200 })).messages;
}

async function summaryOf(client: TestClient, conversationId: string) {
  return (await callList(client)).conversations.find((entry) => entry.id === conversationId);
}

beforeAll(async () => {
  db = await openTestDatabase();
  gateway = await startTestGateway({ db });
});
afterEach(() => {
  disconnectAll();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await gateway.close();
  await closeTestDatabase();
});

describe("creating groups", () => {
  it("creates a group with a system message; every member sees it live and in their list", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    const [aliceDevice, bobDevice] = await Promise.all([device(alice), device(bob)]);
    const atBob = collect(bobDevice, "message:new");
    const group = await createGroup(aliceDevice, "Trip", [bob, carol]);
    expect(group).toMatchObject({ kind: "group", title: "Trip", memberCount: 3, myRole: "owner", unreadCount: 0, receiptsEnabled: true });
    await waitFor(bobDevice, "message:new", () => atBob.length === 1);
    expect(atBob[0]).toMatchObject({ conversationId: group.id, seq: 1, kind: "system", meta: { type: "group_created", title: "Trip" } });
    expect(await summaryOf(bobDevice, group.id)).toMatchObject({ title: "Trip", unreadCount: 1, myRole: "member" });
  });

  it("refuses a bad name, no other member, unknown people, and people who blocked the creator", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    const aliceDevice = await device(alice);
    await expect(createGroup(aliceDevice, "  ", [bob])).rejects.toThrow("bad_request:validation");
    await expect(createGroup(aliceDevice, "x".repeat(65), [bob])).rejects.toThrow("bad_request:validation");
    await expect(call(aliceDevice, "groups:create", { title: "Solo", memberIds: [alice.id] })).rejects.toThrow("bad_request:validation");
    await expect(call(aliceDevice, "groups:create", { title: "Ghosts", memberIds: [randomUUID()] })).rejects.toThrow("not_found:user");
    await call(await device(carol), "users:block", { userId: alice.id, blocked: true });
    await expect(createGroup(aliceDevice, "Nope", [bob, carol])).rejects.toThrow("forbidden:blocked");
  });
});

describe("read diffusion and ordering", () => {
  it("stores one row per group message whatever the member count, and every other member receives it", async () => {
    const members = await people("Owner", "M1", "M2", "M3", "M4", "M5", "M6");
    const [sender, ...others] = await Promise.all(members.map(device));
    const group = await createGroup(sender!, "Big family", members.slice(1));
    const received = others.map((client) => collect(client, "message:new"));
    const message = await send(sender!, group.id, "hello everyone");
    await Promise.all(others.map((client, index) => waitFor(client, "message:new", () => received[index]!.some((entry) => entry.seq === message.seq))));
    const rows = await db.select().from(messages).where(eq(messages.conversationId, group.id));
    expect(rows.filter((row) => row.kind === "text")).toHaveLength(1);
  });

  it("keeps seqs gap-free and each sender's order under concurrent senders", async () => {
    const members = await people("A", "B", "C", "D");
    const devices = await Promise.all(members.map(device));
    const group = await createGroup(devices[0]!, "Busy", members.slice(1));
    await Promise.all(
      devices.map(async (client, sender) => {
        for (let index = 0; index < 20; index++) await send(client, group.id, `${sender}:${index}`);
      }),
    );
    const all = await allMessages(devices[1]!, group.id);
    expect(all.map((message) => message.seq)).toEqual(Array.from({ length: 81 }, (_, index) => index + 1));
    for (let sender = 0; sender < devices.length; sender++) {
      const mine = all.filter((message) => message.body.startsWith(`${sender}:`)).map((message) => message.body);
      expect(mine).toEqual(Array.from({ length: 20 }, (_, index) => `${sender}:${index}`));
    }
  });
});

describe("membership", () => {
  it("a late joiner sees history only from the point they joined", async () => {
    const [alice, bob, dave] = await people("Alice", "Bob", "Dave");
    const aliceDevice = await device(alice);
    const group = await createGroup(aliceDevice, "Club", [bob]);
    await send(aliceDevice, group.id, "before dave");
    await call(aliceDevice, "groups:add-members", { conversationId: group.id, userIds: [dave.id] });
    await send(aliceDevice, group.id, "after dave");
    const daveDevice = await device(dave);
    const seen = await allMessages(daveDevice, group.id);
    expect(seen.map((message) => message.meta?.type ?? message.body)).toEqual(["members_added", "after dave"]);
    const history = await callPage(daveDevice, "messages:history", { conversationId: group.id });
    expect(history.messages.map((message) => message.seq)).toEqual(seen.map((message) => message.seq));
    expect(await summaryOf(daveDevice, group.id)).toMatchObject({ unreadCount: 2, memberCount: 3 });
  });

  it("a removed member keeps what they had, receives nothing after removal, and is refused every later event", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    const aliceDevice = await device(alice);
    const group = await createGroup(aliceDevice, "Team", [bob, carol]);
    await send(aliceDevice, group.id, "while bob is in");
    const bobDevice = await device(bob);
    const atBob = collect(bobDevice, "message:new");
    const bobChanges = collect(bobDevice, "conversation:changed");
    await call(aliceDevice, "groups:remove-member", { conversationId: group.id, userId: bob.id });
    await waitFor(bobDevice, "conversation:changed", () => bobChanges.length === 1);
    const removalSeq = bobChanges[0]!.leftSeq!;
    expect(bobChanges[0]).toMatchObject({ id: group.id, leftSeq: 3 });

    const carolDevice = await device(carol);
    const atCarol = collect(carolDevice, "message:new");
    const after = await send(aliceDevice, group.id, "after bob left");
    await waitFor(carolDevice, "message:new", () => atCarol.some((message) => message.seq === after.seq));
    expect(atBob.every((message) => message.seq <= removalSeq)).toBe(true);

    const kept = await allMessages(bobDevice, group.id);
    expect(kept.map((message) => message.seq)).toEqual([1, 2, 3]);
    expect((await callPage(bobDevice, "messages:history", { conversationId: group.id })).messages.at(-1)?.seq).toBe(3);
    for (const [event, input] of [
      ["message:send", { conversationId: group.id, clientMsgId: randomUUID(), body: "let me back" }],
      ["conversation:read", { conversationId: group.id, seq: 4 }],
      ["groups:members", { conversationId: group.id }],
      ["groups:leave", { conversationId: group.id }],
    ] as const) {
      await expect(call(bobDevice, event, input), event).rejects.toThrow("forbidden:conversation");
    }
    expect(await summaryOf(bobDevice, group.id)).toMatchObject({ leftSeq: 3, lastSeq: 3, unreadCount: 0, mentioned: false });
    expect((await callList(bobDevice)).totalUnread).toBe(0);
  });

  it("only the owner and admins manage members and settings", async () => {
    const [alice, bob, carol, dave] = await people("Alice", "Bob", "Carol", "Dave");
    const aliceDevice = await device(alice);
    const group = await createGroup(aliceDevice, "Board", [bob, carol]);
    const bobDevice = await device(bob);
    const attempts = [
      ["groups:add-members", { conversationId: group.id, userIds: [dave.id] }],
      ["groups:remove-member", { conversationId: group.id, userId: carol.id }],
      ["groups:update", { conversationId: group.id, title: "Hijacked" }],
      ["groups:set-role", { conversationId: group.id, userId: carol.id, role: "admin" }],
      ["groups:transfer-ownership", { conversationId: group.id, userId: bob.id }],
    ] as const;
    for (const [event, input] of attempts) await expect(call(bobDevice, event, input), event).rejects.toThrow("forbidden:not_admin");

    await call(aliceDevice, "groups:set-role", { conversationId: group.id, userId: bob.id, role: "admin" });
    await call(bobDevice, "groups:add-members", { conversationId: group.id, userIds: [dave.id] });
    await expect(call(bobDevice, "groups:set-role", { conversationId: group.id, userId: carol.id, role: "admin" })).rejects.toThrow("forbidden:not_owner");
    await expect(call(bobDevice, "groups:remove-member", { conversationId: group.id, userId: alice.id })).rejects.toThrow("forbidden:not_owner");
    const { conversation } = await call<{ conversation: ConversationSummary }>(bobDevice, "groups:update", {
      conversationId: group.id,
      title: "Board 2",
      announcement: "Meeting at 10",
    });
    expect(conversation).toMatchObject({ title: "Board 2", announcement: "Meeting at 10", myRole: "admin" });
    const { members } = await call<{ members: GroupMemberDto[] }>(bobDevice, "groups:members", { conversationId: group.id });
    expect(members.map((member) => [member.user.displayName, member.role])).toEqual([
      ["Alice", "owner"],
      ["Bob", "admin"],
      ["Carol", "member"],
      ["Dave", "member"],
    ]);
    const systemEvents = (await allMessages(aliceDevice, group.id)).filter((message) => message.kind === "system").map((message) => message.meta?.type);
    expect(systemEvents).toEqual(["group_created", "role_changed", "members_added", "group_updated"]);
  });

  it("the owner hands over ownership, and an owner who leaves is succeeded", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    const aliceDevice = await device(alice);
    const group = await createGroup(aliceDevice, "Relay", [bob, carol]);
    await call(aliceDevice, "groups:transfer-ownership", { conversationId: group.id, userId: bob.id });
    const bobDevice = await device(bob);
    expect(await summaryOf(bobDevice, group.id)).toMatchObject({ myRole: "owner" });
    expect(await summaryOf(aliceDevice, group.id)).toMatchObject({ myRole: "admin" });
    await call(bobDevice, "groups:leave", { conversationId: group.id });
    const { members } = await call<{ members: GroupMemberDto[] }>(aliceDevice, "groups:members", { conversationId: group.id });
    expect(members.map((member) => [member.user.displayName, member.role])).toEqual([
      ["Alice", "owner"],
      ["Carol", "member"],
    ]);
  });

  it("a group cannot grow past the configured size limit", async () => {
    const [alice, bob, carol, dave] = await people("Alice", "Bob", "Carol", "Dave");
    await expect(createGroupService({ db, userId: alice.id, input: { title: "Tiny", memberIds: [bob.id, carol.id] }, maxMembers: 2 })).rejects.toThrow(
      "Groups are limited to 2 members",
    );
    const { conversation } = await createGroupService({ db, userId: alice.id, input: { title: "Three", memberIds: [bob.id, carol.id] }, maxMembers: 3 });
    await expect(addGroupMembers({ db, userId: alice.id, input: { conversationId: conversation.id, userIds: [dave.id] }, maxMembers: 3 })).rejects.toThrow(
      "Groups are limited to 3 members",
    );
  });
});

describe("mentions and receipts", () => {
  it("a message that mentions you marks the conversation Mentioned until you read it", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    const aliceDevice = await device(alice);
    const group = await createGroup(aliceDevice, "Ping", [bob, carol]);
    const mention = await call<{ message: MessageDto }>(aliceDevice, "message:send", {
      conversationId: group.id,
      clientMsgId: randomUUID(),
      body: "@Carol look",
      mentions: [carol.id, randomUUID()],
    });
    expect(mention.message.mentions).toEqual([carol.id]);
    const [bobDevice, carolDevice] = await Promise.all([device(bob), device(carol)]);
    expect(await summaryOf(carolDevice, group.id)).toMatchObject({ mentioned: true, unreadCount: 2 });
    expect(await summaryOf(bobDevice, group.id)).toMatchObject({ mentioned: false });
    await call(carolDevice, "conversation:read", { conversationId: group.id, seq: mention.message.seq });
    expect(await summaryOf(carolDevice, group.id)).toMatchObject({ mentioned: false, unreadCount: 0 });
  });

  it("Read by N counts the members who read the message, and lists them", async () => {
    const [alice, bob, carol] = await people("Alice", "Bob", "Carol");
    const aliceDevice = await device(alice);
    const group = await createGroup(aliceDevice, "Receipts", [bob, carol]);
    const message = await send(aliceDevice, group.id, "did you read this?");
    const readers = () => call<{ readers: UserDto[] }>(aliceDevice, "message:readers", { conversationId: group.id, seq: message.seq });
    expect((await readers()).readers).toEqual([]);
    const states = collect(aliceDevice, "conversation:read-state");
    await call(await device(bob), "conversation:read", { conversationId: group.id, seq: message.seq });
    await waitFor(aliceDevice, "conversation:read-state", () => states.some((state) => state.userId === bob.id));
    expect((await readers()).readers.map((user) => user.displayName)).toEqual(["Bob"]);
    await call(await device(carol), "conversation:read", { conversationId: group.id, seq: message.seq });
    expect((await readers()).readers.map((user) => user.displayName).sort()).toEqual(["Bob", "Carol"]);
  });
});

describe("large-group tiers", () => {
  it("above 1,000 members: no per-member receipts, own read position only, one room broadcast per message", async () => {
    const owner = await createPerson(db, gateway.url, "Owner");
    const bulk = await db
      .insert(users)
      .values(Array.from({ length: 1_001 }, (_, index) => ({ username: `bulk_${randomBytes(6).toString("hex")}_${index}`, displayName: `Member ${index}`, passwordHash: "x" })))
      .returning({ id: users.id });
    const ownerDevice = await device(owner);
    const { conversation } = await call<{ conversation: ConversationSummary }>(ownerDevice, "groups:create", {
      title: "Stadium",
      memberIds: bulk.map((row) => row.id),
    });
    expect(conversation).toMatchObject({ memberCount: 1_002, receiptsEnabled: false });

    const toSpy = vi.spyOn(gateway.io, "to");
    const message = await send(ownerDevice, conversation.id, "welcome all");
    expect(toSpy.mock.calls).toEqual([[conversationRoom(conversation.id)]]);

    await expect(call(ownerDevice, "message:readers", { conversationId: conversation.id, seq: message.seq })).rejects.toThrow("forbidden:receipts_disabled");
    const { members, receiptsEnabled } = await call<{ members: GroupMemberDto[]; receiptsEnabled: boolean }>(ownerDevice, "groups:members", {
      conversationId: conversation.id,
    });
    expect(receiptsEnabled).toBe(false);
    expect(members.every((member) => member.lastReadSeq === null)).toBe(true);

    toSpy.mockClear();
    await call(ownerDevice, "conversation:read", { conversationId: conversation.id, seq: message.seq });
    expect(toSpy.mock.calls).toEqual([[[`user:${owner.id}`]]]);
  });
});
