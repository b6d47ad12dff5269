import { z } from "zod";
import type { Database } from "../../db";
import { deleteBlock, insertBlock } from "../../db/queries/blocks";
import { selectDirectConversationId } from "../../db/queries/conversations";
import { findUserById, searchUsers } from "../../db/queries/users";
import { AppError } from "../errors";
import { parseInput } from "../validation";

const searchSchema = z.object({ query: z.string().trim().min(1, "Type a name to search").max(64) });

export async function findPeople({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { query } = parseInput(searchSchema, input);
  return { users: await searchUsers({ db, query, excludeUserId: userId }) };
}

const blockSchema = z.object({ userId: z.uuid("userId must be a user id"), blocked: z.boolean() });

/** Blocks or unblocks a user; returns the direct conversation whose list entry changed, if any. */
export async function setUserBlocked({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { userId: otherId, blocked } = parseInput(blockSchema, input);
  if (otherId === userId) throw new AppError("bad_request:self", "You cannot block yourself");
  if (!(await findUserById({ db, id: otherId }))) throw new AppError("not_found:user", "No such user");
  if (blocked) await insertBlock({ db, blockerId: userId, blockedId: otherId });
  else await deleteBlock({ db, blockerId: userId, blockedId: otherId });
  const conversationId = await selectDirectConversationId({ db, userId, peerId: otherId });
  return { result: { userId: otherId, blocked }, conversationId };
}
