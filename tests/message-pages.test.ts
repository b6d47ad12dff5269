import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../db";
import { messages } from "../db/schema";
import { parseJsonBytes, type MessageDto, type MessagePage } from "../lib/socket-events";
import { registerAccount } from "../server/services/accounts";
import { toMessageDto } from "../server/services/dto";
import { createGroup } from "../server/services/groups";
import { deleteMessageForMe, messageHistory, messagesSince, sendMessage } from "../server/services/messages";
import { closeTestDatabase, openTestDatabase, uniqueUsername } from "./helpers/db";

/**
 * Message pages are answered in JSON bytes that Postgres writes (db/queries/message-pages.ts). These tests
 * hold that text to what the server's own mapping (toMessageDto) and the paging rules give for the same
 * stored rows, every field and every edge included.
 */
let db: Database;
let aliceId: string;
let bobId: string;
let conversationId: string;
let stored: MessageDto[];
const hiddenForBob = [3, 6];

async function person(name: string) {
  const user = await registerAccount({ db, input: { username: uniqueUsername(name), displayName: name, password: "correct horse battery" } });
  return user.id;
}

beforeAll(async () => {
  db = await openTestDatabase();
  [aliceId, bobId] = await Promise.all([person("alice"), person("bob")]);
  const group = await createGroup({ db, userId: aliceId, input: { title: 'The "team" ✨', memberIds: [bobId] }, maxMembers: 100 });
  conversationId = group.conversation.id;
  const bodies = ['quotes " and \\ backslash', "line one\nline two\ttab", "emoji 😀 and <b>markup</b> & é", "plain", "\u2028 separators \u0001 control", "last"];
  for (const [index, body] of bodies.entries()) {
    const input = { conversationId, clientMsgId: randomUUID(), body, mentions: index === 0 ? [bobId] : [] };
    await sendMessage({ db, senderId: index % 2 ? bobId : aliceId, input });
  }
  // Microsecond timestamps (Postgres keeps them, a Date does not), a recall and an edit.
  const at = (seq: number) => and(eq(messages.conversationId, conversationId), eq(messages.seq, seq));
  await db.update(messages).set({ createdAt: sql`'2026-01-02 03:04:05.678999+00'` }).where(at(2));
  await db.update(messages).set({ recalledAt: sql`'2026-01-02 03:05:00.000500+00'`, modVersion: 1 }).where(at(4));
  await db.update(messages).set({ editedAt: sql`'2026-12-31 23:59:59.999999+00'`, modVersion: 2 }).where(at(5));
  for (const seq of hiddenForBob) await deleteMessageForMe({ db, userId: bobId, input: { conversationId, seq } });
  const rows = await db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.seq));
  stored = rows.map(toMessageDto);
});

afterAll(async () => {
  await closeTestDatabase();
});

/** The paging rules written out plainly: the window, `limit` of it from the end read first, then what is hidden taken out. */
function expectedPage({ direction, afterSeq = 0, beforeSeq = Infinity, limit, hidden }: { direction: "forward" | "backward"; afterSeq?: number; beforeSeq?: number; limit: number; hidden: number[] }): MessagePage {
  const window = stored.filter((message) => message.seq > afterSeq && message.seq < beforeSeq);
  const read = direction === "forward" ? window.slice(0, limit) : window.slice(-limit);
  const [first, last] = [read[0]?.seq ?? 0, read.at(-1)?.seq ?? 0];
  const hiddenSeqs = hidden.filter((seq) => seq >= first && seq <= last);
  return { messages: read.filter((message) => !hiddenSeqs.includes(message.seq)), hiddenSeqs, hasMore: window.length > limit };
}

describe("message pages in Postgres's JSON", () => {
  it("carry every field exactly as toMessageDto writes it, whatever the body holds", async () => {
    expect(stored).toHaveLength(7);
    expect(stored[0]).toMatchObject({ kind: "system", meta: { type: "group_created" } });
    expect(stored[1]).toMatchObject({ mentions: [bobId], createdAt: "2026-01-02T03:04:05.678Z" });
    expect(stored[3]!.recalledAt).toBe("2026-01-02T03:05:00.000Z");
    expect(stored[4]!.editedAt).toBe("2026-12-31T23:59:59.999Z");
    const page = await messageHistory({ db, userId: aliceId, input: { conversationId } });
    expect(page).toBeInstanceOf(Uint8Array);
    expect(parseJsonBytes(page)).toStrictEqual({ messages: stored, hiddenSeqs: [], hasMore: false });
  });

  it("page backwards and forwards by the same rules as the window, the limit and what the member deleted", async () => {
    const last = stored.length;
    for (const [userId, hidden] of [
      [aliceId, []],
      [bobId, hiddenForBob],
    ] as const) {
      for (const limit of [1, 2, 3, 50]) {
        for (let beforeSeq = 1; beforeSeq <= last + 1; beforeSeq++) {
          const page = parseJsonBytes(await messageHistory({ db, userId, input: { conversationId, beforeSeq, limit } }));
          expect(page, `history before ${beforeSeq}, limit ${limit}`).toStrictEqual(expectedPage({ direction: "backward", beforeSeq, limit, hidden: [...hidden] }));
        }
        for (let afterSeq = 0; afterSeq <= last; afterSeq++) {
          const page = parseJsonBytes(await messagesSince({ db, userId, input: { conversationId, afterSeq, limit } }));
          expect(page, `since ${afterSeq}, limit ${limit}`).toStrictEqual(expectedPage({ direction: "forward", afterSeq, limit, hidden: [...hidden] }));
        }
      }
    }
  });

  it("refuse someone who never was a member, and validate the input", async () => {
    const malloryId = await person("mallory");
    await expect(messageHistory({ db, userId: malloryId, input: { conversationId } })).rejects.toMatchObject({ code: "forbidden:conversation" });
    await expect(messagesSince({ db, userId: malloryId, input: { conversationId, afterSeq: 0 } })).rejects.toMatchObject({ code: "forbidden:conversation" });
    await expect(messageHistory({ db, userId: aliceId, input: { conversationId, limit: 201 } })).rejects.toMatchObject({ code: "bad_request:validation" });
  });
});
