import type { Sql } from "./db/database";
import type { AckRecord } from "./load/protocol";

/**
 * The end-of-phase audit: every acknowledged message must be in the database under the seq its ack
 * gave (nothing acknowledged is lost), the database's seqs must be gap-free, and every recipient must
 * have received every message addressed to it exactly once, in seq order per conversation.
 */
export interface CheckResult {
  acked: number;
  /** Acknowledged and found in the database with the same seq and client message id. */
  persisted: number;
  /** Acknowledged but missing from the database, or stored under another seq. */
  lost: number;
  /** Holes in the database's seqs after the phase's starting point. */
  seqGaps: number;
  /** Stored but never acknowledged (e.g. an ack that timed out): not an error, reported. */
  committedWithoutAck: number;
  /** Expected deliveries (acknowledged messages × their recipients). */
  expectedDeliveries: number;
  delivered: number;
  /** Addressed to a recipient that never received it. */
  undelivered: number;
  duplicated: number;
  /** Arrivals with a lower seq than an earlier arrival in the same conversation. */
  reordered: number;
  /** Received but neither acknowledged nor stored. */
  phantom: number;
  /** Whether the database part ran (not for the bare relay, which stores nothing). */
  checkedDatabase: boolean;
  ok: boolean;
}

export interface CheckInput {
  acks: AckRecord[];
  /** "userId conversationId" → seqs in arrival order. */
  receipts: Map<string, number[]>;
  /** Every member of each conversation in play (recipients = members other than the sender). */
  members: Map<string, string[]>;
  /** With a database: each conversation's last seq before the phase. */
  database?: { sql: Sql; baseline: Map<string, number> };
  /** Sends that got no acknowledgement: the server may still commit them, so the audit waits for it to settle. */
  unacknowledged?: number;
}

type StoredRow = { conversation_id: string; seq: string | number; client_msg_id: string; sender_id: string };

export async function lastSeqs(sql: Sql, conversationIds: string[]): Promise<Map<string, number>> {
  const rows = (await sql.unsafe("SELECT id, last_seq FROM conversations WHERE id = ANY($1::uuid[])", [conversationIds])) as unknown as Array<{ id: string; last_seq: string }>;
  return new Map(rows.map((row) => [row.id, Number(row.last_seq)]));
}

async function storedSince(sql: Sql, baseline: Map<string, number>): Promise<StoredRow[]> {
  const ids = [...baseline.keys()];
  return (await sql.unsafe(
    `SELECT m.conversation_id, m.seq, m.client_msg_id, m.sender_id
     FROM unnest($1::uuid[], $2::bigint[]) AS b(conversation_id, seq)
     JOIN messages m ON m.conversation_id = b.conversation_id AND m.seq > b.seq
     ORDER BY m.conversation_id, m.seq`,
    [ids, ids.map((id) => baseline.get(id) ?? 0)],
  )) as unknown as StoredRow[];
}

const SETTLE_QUIET_MS = 1_000;
const SETTLE_TIMEOUT_MS = 30_000;

/**
 * When sends went unacknowledged (timed out), the server may still be working through them: wait until
 * the conversations' seqs stop moving (bounded), so the audit sees them and the next phase starts clean.
 */
export async function settle(sql: Sql, conversationIds: string[]): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let last = -1;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const [{ total }] = (await sql.unsafe("SELECT coalesce(sum(last_seq), 0)::bigint AS total FROM conversations WHERE id = ANY($1::uuid[])", [
      conversationIds,
    ])) as unknown as [{ total: string }];
    const now = Number(total);
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= SETTLE_QUIET_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function checkPhase({ acks, receipts, members, database, unacknowledged = 0 }: CheckInput): Promise<CheckResult> {
  if (database && unacknowledged > 0) await settle(database.sql, [...database.baseline.keys()]);
  const ackByKey = new Map<string, AckRecord>();
  for (const ack of acks) ackByKey.set(`${ack[0]} ${ack[1]}`, ack);
  /** conversation → seq → sender, from acks and (when checked) the database. */
  const senders = new Map<string, Map<number, string>>();
  const note = (conversationId: string, seq: number, senderId: string) => {
    const bySeq = senders.get(conversationId) ?? new Map<number, string>();
    bySeq.set(seq, senderId);
    senders.set(conversationId, bySeq);
  };
  for (const [conversationId, seq, , senderId] of acks) note(conversationId, seq, senderId);

  const ackedByConversation = new Map<string, number[]>();
  for (const [conversationId, seq] of acks) {
    const seqs = ackedByConversation.get(conversationId);
    if (seqs) seqs.push(seq);
    else ackedByConversation.set(conversationId, [seq]);
  }

  let persisted = 0;
  let lost = 0;
  let seqGaps = 0;
  let committedWithoutAck = 0;
  if (database) {
    const rows = await storedSince(database.sql, database.baseline);
    const stored = new Map<string, StoredRow>();
    const lastSeen = new Map<string, number>();
    for (const row of rows) {
      const seq = Number(row.seq);
      stored.set(`${row.conversation_id} ${seq}`, row);
      const previous = lastSeen.get(row.conversation_id) ?? database.baseline.get(row.conversation_id) ?? 0;
      if (seq !== previous + 1) seqGaps += seq - previous - 1;
      lastSeen.set(row.conversation_id, seq);
      if (!ackByKey.has(`${row.conversation_id} ${seq}`)) committedWithoutAck += 1;
      note(row.conversation_id, seq, row.sender_id);
    }
    persisted = acks.filter(([conversationId, seq, clientMsgId]) => stored.get(`${conversationId} ${seq}`)?.client_msg_id === clientMsgId).length;
    lost = acks.length - persisted;
  }

  let expectedDeliveries = 0;
  let delivered = 0;
  let undelivered = 0;
  let duplicated = 0;
  let reordered = 0;
  let phantom = 0;
  for (const [conversationId, memberIds] of members) {
    const bySeq = senders.get(conversationId) ?? new Map<number, string>();
    const ackedSeqs = ackedByConversation.get(conversationId) ?? [];
    for (const memberId of memberIds) {
      const arrivals = receipts.get(`${memberId} ${conversationId}`) ?? [];
      const seen = new Set<number>();
      let highest = 0;
      for (const seq of arrivals) {
        if (seen.has(seq)) duplicated += 1;
        if (seq < highest) reordered += 1;
        highest = Math.max(highest, seq);
        seen.add(seq);
        if (!bySeq.has(seq)) phantom += 1;
      }
      delivered += seen.size;
      for (const seq of ackedSeqs) {
        if (bySeq.get(seq) === memberId) continue;
        expectedDeliveries += 1;
        if (!seen.has(seq)) undelivered += 1;
      }
    }
  }
  return {
    acked: acks.length,
    persisted,
    lost,
    seqGaps,
    committedWithoutAck,
    expectedDeliveries,
    delivered,
    undelivered,
    duplicated,
    reordered,
    phantom,
    checkedDatabase: !!database,
    ok: lost === 0 && seqGaps === 0 && undelivered === 0 && duplicated === 0 && reordered === 0 && phantom === 0,
  };
}
