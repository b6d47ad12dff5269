import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../index";
import { queryPrepared } from "../raw";
import { conversationMembers, conversations, type Conversation, type ConversationMember, type Message } from "../schema";
import { messageColumnsOf, messageFromColumns, type MessageColumns } from "./message-rows";

export interface ConversationRow {
  conversation: Pick<Conversation, "id" | "kind" | "title" | "avatarUrl" | "announcement" | "lastSeq" | "lastMessageAt" | "modVersion" | "memberCount">;
  member: Pick<ConversationMember, "role" | "joinedSeq" | "lastReadSeq" | "clearedSeq" | "leftSeq" | "mentionSeq" | "muted" | "pinned">;
  peer: { id: string; username: string; displayName: string; avatarUrl: string | null } | null;
  peerLastReadSeq: number | null;
  peerLastDeliveredSeq: number | null;
  lastMessage: Message | null;
  blockedByMe: boolean;
}

interface ListRow extends MessageColumns {
  c_id: string;
  c_kind: Conversation["kind"];
  c_title: string | null;
  c_avatar_url: string | null;
  c_announcement: string | null;
  c_last_seq: string;
  c_last_message_at: Date | string | null;
  c_mod_version: string;
  c_member_count: number;
  m_role: ConversationMember["role"];
  m_joined_seq: string;
  m_last_read_seq: string;
  m_cleared_seq: string;
  m_left_seq: string | null;
  m_mention_seq: string;
  m_muted: boolean;
  m_pinned: boolean;
  peer_id: string | null;
  peer_username: string | null;
  peer_display_name: string | null;
  peer_avatar_url: string | null;
  peer_last_read_seq: string | null;
  peer_last_delivered_seq: string | null;
  blocked_by_me: boolean;
}

/**
 * A user's conversation list rows: membership state, the conversation, the direct peer with its read
 * positions, and the last message (for a former member, the one where they left). Driven by the user's
 * member rows (primary key), each followed by point lookups: no scan grows with the number of messages or
 * conversations, and no sort: the rows come in no particular order, because the list's order (pinned,
 * then last activity) spans two tables; clients order the list as they show it, as they must anyway when
 * a message moves a conversation to the top. Hand-written and prepared: it runs on every list sync, and
 * building and mapping it through the query builder cost several times its execution.
 * $2 narrows it to one conversation, $3 to what changed since a time.
 */
const LIST_SQL = /* sql */ `select
    c.id as c_id, c.kind as c_kind, c.title as c_title, c.avatar_url as c_avatar_url, c.announcement as c_announcement,
    c.last_seq::text as c_last_seq, c.last_message_at as c_last_message_at, c.mod_version::text as c_mod_version,
    c.member_count as c_member_count,
    m.role as m_role, m.joined_seq::text as m_joined_seq, m.last_read_seq::text as m_last_read_seq,
    m.cleared_seq::text as m_cleared_seq, m.left_seq::text as m_left_seq, m.mention_seq::text as m_mention_seq,
    m.muted as m_muted, m.pinned as m_pinned,
    peer.user_id as peer_id, peer_user.username as peer_username, peer_user.display_name as peer_display_name,
    peer_user.avatar_url as peer_avatar_url, peer.last_read_seq::text as peer_last_read_seq,
    peer.last_delivered_seq::text as peer_last_delivered_seq,
    exists (select 1 from blocks b where b.blocker_id = $1::uuid and b.blocked_id = peer.user_id) as blocked_by_me,
    ${messageColumnsOf("last")}
  from conversation_members m
  -- LIMIT 1 keeps each lookup a per-row primary-key probe (a plain join may hash the whole table).
  cross join lateral (select * from conversations c where c.id = m.conversation_id limit 1) c
  left join lateral (
    select p.user_id, p.last_read_seq, p.last_delivered_seq, p.updated_at from conversation_members p
    where c.kind = 'direct' and p.conversation_id = c.id and p.user_id <> $1::uuid limit 1
  ) peer on true
  left join users peer_user on peer_user.id = peer.user_id
  left join messages last on last.conversation_id = c.id and last.seq = coalesce(m.left_seq, c.last_seq)
  where m.user_id = $1::uuid
    and ($2::uuid is null or m.conversation_id = $2::uuid)
    and ($3::timestamptz is null or c.last_message_at > $3 or c.modified_at > $3 or m.updated_at > $3 or peer.updated_at > $3)`;

const nullableNumber = (value: string | null) => (value === null ? null : Number(value));

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
  const rows = await queryPrepared<ListRow>(db, LIST_SQL, [userId, conversationId ?? null, changedSince?.toISOString() ?? null]);
  return rows.map((row) => ({
    conversation: {
      id: row.c_id,
      kind: row.c_kind,
      title: row.c_title,
      avatarUrl: row.c_avatar_url,
      announcement: row.c_announcement,
      lastSeq: Number(row.c_last_seq),
      lastMessageAt: row.c_last_message_at === null ? null : new Date(row.c_last_message_at),
      modVersion: Number(row.c_mod_version),
      memberCount: row.c_member_count,
    },
    member: {
      role: row.m_role,
      joinedSeq: Number(row.m_joined_seq),
      lastReadSeq: Number(row.m_last_read_seq),
      clearedSeq: Number(row.m_cleared_seq),
      leftSeq: nullableNumber(row.m_left_seq),
      mentionSeq: Number(row.m_mention_seq),
      muted: row.m_muted,
      pinned: row.m_pinned,
    },
    peer: row.peer_id === null ? null : { id: row.peer_id, username: row.peer_username!, displayName: row.peer_display_name!, avatarUrl: row.peer_avatar_url },
    peerLastReadSeq: nullableNumber(row.peer_last_read_seq),
    peerLastDeliveredSeq: nullableNumber(row.peer_last_delivered_seq),
    lastMessage: messageFromColumns(row),
    blockedByMe: row.blocked_by_me,
  }));
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
