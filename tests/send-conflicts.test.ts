// What the group commit does when another connection commits between its read and its write. Only a
// real Postgres has concurrent connections, so this file always runs on one (like the cluster tests).
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, openDatabase, type Database } from "../db";
import { queryRows } from "../db/raw";
import { conversationMembers, conversations, messages } from "../db/schema";
import { registerAccount } from "../server/services/accounts";
import { openDirectConversation } from "../server/services/conversations";
import { createGroup } from "../server/services/groups";
import { sendMessage } from "../server/services/messages";
import { uniqueUsername } from "./helpers/db";
import { until } from "./helpers/cluster";

const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
let db: Database;
beforeAll(async () => {
  db = await openDatabase({ kind: "postgres", url: DATABASE_URL, maxConnections: 4 });
});
afterAll(closeDatabase);

const user = (name: string) => registerAccount({ db, input: { username: uniqueUsername(name), displayName: name, password: "password-123" } });

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Runs `change` in a transaction that holds the conversation's row lock, starts `send` meanwhile, and
 * commits only once the send's transaction is waiting for that lock: the send has read the state from
 * before the change and writes after it.
 */
async function commitWhileSendWaits<T>(conversationId: string, change: (tx: Transaction) => Promise<void>, send: () => Promise<T>) {
  let sending: Promise<T> | undefined;
  await db.transaction(async (tx) => {
    const [{ pid }] = (await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`)) as [{ pid: number }];
    await tx.execute(sql`select 1 from conversations where id = ${conversationId} for update`);
    await change(tx);
    sending = send();
    sending.catch(() => undefined);
    await until(async () => {
      const blocked = await queryRows<{ pid: number }>(db, sql`select pid from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`);
      return blocked.length > 0;
    }, "the send to wait for the conversation lock");
  });
  return sending!;
}

describe("group commit under concurrent writers", () => {
  it("a member removed while their send waits for the conversation is refused, and nothing is stored after the removal", async () => {
    const [owner, member] = await Promise.all([user("owner"), user("member")]);
    const { conversation } = await createGroup({ db, userId: owner.id, input: { title: "Race", memberIds: [member.id] }, maxMembers: 10 });
    const send = commitWhileSendWaits(
      conversation.id,
      async (tx) => {
        await tx
          .update(conversationMembers)
          .set({ leftSeq: sql`(select last_seq from conversations where id = ${conversation.id})` })
          .where(and(eq(conversationMembers.userId, member.id), eq(conversationMembers.conversationId, conversation.id)));
      },
      () => sendMessage({ db, senderId: member.id, input: { conversationId: conversation.id, clientMsgId: randomUUID(), body: "too late" } }),
    );
    await expect(send).rejects.toMatchObject({ code: "forbidden:conversation" });
    expect(await db.select().from(messages).where(and(eq(messages.conversationId, conversation.id), eq(messages.senderId, member.id)))).toEqual([]);
    const [row] = await db.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, conversation.id));
    expect(row!.lastSeq).toBe(1);
  });

  it("a copy of the send committed by another instance meanwhile is returned as the original, stored once", async () => {
    const [a, b] = await Promise.all([user("a"), user("b")]);
    const { conversation } = await openDirectConversation({ db, userId: a.id, input: { userId: b.id } });
    const clientMsgId = randomUUID();
    const send = commitWhileSendWaits(
      conversation.id,
      async (tx) => {
        await tx.update(conversations).set({ lastSeq: 1 }).where(eq(conversations.id, conversation.id));
        await tx.insert(messages).values({ conversationId: conversation.id, seq: 1, senderId: a.id, clientMsgId, body: "hello" });
      },
      () => sendMessage({ db, senderId: a.id, input: { conversationId: conversation.id, clientMsgId, body: "hello" } }),
    );
    const sent = await send;
    expect(sent.duplicate).toBe(true);
    expect(sent.message.seq).toBe(1);
    const stored = await db.select().from(messages).where(eq(messages.conversationId, conversation.id));
    expect(stored.map((message) => message.seq)).toEqual([1]);
    const [row] = await db.select({ lastSeq: conversations.lastSeq }).from(conversations).where(eq(conversations.id, conversation.id));
    expect(row!.lastSeq).toBe(1);
  });
});
