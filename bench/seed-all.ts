import type { BenchConfig } from "./config";
import { connect } from "./db/database";
import { historyLayout, seedHistory, type HistoryLayout } from "./db/history-seed";
import { seedDirectPairs, seedGroup, seedUsers } from "./db/seed";
import { LAYOUT } from "./layout";

/** Seeds every scenario's users and conversations, and scenario 6's bulk history (VACUUM ANALYZE last). */
export async function seedAll(url: string, nonce: string, config: BenchConfig): Promise<{ seconds: number; history: HistoryLayout; historyRows: number }> {
  const started = Date.now();
  const sql = connect(url, 2);
  try {
    const chatUsers = config.oneToOne.pairs * 2;
    await seedUsers(sql, nonce, LAYOUT.chatUser, chatUsers);
    await seedDirectPairs(sql, nonce, { firstUser: LAYOUT.chatUser, firstConversation: LAYOUT.chatConversation, count: config.oneToOne.pairs });
    await seedGroup(sql, nonce, { conversation: LAYOUT.groupConversation, firstUser: LAYOUT.chatUser, members: Math.min(config.group.members, chatUsers) });
    await seedUsers(sql, nonce, LAYOUT.crossUser, config.cross.pairs * 2);
    await seedDirectPairs(sql, nonce, { firstUser: LAYOUT.crossUser, firstConversation: LAYOUT.crossConversation, count: config.cross.pairs });
    await seedUsers(sql, nonce, LAYOUT.idleUser, config.idle.sockets);
    await seedUsers(sql, nonce, LAYOUT.pgbenchUser, config.oneToOne.pairs * 2);
    await seedDirectPairs(sql, nonce, { firstUser: LAYOUT.pgbenchUser, firstConversation: LAYOUT.pgbenchConversation, count: config.oneToOne.pairs });
  } finally {
    await sql.end({ timeout: 5 });
  }
  const history = historyLayout({
    listUsers: config.history.listUsers,
    totalMessages: config.history.messages,
    firstUser: LAYOUT.historyUser,
    firstConversation: LAYOUT.historyConversation,
  });
  const { rows } = await seedHistory(url, nonce, history);
  return { seconds: (Date.now() - started) / 1000, history, historyRows: rows };
}
