import { and, eq } from "drizzle-orm";
import type { Database } from "../index";
import { blocks } from "../schema";

export async function insertBlock({ db, blockerId, blockedId }: { db: Database; blockerId: string; blockedId: string }) {
  await db.insert(blocks).values({ blockerId, blockedId }).onConflictDoNothing();
}

export async function deleteBlock({ db, blockerId, blockedId }: { db: Database; blockerId: string; blockedId: string }) {
  await db.delete(blocks).where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId)));
}
