import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../index";
import { blocks } from "../schema";

export async function insertBlock({ db, blockerId, blockedId }: { db: Database; blockerId: string; blockedId: string }) {
  await db.insert(blocks).values({ blockerId, blockedId }).onConflictDoNothing();
}

export async function deleteBlock({ db, blockerId, blockedId }: { db: Database; blockerId: string; blockedId: string }) {
  await db.delete(blocks).where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)));
}

/** Of `userIds`, those who blocked `blockedId`. */
export async function selectBlockersOf({ db, blockedId, userIds }: { db: Database; blockedId: string; userIds: string[] }) {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({ blockerId: blocks.blockerId })
    .from(blocks)
    .where(and(eq(blocks.blockedId, blockedId), inArray(blocks.blockerId, userIds)));
  return rows.map((row) => row.blockerId);
}
