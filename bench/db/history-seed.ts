import { conversationIdSql, userIdSql } from "../lib/ids";
import { connect, type Sql } from "./database";
import { seedUsers } from "./seed";

export const CONVERSATIONS_PER_LIST_USER = 50;
const HALF = CONVERSATIONS_PER_LIST_USER / 2;

export interface HistoryLayout {
  listUsers: number;
  firstUser: number;
  firstConversation: number;
  messagesPerConversation: number;
  conversations: number;
}

export function historyLayout({ listUsers, totalMessages, firstUser, firstConversation }: { listUsers: number; totalMessages: number; firstUser: number; firstConversation: number }): HistoryLayout {
  if (listUsers <= CONVERSATIONS_PER_LIST_USER) throw new Error(`scenario 6 needs more than ${CONVERSATIONS_PER_LIST_USER} list users`);
  const conversations = listUsers * HALF;
  return { listUsers, firstUser, firstConversation, conversations, messagesPerConversation: Math.ceil(totalMessages / conversations) };
}

/** Conversation number of list user i's j-th (1..25) "outgoing" conversation, with user (i + j) mod L. */
function conversationNumber(layout: HistoryLayout, i: string, j: string) {
  return `${layout.firstConversation} + (${i}) * ${HALF} + (${j}) - 1`;
}

/**
 * Scenario 6's database: L list users, each in 50 direct conversations (with users i±1..25 mod L), every
 * conversation holding the same number of messages, every member a few messages behind (unread), last
 * activity spread over time. Messages go in with one INSERT … SELECT generate_series per half of the
 * conversations (two connections, one per core), foreign-key triggers off for the load (the ids are
 * generated consistent), then VACUUM ANALYZE so the planner and visibility map see the table as a
 * long-running one would, and a CHECKPOINT so the load's writes are not still being flushed while the
 * scenarios measure commits.
 */
export async function seedHistory(url: string, nonce: string, layout: HistoryLayout): Promise<{ seconds: number; rows: number }> {
  const started = Date.now();
  const sql = connect(url, 2);
  try {
    await seedUsers(sql, nonce, layout.firstUser, layout.listUsers);
    const i = "i";
    const peer = `(i + j) % ${layout.listUsers}`;
    const a = userIdSql("$1", `${layout.firstUser} + ${i}`);
    const b = userIdSql("$1", `${layout.firstUser} + ${peer}`);
    const conversation = conversationIdSql("$1", conversationNumber(layout, i, "j"));
    const per = layout.messagesPerConversation;
    const grid = `generate_series(0, ${layout.listUsers - 1}) AS i, generate_series(1, ${HALF}) AS j`;
    await sql.begin(async (tx) => {
      await tx.unsafe(
        `INSERT INTO conversations (id, kind, direct_key, member_count, last_seq, last_message_at, created_at)
         SELECT ${conversation}, 'direct', least(${a}::text, ${b}::text) || ':' || greatest(${a}::text, ${b}::text), 2, ${per},
                now() - ((i * ${HALF} + j) * interval '7 seconds'), now() - interval '30 days'
         FROM ${grid}`,
        [nonce],
      );
      await tx.unsafe(
        `INSERT INTO conversation_members (user_id, conversation_id, role, last_read_seq, last_delivered_seq)
         SELECT ${a}, ${conversation}, 'owner', greatest(0, ${per} - (i * 31 + j * 7) % 20), ${per} FROM ${grid}
         UNION ALL
         SELECT ${b}, ${conversation}, 'member', greatest(0, ${per} - (i * 17 + j * 3) % 20), ${per} FROM ${grid}`,
        [nonce],
      );
    });
    await withoutMessageIndexes(sql, async () => {
      const chunks = 2;
      const perChunk = Math.ceil(layout.listUsers / chunks);
      await Promise.all(
        Array.from({ length: chunks }, (_, chunk) =>
          sql.begin(async (tx) => {
            await tx.unsafe("SET LOCAL session_replication_role = replica");
            await tx.unsafe("SET LOCAL synchronous_commit = off");
            // Ids and prefixes are computed once per conversation, not once per row.
            await tx.unsafe(
              `INSERT INTO messages (conversation_id, seq, sender_id, client_msg_id, kind, body, created_at)
               SELECT conv.id, s, CASE WHEN s % 2 = 0 THEN conv.a ELSE conv.b END, conv.prefix || s, 'text',
                      'Seeded history message of a typical length: lorem ipsum dolor sit amet.', conv.t0 + s * interval '1 second'
               FROM (SELECT ${conversation} AS id, ${a} AS a, ${b} AS b, 'seed-' || (${conversationNumber(layout, i, "j")}) || '-' AS prefix,
                            now() - interval '30 days' AS t0
                     FROM generate_series($2::int, $3::int) AS i, generate_series(1, ${HALF}) AS j) AS conv,
                    generate_series(1, ${per}) AS s`,
              [nonce, chunk * perChunk, Math.min(layout.listUsers, (chunk + 1) * perChunk) - 1],
            );
          }),
        ),
      );
    });
    await sql.unsafe("VACUUM (ANALYZE) messages, conversations, conversation_members, users");
    // Write the load's dirty pages back now: otherwise the spread checkpoint that follows a bulk load keeps
    // the disk busy for minutes and every commit measured afterwards (app and pgbench alike) pays for it.
    await sql.unsafe("CHECKPOINT");
    const [{ rows }] = (await sql.unsafe("SELECT count(*)::int AS rows FROM messages")) as unknown as [{ rows: number }];
    return { seconds: (Date.now() - started) / 1000, rows };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Bulk loads go into the table without its indexes, which are then rebuilt from their own definitions
 * (read from the catalog, so any index a later migration adds is rebuilt too): a sorted build is many
 * times faster than ten million ordered inserts into each index. The table ends with exactly its indexes.
 */
async function withoutMessageIndexes(sql: Sql, load: () => Promise<void>) {
  const indexes = (await sql.unsafe(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition,
            c.conname AS "constraintName", pg_get_constraintdef(c.oid) AS "constraintDefinition"
     FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
     WHERE i.indrelid = 'messages'::regclass`,
  )) as unknown as Array<{ name: string; definition: string; constraintName: string | null; constraintDefinition: string | null }>;
  const dropped: typeof indexes = [];
  for (const index of indexes) {
    try {
      await sql.unsafe(index.constraintName ? `ALTER TABLE messages DROP CONSTRAINT "${index.constraintName}"` : `DROP INDEX ${index.name}`);
      dropped.push(index);
    } catch {
      // Something depends on it (e.g. a foreign key): it stays and is maintained during the load.
    }
  }
  try {
    await load();
  } finally {
    await sql.begin(async (tx) => {
      await tx.unsafe("SET LOCAL maintenance_work_mem = '512MB'");
      for (const index of dropped) {
        await tx.unsafe(
          index.constraintName ? `ALTER TABLE messages ADD CONSTRAINT "${index.constraintName}" ${index.constraintDefinition}` : index.definition,
        );
      }
    });
  }
}
