import { randomUUID } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { blocks, conversationMembers, conversations, messages, users } from "../db/schema";
import { parseJsonBytes, type ConversationListSync, type ConversationSummary } from "../lib/socket-events";
import { registerAccount } from "../server/services/accounts";
import { GROUP_TIERS } from "../server/services/audience";
import { advancePosition, getConversationSummary, openDirectConversation, syncConversationList } from "../server/services/conversations";
import { toMessageDto } from "../server/services/dto";
import { createGroup, leaveGroup } from "../server/services/groups";
import { sendMessage } from "../server/services/messages";
import { updateConversationSettings } from "../server/services/settings";
import { setUserBlocked } from "../server/services/users";
import { closeTestDatabase, openTestDatabase, uniqueUsername } from "./helpers/db";

/**
 * The conversation list is answered in JSON bytes that Postgres writes (db/queries/conversations.ts).
 * These tests hold every entry to the list's rules, written out plainly below and applied to the rows
 * as stored, for one user in every state a conversation can be in for them.
 */
let db: Database;
const people: Record<"alice" | "bob" | "carol" | "dave" | "erin" | "frank", string> = { alice: "", bob: "", carol: "", dave: "", erin: "", frank: "" };
const chats = { withBob: "", withCarol: "", withFrank: "", withDave: "", withErin: "", team: "", left: "", big: "" };

async function person(name: keyof typeof people) {
  const user = await registerAccount({ db, input: { username: uniqueUsername(name), displayName: `${name} ✨ "${name}"`, password: "correct horse battery" } });
  people[name] = user.id;
}

const say = (senderId: string, conversationId: string, body = "hello", mentions: string[] = []) =>
  sendMessage({ db, senderId, input: { conversationId, clientMsgId: randomUUID(), body, mentions } });
const direct = async (userId: string, peerId: string) => (await openDirectConversation({ db, userId, input: { userId: peerId } })).conversation.id;
const group = async (ownerId: string, title: string, memberIds: string[]) =>
  (await createGroup({ db, userId: ownerId, input: { title, memberIds }, maxMembers: 100 })).conversation.id;

beforeAll(async () => {
  db = await openTestDatabase();
  for (const name of Object.keys(people) as Array<keyof typeof people>) await person(name);
  const { alice, bob, carol, dave, erin, frank } = people;
  await db.update(users).set({ avatarUrl: "https://example.com/bob.png" }).where(eq(users.id, bob));

  // Pinned, read up to Alice's own message, two unread after it.
  chats.withBob = await direct(alice, bob);
  for (const body of ["one", "two", "three"]) await say(bob, chats.withBob, body);
  await say(alice, chats.withBob, "mine");
  for (const body of ["five", "six"]) await say(bob, chats.withBob, body);
  await updateConversationSettings({ db, userId: alice, input: { conversationId: chats.withBob, pinned: true } });

  // Carol's device received Alice's messages, she read one; then Alice blocked her.
  chats.withCarol = await direct(alice, carol);
  for (const body of ["hi", "there"]) await say(alice, chats.withCarol, body);
  await advancePosition({ db, userId: carol, input: { conversationId: chats.withCarol, seq: 2 }, kind: "delivered" });
  await advancePosition({ db, userId: carol, input: { conversationId: chats.withCarol, seq: 1 }, kind: "read" });
  await setUserBlocked({ db, userId: alice, input: { userId: carol, blocked: true } });

  // Never written to.
  chats.withFrank = await direct(alice, frank);

  // Muted with unread messages: not in the total.
  chats.withDave = await direct(alice, dave);
  for (const body of ["a", "b"]) await say(dave, chats.withDave, body);
  await updateConversationSettings({ db, userId: alice, input: { conversationId: chats.withDave, muted: true } });

  // The peer is gone.
  chats.withErin = await direct(alice, erin);
  await say(alice, chats.withErin, "anyone?");
  await db.delete(conversationMembers).where(and(eq(conversationMembers.conversationId, chats.withErin), eq(conversationMembers.userId, erin)));

  // A group without a title now, with an avatar, a mention of Alice and a microsecond timestamp.
  chats.team = await group(bob, "Team", [alice, carol]);
  await say(bob, chats.team, "@alice look", [alice]);
  await say(carol, chats.team, "and me");
  await db
    .update(conversations)
    .set({ title: null, avatarUrl: "https://example.com/team.png", announcement: "Be kind", lastMessageAt: sql`'2026-05-06 07:08:09.123456+00'` })
    .where(eq(conversations.id, chats.team));

  // Alice left; the group went on without her.
  chats.left = await group(alice, "Left behind", [bob]);
  await say(bob, chats.left, "@alice before", [alice]);
  await leaveGroup({ db, userId: alice, input: { conversationId: chats.left } });
  await say(bob, chats.left, "after", [alice]);

  // Above the receipts tier, and Alice cleared her history up to a point.
  chats.big = await group(dave, "Big", [alice]);
  for (const body of ["x", "y", "z"]) await say(dave, chats.big, body);
  await db.update(conversations).set({ memberCount: GROUP_TIERS.receiptsMax + 1 }).where(eq(conversations.id, chats.big));
  await db.update(conversationMembers).set({ clearedSeq: 3 }).where(and(eq(conversationMembers.conversationId, chats.big), eq(conversationMembers.userId, alice)));
});

afterAll(async () => {
  await closeTestDatabase();
});

/** The list's rules, applied to the rows as stored. */
async function expectedEntry(userId: string, conversationId: string): Promise<ConversationSummary> {
  const [member] = await db.select().from(conversationMembers).where(and(eq(conversationMembers.userId, userId), eq(conversationMembers.conversationId, conversationId)));
  const [conversation] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
  const [peerMember] =
    conversation!.kind === "direct"
      ? await db.select().from(conversationMembers).where(and(eq(conversationMembers.conversationId, conversationId), ne(conversationMembers.userId, userId)))
      : [];
  const [peerUser] = peerMember ? await db.select().from(users).where(eq(users.id, peerMember.userId)) : [];
  const peer = peerUser ? { id: peerUser.id, username: peerUser.username, displayName: peerUser.displayName, avatarUrl: peerUser.avatarUrl } : null;
  // A former member's conversation ends where they left it, with nothing left to read.
  const lastSeq = member!.leftSeq ?? conversation!.lastSeq;
  const [lastMessage] = await db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.seq, lastSeq)));
  const blocked = peer ? await db.select().from(blocks).where(and(eq(blocks.blockerId, userId), eq(blocks.blockedId, peer.id))) : [];
  const readFloor = Math.max(member!.lastReadSeq, member!.clearedSeq, member!.joinedSeq);
  const stillMember = member!.leftSeq === null;
  return {
    id: conversationId,
    kind: conversation!.kind,
    title: conversation!.kind === "direct" ? (peer?.displayName ?? "Deleted user") : (conversation!.title ?? "Group"),
    avatarUrl: conversation!.kind === "direct" ? (peer?.avatarUrl ?? null) : conversation!.avatarUrl,
    peer,
    lastSeq,
    lastMessage: lastMessage ? toMessageDto(lastMessage) : null,
    lastMessageAt: conversation!.lastMessageAt?.toISOString() ?? null,
    lastReadSeq: member!.lastReadSeq,
    unreadCount: stillMember ? Math.max(lastSeq - readFloor, 0) : 0,
    peerLastDeliveredSeq: peerMember?.lastDeliveredSeq ?? 0,
    peerLastReadSeq: peerMember?.lastReadSeq ?? 0,
    muted: member!.muted,
    pinned: member!.pinned,
    blockedByMe: blocked.length > 0,
    clearedSeq: member!.clearedSeq,
    mentioned: stillMember && member!.mentionSeq > readFloor,
    memberCount: conversation!.memberCount,
    myRole: member!.role,
    announcement: conversation!.announcement,
    leftSeq: member!.leftSeq,
    receiptsEnabled: conversation!.memberCount <= GROUP_TIERS.receiptsMax,
    modVersion: conversation!.modVersion,
  };
}

async function listOf(userId: string, since?: string): Promise<ConversationListSync> {
  const bytes = await syncConversationList({ db, userId, input: since ? { since } : {} });
  expect(bytes).toBeInstanceOf(Uint8Array);
  return parseJsonBytes(bytes);
}

const byId = (entries: ConversationSummary[]) => [...entries].sort((a, b) => a.id.localeCompare(b.id));

describe("the conversation list in Postgres's JSON", () => {
  it("holds every conversation in every state exactly as the rules say, and totals the unread of those not muted", async () => {
    const before = new Date().toISOString();
    const list = await listOf(people.alice);
    const expected = await Promise.all(Object.values(chats).map((id) => expectedEntry(people.alice, id)));
    expect(byId(list.conversations)).toStrictEqual(byId(expected));
    expect(list.totalUnread).toBe(expected.reduce((sum, entry) => sum + (entry.muted ? 0 : entry.unreadCount), 0));
    expect(list.cursor >= before && list.cursor <= new Date().toISOString()).toBe(true);

    // Each state is really there (the rules above would agree with a list that lost one).
    const entry = (id: string) => list.conversations.find((conversation) => conversation.id === id)!;
    expect(entry(chats.withBob)).toMatchObject({ pinned: true, unreadCount: 2, lastReadSeq: 4, peerLastReadSeq: 6, lastSeq: 6 });
    expect(entry(chats.withBob).peer).toMatchObject({ id: people.bob, avatarUrl: "https://example.com/bob.png" });
    expect(entry(chats.withBob).lastMessage).toMatchObject({ seq: 6, body: "six", senderId: people.bob });
    expect(entry(chats.withCarol)).toMatchObject({ blockedByMe: true, unreadCount: 0, peerLastDeliveredSeq: 2, peerLastReadSeq: 1 });
    expect(entry(chats.withFrank)).toMatchObject({ lastMessage: null, lastMessageAt: null, lastSeq: 0, blockedByMe: false });
    expect(entry(chats.withDave)).toMatchObject({ muted: true, unreadCount: 2 });
    expect(entry(chats.withErin)).toMatchObject({ title: "Deleted user", peer: null, avatarUrl: null, peerLastReadSeq: 0 });
    expect(entry(chats.team)).toMatchObject({ title: "Group", mentioned: true, unreadCount: 3, lastMessageAt: "2026-05-06T07:08:09.123Z", peerLastDeliveredSeq: 0 });
    expect(entry(chats.left)).toMatchObject({ unreadCount: 0, mentioned: false, receiptsEnabled: true });
    expect(entry(chats.left).leftSeq).toBe(entry(chats.left).lastSeq);
    expect(entry(chats.left).lastMessage).toMatchObject({ kind: "system", seq: entry(chats.left).leftSeq });
    expect(entry(chats.big)).toMatchObject({ receiptsEnabled: false, clearedSeq: 3, unreadCount: 1 });
    expect(list.totalUnread).toBe(2 + 3 + 1);
  });

  it("answers only what changed since a cursor, while the total still counts every conversation", async () => {
    const { alice, bob } = people;
    // Everything happened long ago, then Bob writes in one conversation.
    const longAgo = sql`'2020-01-01 00:00:00+00'`;
    await db.update(conversations).set({ lastMessageAt: longAgo, modifiedAt: longAgo });
    await db.update(conversationMembers).set({ updatedAt: longAgo });
    await say(bob, chats.withBob, "news");
    const changed = await listOf(alice, "2021-01-01T00:00:00.000Z");
    expect(changed.conversations.map((conversation) => conversation.id)).toStrictEqual([chats.withBob]);
    expect(changed.conversations[0]).toStrictEqual(await expectedEntry(alice, chats.withBob));
    expect(changed.totalUnread).toBe((await listOf(alice)).totalUnread);
    expect(changed.totalUnread).toBe(3 + 3 + 1);
  });

  it("gives one entry to whoever is concerned, and refuses anyone else", async () => {
    for (const id of Object.values(chats)) expect(await getConversationSummary({ db, userId: people.alice, conversationId: id })).toStrictEqual(await expectedEntry(people.alice, id));
    await expect(getConversationSummary({ db, userId: people.dave, conversationId: chats.team })).rejects.toMatchObject({ code: "forbidden:conversation" });
    expect((await listOf(people.erin)).conversations).toStrictEqual([]);
  });

  it("refuses a malformed cursor", async () => {
    await expect(syncConversationList({ db, userId: people.alice, input: { since: "yesterday" } })).rejects.toMatchObject({ code: "bad_request:validation" });
  });
});
