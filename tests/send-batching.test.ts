import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { conversationMembers, messages } from "../db/schema";
import { openDirectConversation } from "../server/services/conversations";
import { registerAccount } from "../server/services/accounts";
import { createGroup } from "../server/services/groups";
import { AppError } from "../server/errors";
import { sendMessage } from "../server/services/messages";
import { setUserBlocked } from "../server/services/users";
import { sendBatcherFor } from "../server/services/send-batcher";
import { closeTestDatabase, openTestDatabase, uniqueUsername } from "./helpers/db";

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(closeTestDatabase);

async function user(name: string) {
  return registerAccount({ db, input: { username: uniqueUsername(name), displayName: name, password: "password-123" } });
}

describe("group commit of concurrent sends", () => {
  it("stores many users' concurrent sends in few transactions, each conversation gap-free and in each sender's order", async () => {
    const pairs = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const [a, b] = await Promise.all([user("a"), user("b")]);
        const { conversation } = await openDirectConversation({ db, userId: a.id, input: { userId: b.id } });
        return { a, b, conversationId: conversation.id };
      }),
    );
    const before = { ...sendBatcherFor(db).stats };
    const perSender = 10;
    await Promise.all(
      pairs.flatMap(({ a, b, conversationId }) =>
        [a, b].map(async (sender) => {
          for (let index = 0; index < perSender; index++) {
            await sendMessage({ db, senderId: sender.id, input: { conversationId, clientMsgId: randomUUID(), body: `${sender.id}:${index}` } });
          }
        }),
      ),
    );
    const total = pairs.length * 2 * perSender;
    const { transactions, messages: stored } = sendBatcherFor(db).stats;
    expect(stored - before.messages).toBe(total);
    expect(transactions - before.transactions).toBeLessThan(total / 2);

    for (const { a, b, conversationId } of pairs) {
      const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq);
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 2 * perSender }, (_, index) => index + 1));
      for (const sender of [a, b]) {
        const bodies = rows.filter((row) => row.senderId === sender.id).map((row) => row.body);
        expect(bodies).toEqual(Array.from({ length: perSender }, (_, index) => `${sender.id}:${index}`));
      }
    }
  });

  it("a duplicate inside a batch and a send from a non-member do not break the others", async () => {
    const [a, b, outsider] = await Promise.all([user("a"), user("b"), user("outsider")]);
    const { conversation } = await openDirectConversation({ db, userId: a.id, input: { userId: b.id } });
    const clientMsgId = randomUUID();
    const results = await Promise.allSettled([
      sendMessage({ db, senderId: a.id, input: { conversationId: conversation.id, clientMsgId, body: "twice" } }),
      sendMessage({ db, senderId: a.id, input: { conversationId: conversation.id, clientMsgId, body: "twice" } }),
      sendMessage({ db, senderId: b.id, input: { conversationId: conversation.id, clientMsgId: randomUUID(), body: "other" } }),
      sendMessage({ db, senderId: outsider.id, input: { conversationId: conversation.id, clientMsgId: randomUUID(), body: "intruder" } }),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected"]);
    const [first, second] = results as Array<PromiseFulfilledResult<Awaited<ReturnType<typeof sendMessage>>>>;
    expect(second!.value.message.seq).toBe(first!.value.message.seq);
    const rows = await db.select().from(messages).where(inArray(messages.conversationId, [conversation.id])).orderBy(messages.seq);
    // Concurrent sends from different people have no defined order between them; each is stored once.
    expect(rows.map((row) => row.seq)).toEqual([1, 2]);
    expect(rows.map((row) => row.body).sort()).toEqual(["other", "twice"]);
  });

  it("decides every send of one transaction on its own: blocked, client id reused elsewhere, mention and read positions", async () => {
    const [a, b, c, d] = await Promise.all([user("a"), user("b"), user("c"), user("d")]);
    const [withB, withC, withD] = await Promise.all(
      [b, c, d].map(async (peer) => (await openDirectConversation({ db, userId: a.id, input: { userId: peer.id } })).conversation.id),
    );
    const { conversation: group } = await createGroup({ db, userId: a.id, input: { title: "Batch", memberIds: [b.id, c.id] }, maxMembers: 10 });
    await setUserBlocked({ db, userId: d.id, input: { userId: a.id, blocked: true } });
    const reused = randomUUID();
    const before = { ...sendBatcherFor(db).stats };

    const results = await Promise.allSettled([
      sendMessage({ db, senderId: a.id, input: { conversationId: withB, clientMsgId: reused, body: "to b" } }),
      sendMessage({ db, senderId: a.id, input: { conversationId: withC, clientMsgId: reused, body: "same id, other chat" } }),
      sendMessage({ db, senderId: a.id, input: { conversationId: withD, clientMsgId: randomUUID(), body: "to d, who blocked a" } }),
      sendMessage({ db, senderId: a.id, input: { conversationId: group.id, clientMsgId: randomUUID(), body: "@c look", mentions: [c.id] } }),
      sendMessage({ db, senderId: c.id, input: { conversationId: group.id, clientMsgId: randomUUID(), body: "c talks" } }),
    ]);

    expect(sendBatcherFor(db).stats.transactions - before.transactions).toBe(1);
    expect(results.map((result) => (result.status === "fulfilled" ? "stored" : (result.reason as AppError).code))).toEqual([
      "stored",
      "conflict:client_msg_id",
      "forbidden:blocked",
      "stored",
      "stored",
    ]);
    const [, , , mention, fromC] = results.map((result) => (result.status === "fulfilled" ? result.value.message : null));
    const [cInGroup] = await db
      .select()
      .from(conversationMembers)
      .where(and(eq(conversationMembers.userId, c.id), eq(conversationMembers.conversationId, group.id)));
    expect(cInGroup!.mentionSeq).toBe(mention!.seq);
    expect(cInGroup!.lastReadSeq).toBe(fromC!.seq);
    expect(await db.select().from(messages).where(eq(messages.conversationId, withC!))).toEqual([]);
    expect(await db.select().from(messages).where(eq(messages.conversationId, withD!))).toEqual([]);
  });
});
