import { and, eq, gt, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../index";
import { blocks, conversationMembers, conversations, messages, users, type ConversationMember } from "../schema";

const peerMember = alias(conversationMembers, "peer_member");
const peerUser = alias(users, "peer_user");

export interface ConversationRow {
  conversation: typeof conversations.$inferSelect;
  member: ConversationMember;
  peer: { id: string; username: string; displayName: string; avatarUrl: string | null } | null;
  peerLastReadSeq: number | null;
  peerLastDeliveredSeq: number | null;
  lastMessage: typeof messages.$inferSelect | null;
  blockedByMe: boolean;
}

/**
 * A user's conversation list rows: membership state, the conversation, the direct peer and its read
 * positions, and the last message — one index-driven query (members by user, then point lookups).
 * Every conversation the user is or was in, in no particular order: the list's order (pinned, then last
 * activity) spans two tables, so Postgres could only sort it; clients order the list as they show it, as
 * they must anyway when a message moves a conversation to the top.
 */
export async function selectConversationRows({
  db,
  userId,
  conversationId,
  changedSince,
}: {
  db: Database;
  userId: string;
  conversationId?: string;
  changedSince?: Date;
}): Promise<ConversationRow[]> {
  // The conversation by primary key for each of the user's member rows. As a plain join the planner may
  // hash the whole conversations table instead; the LIMIT keeps the lookup a per-row index scan.
  const conversation = db.select().from(conversations).where(eq(conversations.id, conversationMembers.conversationId)).limit(1).as("conversation");
  const filters: SQL[] = [eq(conversationMembers.userId, userId)];
  if (conversationId) filters.push(eq(conversationMembers.conversationId, conversationId));
  if (changedSince) {
    filters.push(
      or(
        gt(conversation.lastMessageAt, changedSince),
        gt(conversation.modifiedAt, changedSince),
        gt(conversationMembers.updatedAt, changedSince),
        gt(peerMember.updatedAt, changedSince),
      )!,
    );
  }
  const rows = await db
    .select({
      conversation: {
        id: conversation.id,
        kind: conversation.kind,
        directKey: conversation.directKey,
        title: conversation.title,
        avatarUrl: conversation.avatarUrl,
        announcement: conversation.announcement,
        lastSeq: conversation.lastSeq,
        lastMessageAt: conversation.lastMessageAt,
        modVersion: conversation.modVersion,
        modifiedAt: conversation.modifiedAt,
        memberCount: conversation.memberCount,
        createdAt: conversation.createdAt,
      },
      member: conversationMembers,
      peer: { id: peerUser.id, username: peerUser.username, displayName: peerUser.displayName, avatarUrl: peerUser.avatarUrl },
      peerLastReadSeq: peerMember.lastReadSeq,
      peerLastDeliveredSeq: peerMember.lastDeliveredSeq,
      lastMessage: messages,
      blockedByMe: sql<boolean>`exists (select 1 from ${blocks} where ${blocks.blockerId} = ${userId} and ${blocks.blockedId} = ${peerMember.userId})`,
    })
    .from(conversationMembers)
    .innerJoinLateral(conversation, sql`true`)
    .leftJoin(
      peerMember,
      and(eq(conversation.kind, "direct"), eq(peerMember.conversationId, conversation.id), ne(peerMember.userId, userId)),
    )
    .leftJoin(peerUser, eq(peerUser.id, peerMember.userId))
    .leftJoin(
      messages,
      // A former member's list shows the conversation as it was when they left.
      and(eq(messages.conversationId, conversation.id), eq(messages.seq, sql`coalesce(${conversationMembers.leftSeq}, ${conversation.lastSeq})`)),
    )
    .where(and(...filters));
  return rows.map((row) => ({ ...row, peer: row.peer?.id ? row.peer : null }));
}

export type Membership = ConversationMember & {
  conversation: Pick<typeof conversations.$inferSelect, "id" | "kind" | "directKey" | "title" | "lastSeq" | "memberCount">;
};

/** The user's membership row (current or former) with the conversation's essentials. */
export async function findMembership({
  db,
  userId,
  conversationId,
}: {
  db: Database;
  userId: string;
  conversationId: string;
}): Promise<Membership | null> {
  const [row] = await db
    .select({
      member: conversationMembers,
      conversation: {
        id: conversations.id,
        kind: conversations.kind,
        directKey: conversations.directKey,
        title: conversations.title,
        lastSeq: conversations.lastSeq,
        memberCount: conversations.memberCount,
      },
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, userId), eq(conversationMembers.conversationId, conversationId)))
    .limit(1);
  return row ? { ...row.member, conversation: row.conversation } : null;
}

/** The groups a user currently belongs to (their sockets join these conversation rooms). */
export async function selectActiveGroupIds({ db, userId }: { db: Database; userId: string }): Promise<string[]> {
  const rows = await db
    .select({ id: conversationMembers.conversationId })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(and(eq(conversationMembers.userId, userId), isNull(conversationMembers.leftSeq), eq(conversations.kind, "group")));
  return rows.map((row) => row.id);
}

/** Creates the pair's conversation unless it exists; concurrent calls converge on one row (unique direct_key). */
export async function upsertDirectConversation({
  db,
  userId,
  peerId,
}: {
  db: Database;
  userId: string;
  peerId: string;
}): Promise<{ conversationId: string; created: boolean }> {
  const directKey = [userId, peerId].sort().join(":");
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(conversations)
      .values({ kind: "direct", directKey, memberCount: 2 })
      .onConflictDoNothing({ target: conversations.directKey })
      .returning({ id: conversations.id });
    if (created) {
      await tx.insert(conversationMembers).values([
        { conversationId: created.id, userId, role: "owner" },
        { conversationId: created.id, userId: peerId, role: "member" },
      ]);
      return { conversationId: created.id, created: true };
    }
    const [existing] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.directKey, directKey))
      .limit(1);
    if (!existing) throw new Error(`direct conversation ${directKey} vanished`);
    return { conversationId: existing.id, created: false };
  });
}

/** Moves a read or delivered position forward only, never past the conversation's last seq. */
export async function advanceMemberPosition({
  db,
  userId,
  conversationId,
  column,
  seq,
}: {
  db: Database;
  userId: string;
  conversationId: string;
  column: "lastReadSeq" | "lastDeliveredSeq";
  seq: number;
}): Promise<Pick<ConversationMember, "lastReadSeq" | "lastDeliveredSeq"> | null> {
  const target = conversationMembers[column];
  const capped = sql`least(${seq}::bigint, (select ${conversations.lastSeq} from ${conversations} where ${conversations.id} = ${conversationId}))`;
  const changes =
    column === "lastReadSeq"
      ? // Reading implies having received.
        {
          lastReadSeq: sql`greatest(${target}, ${capped})`,
          lastDeliveredSeq: sql`greatest(${conversationMembers.lastDeliveredSeq}, ${capped})`,
        }
      : { lastDeliveredSeq: sql`greatest(${target}, ${capped})` };
  const [row] = await db
    .update(conversationMembers)
    .set({ ...changes, updatedAt: sql`clock_timestamp()` })
    .where(and(eq(conversationMembers.userId, userId), eq(conversationMembers.conversationId, conversationId), isNull(conversationMembers.leftSeq)))
    .returning({ lastReadSeq: conversationMembers.lastReadSeq, lastDeliveredSeq: conversationMembers.lastDeliveredSeq });
  return row ?? null;
}

export async function selectDirectConversationId({ db, userId, peerId }: { db: Database; userId: string; peerId: string }) {
  const [row] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.directKey, [userId, peerId].sort().join(":")))
    .limit(1);
  return row?.id ?? null;
}

export async function updateMemberSettings({
  db,
  userId,
  conversationId,
  settings,
}: {
  db: Database;
  userId: string;
  conversationId: string;
  settings: { muted?: boolean; pinned?: boolean };
}) {
  const [row] = await db
    .update(conversationMembers)
    .set({ ...settings, updatedAt: sql`clock_timestamp()` })
    .where(and(eq(conversationMembers.userId, userId), eq(conversationMembers.conversationId, conversationId), isNull(conversationMembers.leftSeq)))
    .returning({ userId: conversationMembers.userId });
  return !!row;
}

/** Of `userIds`, those who currently share at least one conversation with `userId`. */
export async function selectContactsAmong({ db, userId, userIds }: { db: Database; userId: string; userIds: string[] }): Promise<string[]> {
  if (userIds.length === 0) return [];
  const mine = alias(conversationMembers, "mine");
  const rows = await db
    .selectDistinct({ userId: conversationMembers.userId })
    .from(mine)
    .innerJoin(conversationMembers, eq(conversationMembers.conversationId, mine.conversationId))
    .where(
      and(
        eq(mine.userId, userId),
        isNull(mine.leftSeq),
        isNull(conversationMembers.leftSeq),
        inArray(conversationMembers.userId, userIds),
      ),
    );
  return rows.map((row) => row.userId);
}
