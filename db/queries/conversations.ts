import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../index";
import type { ConversationListSync, JsonBytes } from "../../lib/socket-events";
import { queryPreparedBytes } from "../raw";
import { conversationMembers, conversations, type ConversationMember } from "../schema";
import { isoOf, messageDtoColumnsOf } from "./message-rows";

/**
 * A user's conversation list, answered as the API's `ConversationListSync` in JSON that Postgres writes:
 * the server passes its bytes through to the socket or the HTTP response without building a row or a
 * summary object per conversation (a list sync then leaves the garbage collector almost nothing).
 *
 * Driven by the user's member rows (primary key), each followed by point lookups: no scan grows with the
 * number of messages or conversations, and no sort. The entries come in no particular order, because the
 * list's order (pinned, then last activity) spans two tables; clients order the list as they show it, as
 * they must anyway when a message moves a conversation to the top. $2 narrows it to one conversation; $3
 * keeps only the entries that changed since a time (the peer, the last message and the block are looked
 * up for those alone), while the unread total still counts every conversation; $4 is the cursor to hand
 * back. Each entry is `ConversationSummary` (lib/socket-events.ts), computed here:
 * - a former member's conversation ends where they left it (its last seq and last message), with nothing
 *   left to read and no mention;
 * - unread counts the messages after the furthest of what the member read, cleared or joined at;
 * - a direct conversation is titled by its peer (a deleted peer leaves "Deleted user"), a group by its
 *   title or "Group";
 * - the peer's positions count as 0 where there is no peer (groups);
 * - read receipts are on up to $5 members (the receipts tier).
 */
const LIST_SQL = /* sql */ `with listed as materialized (
    select c.id, c.kind, c.title, c.avatar_url, c.announcement, c.last_message_at, c.mod_version, c.member_count,
      m.role, m.last_read_seq, m.cleared_seq, m.left_seq, m.muted, m.pinned,
      coalesce(m.left_seq, c.last_seq) as shown_last_seq,
      case when m.left_seq is null then greatest(c.last_seq - greatest(m.last_read_seq, m.cleared_seq, m.joined_seq), 0) else 0 end as unread,
      m.left_seq is null and m.mention_seq > greatest(m.last_read_seq, m.cleared_seq, m.joined_seq) as mentioned,
      peer.user_id as peer_id, peer.last_read_seq as peer_last_read_seq, peer.last_delivered_seq as peer_last_delivered_seq,
      ($3::timestamptz is null or c.last_message_at > $3 or c.modified_at > $3 or m.updated_at > $3 or peer.updated_at > $3) as changed
    from conversation_members m
    -- LIMIT 1 keeps each lookup a per-row primary-key probe (a plain join may hash the whole table).
    cross join lateral (select * from conversations c where c.id = m.conversation_id limit 1) c
    left join lateral (
      select p.user_id, p.last_read_seq, p.last_delivered_seq, p.updated_at from conversation_members p
      where c.kind = 'direct' and p.conversation_id = c.id and p.user_id <> $1::uuid limit 1
    ) peer on true
    where m.user_id = $1::uuid and ($2::uuid is null or m.conversation_id = $2::uuid)
  ), summaries as (
    select l.id as "id", l.kind as "kind",
      case when l.kind = 'direct' then coalesce(u.display_name, 'Deleted user') else coalesce(l.title, 'Group') end as "title",
      case when l.kind = 'direct' then u.avatar_url else l.avatar_url end as "avatarUrl",
      case when l.peer_id is not null then
        json_build_object('id', l.peer_id, 'username', u.username, 'displayName', u.display_name, 'avatarUrl', u.avatar_url)
      end as "peer",
      l.shown_last_seq as "lastSeq", last.message as "lastMessage", ${isoOf("l.last_message_at")} as "lastMessageAt",
      l.last_read_seq as "lastReadSeq", l.unread as "unreadCount",
      coalesce(l.peer_last_delivered_seq, 0) as "peerLastDeliveredSeq", coalesce(l.peer_last_read_seq, 0) as "peerLastReadSeq",
      l.muted as "muted", l.pinned as "pinned",
      exists (select 1 from blocks b where b.blocker_id = $1::uuid and b.blocked_id = l.peer_id) as "blockedByMe",
      l.cleared_seq as "clearedSeq", l.mentioned as "mentioned", l.member_count as "memberCount", l.role as "myRole",
      l.announcement as "announcement", l.left_seq as "leftSeq",
      l.member_count <= $5::int as "receiptsEnabled", l.mod_version as "modVersion"
    from listed l
    left join users u on u.id = l.peer_id
    left join lateral (
      select row_to_json(dto) as message from (
        select ${messageDtoColumnsOf("last")} from messages last where last.conversation_id = l.id and last.seq = l.shown_last_seq
      ) dto
    ) last on true
    where l.changed
  )
  select json_build_object(
    'conversations', coalesce((select json_agg(summaries) from summaries), '[]'),
    'cursor', $4::text,
    'totalUnread', (select coalesce(sum(unread), 0) from listed where not muted)
  )::text`;

/** The list (or one entry of it) as JSON bytes; see LIST_SQL. */
export async function selectConversationList({
  db,
  userId,
  conversationId,
  changedSince,
  cursor,
  receiptsMax,
}: {
  db: Database;
  userId: string;
  conversationId?: string;
  changedSince?: Date;
  cursor?: string;
  receiptsMax: number;
}): Promise<JsonBytes<ConversationListSync>> {
  const params = [userId, conversationId ?? null, changedSince?.toISOString() ?? null, cursor ?? null, receiptsMax];
  const list = await queryPreparedBytes(db, LIST_SQL, params);
  if (list === null) throw new Error("The conversation list statement answered nothing");
  return list;
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
