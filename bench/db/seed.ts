import { conversationIdSql, userIdSql } from "../lib/ids";
import type { Sql } from "./database";

// Bulk seeding in SQL (generate_series), rows shaped as the app writes them: see db/queries/*.ts.

export async function seedUsers(sql: Sql, nonce: string, from: number, count: number) {
  await sql.unsafe(
    `INSERT INTO users (id, username, display_name, password_hash)
     SELECT ${userIdSql("$1", "n")}, 'bench_' || $1 || '_' || n, 'Bench user ' || n, 'not-a-password-hash'
     FROM generate_series($2::int, $3::int) AS n`,
    [nonce, from, from + count - 1],
  );
}

/** Direct conversations: conversation firstConversation + p between users firstUser + 2p and + 2p + 1. */
export async function seedDirectPairs(sql: Sql, nonce: string, { firstUser, firstConversation, count }: { firstUser: number; firstConversation: number; count: number }) {
  const a = userIdSql("$1", "$2::int + 2 * p");
  const b = userIdSql("$1", "$2::int + 2 * p + 1");
  const conversation = conversationIdSql("$1", "$3::int + p");
  await sql.begin(async (tx) => {
    await tx.unsafe(
      `INSERT INTO conversations (id, kind, direct_key, member_count)
       SELECT ${conversation}, 'direct', ${a}::text || ':' || ${b}::text, 2 FROM generate_series(0, $4::int - 1) AS p`,
      [nonce, firstUser, firstConversation, count],
    );
    await tx.unsafe(
      `INSERT INTO conversation_members (user_id, conversation_id, role)
       SELECT ${a}, ${conversation}, 'owner' FROM generate_series(0, $4::int - 1) AS p
       UNION ALL
       SELECT ${b}, ${conversation}, 'member' FROM generate_series(0, $4::int - 1) AS p`,
      [nonce, firstUser, firstConversation, count],
    );
  });
}

/** A group whose owner is the first member. */
export async function seedGroup(sql: Sql, nonce: string, { conversation, firstUser, members }: { conversation: number; firstUser: number; members: number }) {
  await sql.begin(async (tx) => {
    await tx.unsafe(
      `INSERT INTO conversations (id, kind, title, member_count) VALUES (${conversationIdSql("$1", "$2::int")}, 'group', 'Bench group', $3::int)`,
      [nonce, conversation, members],
    );
    await tx.unsafe(
      `INSERT INTO conversation_members (user_id, conversation_id, role)
       SELECT ${userIdSql("$1", "n")}, ${conversationIdSql("$1", "$2::int")}, CASE WHEN n = $3::int THEN 'owner' ELSE 'member' END
       FROM generate_series($3::int, $3::int + $4::int - 1) AS n`,
      [nonce, conversation, firstUser, members],
    );
  });
}
