import type { Database } from "../index";
import { queryPreparedBytes } from "../raw";
import type { JsonBytes, MessagePage } from "../../lib/socket-events";
import { messageDtoColumnsOf } from "./message-rows";

export type PageDirection = "forward" | "backward";

/**
 * A keyset page of what a member (current or former) may see, in one statement, answered as the API's
 * `MessagePage` in JSON that Postgres writes: the server passes its bytes through to the socket or the
 * HTTP response without building a row, message or DTO object per message, or even a string (a read
 * then leaves the garbage collector almost nothing, however long the page). Null for a non-member.
 *
 * The member's window of the conversation (after what they cleared or before they joined, up to where
 * they left); one row more than the page, read from the primary key in the direction asked (forward:
 * oldest first; backward: newest first; never OFFSET), which only tells whether more lies beyond; the
 * seqs in the page's range they deleted for themselves, left out of its messages. Messages come out
 * ascending (ordered inside the aggregate: the plan has no Sort node).
 */
function pageSql(direction: PageDirection) {
  const forward = direction === "forward";
  return /* sql */ `with member as materialized (
    select greatest($3::bigint, m.cleared_seq, m.joined_seq) as after_seq,
      least(coalesce($4::bigint, 9223372036854775807), coalesce(m.left_seq, c.last_seq) + 1) as before_seq
    from conversation_members m join conversations c on c.id = m.conversation_id
    where m.user_id = $1::uuid and m.conversation_id = $2::uuid
  ), fetched as materialized (
    select messages.* from member, lateral (
      select * from messages
      where messages.conversation_id = $2::uuid and messages.seq > member.after_seq and messages.seq < member.before_seq
      order by messages.seq ${forward ? "asc" : "desc"}
      limit $5::int + 1
    ) messages
  ), fetched_range as materialized (
    select count(*) > $5::int as has_more, min(seq) as low, max(seq) as high from fetched
  ), page as materialized (
    select fetched.* from fetched, fetched_range
    where not fetched_range.has_more or fetched.seq <> fetched_range.${forward ? "high" : "low"}
  ), hidden as materialized (
    select h.seq from hidden_messages h
    where h.user_id = $1::uuid and h.conversation_id = $2::uuid
      and h.seq between (select min(seq) from page) and (select max(seq) from page)
  )
  select case when exists (select 1 from member) then json_build_object(
    'messages', coalesce((select json_agg(dto order by dto.seq) from (select ${messageDtoColumnsOf("page")} from page
      where page.seq not in (select seq from hidden)) dto), '[]'),
    'hiddenSeqs', coalesce((select json_agg(seq order by seq) from hidden), '[]'),
    'hasMore', (select has_more from fetched_range)
  )::text end as page`;
}

const PAGE_SQL: Record<PageDirection, string> = { forward: pageSql("forward"), backward: pageSql("backward") };

/** Null when the user never was a member of the conversation. */
export async function selectMemberPage({
  db,
  userId,
  conversationId,
  direction,
  afterSeq = 0,
  beforeSeq = null,
  limit,
}: {
  db: Database;
  userId: string;
  conversationId: string;
  direction: PageDirection;
  afterSeq?: number;
  beforeSeq?: number | null;
  limit: number;
}): Promise<JsonBytes<MessagePage> | null> {
  return queryPreparedBytes(db, PAGE_SQL[direction], [userId, conversationId, afterSeq, beforeSeq, limit]);
}
