import { randomUUID } from "node:crypto";
import type { Database } from "../index";
import { queryPrepared } from "../raw";
import type { Conversation, Message } from "../schema";
import { selectMessage } from "./messages";

/** One user's send. Of its mentions, only the conversation's current members are kept. */
export interface UserSend {
  conversationId: string;
  senderId: string;
  clientMsgId: string;
  body: string;
  mentions: string[];
}

export type SendConversation = Pick<Conversation, "id" | "kind" | "directKey">;

export type SendOutcome =
  | { status: "stored" | "replay"; message: Message; conversation: SendConversation }
  | { status: "not_member" | "blocked" | "client_id_taken" };

/** Another transaction changed what the batch read before it could write; nothing was written, so it can be retried. */
export class SendBatchRacedError extends Error {}

type Decision = "not_member" | "blocked" | "taken" | "earlier" | "copy" | "new";

interface BatchRow {
  i: number;
  decision: Decision;
  kind: Conversation["kind"] | null;
  direct_key: string | null;
  /** For "copy": the first send in the batch with the same sender and client id. */
  first_i: number;
  /** "earlier": the seq of the stored original; "new": the seq just assigned. */
  seq: string | null;
  mentions: string[] | null;
  created_ms: number;
}

/**
 * The whole group commit in ONE statement (one round trip, atomic). Per send, from the statement's
 * snapshot: membership, a block by the direct peer, an earlier send with the same client id (in the
 * database or earlier in the batch), the mentioned users who are members. The accepted sends then lock
 * their conversations in id order (concurrent batches never deadlock), bump each conversation's seq once
 * by its number of messages (seqs in arrival order), go in one INSERT, and one UPDATE moves every
 * sender's read position (sending means having read what came before, so unread counts others' messages
 * only) and every mentioned member's marker. If a membership or an earlier send changed after the
 * snapshot, the counts disagree and the statement aborts itself (see migration 0006): all or nothing.
 */
const STORE_BATCH_SQL = /* sql */ `with x as materialized (
    select * from jsonb_to_recordset($1::text::jsonb)
      as x(i int, id uuid, conv uuid, sender uuid, cid text, body text, mentions uuid[])
  ), context as materialized (
    -- Point lookups by key for each send (lateral + limit: always an index probe, never a join plan
    -- that scans a big table for a small batch).
    select x.*, c.kind, c.direct_key,
      coalesce(m.is_member, false) as is_member,
      (c.kind = 'direct' and exists (select 1 from blocks b
        where b.blocked_id = x.sender and b.blocker_id::text = any(string_to_array(c.direct_key, ':')))) as blocked,
      e.conversation_id as earlier_conv, e.seq as earlier_seq,
      first_value(x.i) over same_send as first_i, first_value(x.conv) over same_send as first_conv,
      (select array_agg(mm.user_id) from conversation_members mm
        where mm.conversation_id = x.conv and mm.user_id = any(x.mentions) and mm.left_seq is null) as member_mentions
    from x
    left join lateral (select kind, direct_key from conversations where id = x.conv limit 1) c on true
    left join lateral (select left_seq is null as is_member from conversation_members
      where user_id = x.sender and conversation_id = x.conv limit 1) m on true
    left join lateral (select conversation_id, seq from messages
      where sender_id = x.sender and client_msg_id = x.cid limit 1) e on true
    window same_send as (partition by x.sender, x.cid order by x.i)
  ), decided as materialized (
    select context.*, case
        when not is_member then 'not_member'
        when earlier_conv is not null and earlier_conv <> conv then 'taken'
        when earlier_conv is not null then 'earlier'
        when first_conv <> conv then 'taken'
        when first_i <> i then 'copy'
        when blocked then 'blocked'
        else 'new'
      end as decision
    from context
  ), accepted as materialized (
    select * from decided where decision = 'new'
  ), counts as (
    select conv, count(*) as n from accepted group by conv
  ), locked as materialized (
    select id from conversations where id in (select conv from counts) order by id for update
  ), bumped as (
    update conversations set last_seq = conversations.last_seq + counts.n, last_message_at = clock_timestamp()
    from counts join locked on locked.id = counts.conv
    where conversations.id = counts.conv
    returning conversations.id, conversations.last_seq - counts.n as base
  ), numbered as materialized (
    select accepted.*, bumped.base + row_number() over (partition by accepted.conv order by accepted.i) as seq
    from accepted join bumped on bumped.id = accepted.conv
  ), inserted as (
    insert into messages (conversation_id, seq, id, sender_id, client_msg_id, kind, body, mentions)
    select conv, seq, id, sender, cid, 'text', body, member_mentions from numbered
    on conflict (sender_id, client_msg_id) do nothing
    returning 1
  ), positions as (
    select conv, user_id, max(read_seq) as read_seq, max(mention_seq) as mention_seq from (
      select conv, sender as user_id, seq as read_seq, 0::bigint as mention_seq from numbered
      union all
      select conv, mentioned, 0::bigint, seq from numbered cross join lateral unnest(member_mentions) as mentioned
    ) p group by conv, user_id
  ), touched as (
    update conversation_members cm set
      last_read_seq = greatest(cm.last_read_seq, positions.read_seq),
      last_delivered_seq = greatest(cm.last_delivered_seq, positions.read_seq),
      mention_seq = greatest(cm.mention_seq, positions.mention_seq)
    from positions
    where cm.user_id = positions.user_id and cm.conversation_id = positions.conv and cm.left_seq is null
    returning positions.read_seq > 0 as is_sender
  )
  select d.i, d.decision, d.kind, d.direct_key, d.first_i, d.member_mentions as mentions,
    coalesce(n.seq, d.earlier_seq)::text as seq,
    (extract(epoch from now()) * 1000)::float8 as created_ms
  from decided d left join numbered n on n.i = d.i
  where chat_abort_if_raced(
    (select count(*) from inserted) <> (select count(*) from accepted)
    or (select count(*) from touched where is_sender) <> (select count(distinct (conv, sender)) from accepted))
  order by d.i`;

function storeBatch(db: Database, sends: Array<UserSend & { id: string }>) {
  const input = JSON.stringify(
    sends.map((send, i) => ({ i, id: send.id, conv: send.conversationId, sender: send.senderId, cid: send.clientMsgId, body: send.body, mentions: send.mentions })),
  );
  return queryPrepared<BatchRow>(db, STORE_BATCH_SQL, [input]);
}

function storedMessage(send: UserSend & { id: string }, row: BatchRow): Message {
  return {
    conversationId: send.conversationId,
    seq: Number(row.seq),
    id: send.id,
    senderId: send.senderId,
    clientMsgId: send.clientMsgId,
    kind: "text",
    body: send.body,
    mentions: row.mentions,
    meta: null,
    createdAt: new Date(row.created_ms),
    recalledAt: null,
    editedAt: null,
    modVersion: 0,
  };
}

const isRaceAbort = (error: unknown): boolean =>
  error instanceof Error && ((error as { code?: string }).code === "40001" || (error as { code?: string }).code === "40P01" || isRaceAbort(error.cause));

/**
 * Group commit: stores a batch of users' sends atomically in one statement, whatever its size. Each send
 * gets its own outcome: stored (with its gap-free seq), a replay of the earlier send with the same client
 * id (a retry, or a copy within the batch), or refused (not a member, blocked, client id taken in another
 * conversation). Throws SendBatchRacedError when a concurrent change aborted the batch (nothing written).
 */
export async function appendUserMessages({ db, sends }: { db: Database; sends: UserSend[] }): Promise<SendOutcome[]> {
  const withIds = sends.map((send) => ({ ...send, id: randomUUID() }));
  let rows: BatchRow[];
  try {
    rows = await storeBatch(db, withIds);
  } catch (error) {
    if (isRaceAbort(error)) throw new SendBatchRacedError("A concurrent change raced the send batch", { cause: error });
    throw error;
  }

  const outcomes: SendOutcome[] = [];
  for (const row of rows) {
    const send = withIds[row.i]!;
    const conversation: SendConversation = { id: send.conversationId, kind: row.kind!, directKey: row.direct_key };
    switch (row.decision) {
      case "new":
        outcomes.push({ status: "stored", message: storedMessage(send, row), conversation });
        break;
      case "copy": {
        const first = outcomes[row.first_i]!;
        outcomes.push(first.status === "stored" || first.status === "replay" ? { ...first, status: "replay" } : first);
        break;
      }
      case "earlier": {
        // A retry of a send stored by an earlier batch (rare): the original as it is stored.
        const message = await selectMessage({ db, conversationId: send.conversationId, seq: Number(row.seq) });
        outcomes.push(message ? { status: "replay", message, conversation } : { status: "not_member" });
        break;
      }
      case "taken":
        outcomes.push({ status: "client_id_taken" });
        break;
      default:
        outcomes.push({ status: row.decision });
    }
  }
  return outcomes;
}
