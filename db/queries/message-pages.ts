import type { Database } from "../index";
import { queryPrepared } from "../raw";
import type { Message } from "../schema";
import { messageColumnsOf, messageFromColumns, type MessageColumns } from "./message-rows";

export type PageDirection = "forward" | "backward";

interface PageRow extends MessageColumns {
  is_member: boolean;
  hidden: string[];
}

/**
 * A keyset page of what a member (current or former) may see, in one statement: their window of the
 * conversation (after what they cleared or before they joined, up to where they left), the page inside
 * it read from the primary key (forward: oldest first; backward: newest first; never OFFSET), and the
 * seqs in the page's range they deleted for themselves. One row per message (unordered: sorted here,
 * so the plan has no Sort node), or one row of nulls.
 */
function pageSql(direction: PageDirection) {
  return /* sql */ `with member as materialized (
    select greatest($3::bigint, m.cleared_seq, m.joined_seq) as after_seq,
      least(coalesce($4::bigint, 9223372036854775807), coalesce(m.left_seq, c.last_seq) + 1) as before_seq
    from conversation_members m join conversations c on c.id = m.conversation_id
    where m.user_id = $1::uuid and m.conversation_id = $2::uuid
  ), page as materialized (
    select messages.* from member, lateral (
      select * from messages
      where messages.conversation_id = $2::uuid and messages.seq > member.after_seq and messages.seq < member.before_seq
      order by messages.seq ${direction === "forward" ? "asc" : "desc"}
      limit $5
    ) messages
  )
  select exists (select 1 from member) as is_member,
    (select coalesce(array_agg(h.seq::text), '{}') from hidden_messages h
      where h.user_id = $1::uuid and h.conversation_id = $2::uuid
        and h.seq between (select min(seq) from page) and (select max(seq) from page)) as hidden,
    ${messageColumnsOf("page")}
  from (select 1) as one left join page on true`;
}

const PAGE_SQL: Record<PageDirection, string> = { forward: pageSql("forward"), backward: pageSql("backward") };

export interface MemberPage {
  /** In the direction read: oldest first forward, newest first backward. */
  messages: Message[];
  /** Seqs between the page's first and last message that the member deleted for themselves. */
  hiddenSeqs: number[];
}

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
}): Promise<MemberPage | null> {
  const rows = await queryPrepared<PageRow>(db, PAGE_SQL[direction], [userId, conversationId, afterSeq, beforeSeq, limit]);
  const first = rows[0];
  if (!first?.is_member) return null;
  const messages = rows.map(messageFromColumns).filter((message) => message !== null);
  messages.sort(direction === "forward" ? (a, b) => a.seq - b.seq : (a, b) => b.seq - a.seq);
  return { messages, hiddenSeqs: first.hidden.map(Number) };
}
