import { and, asc, eq, ilike, inArray, ne, or } from "drizzle-orm";
import type { Database } from "../index";
import { users, type NewUser, type PublicUser, type User } from "../schema";

const publicColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  avatarUrl: users.avatarUrl,
};

/** Inserts a user; returns null when the username is taken. */
export async function insertUser({ db, user }: { db: Database; user: NewUser }): Promise<PublicUser | null> {
  const [created] = await db
    .insert(users)
    .values(user)
    .onConflictDoNothing({ target: users.username })
    .returning(publicColumns);
  return created ?? null;
}

export async function findUserByUsername({ db, username }: { db: Database; username: string }): Promise<User | null> {
  const [user] = await db.select().from(users).where(eq(users.username, username)).limit(1);
  return user ?? null;
}

export async function findUserById({ db, id }: { db: Database; id: string }): Promise<PublicUser | null> {
  const [user] = await db.select(publicColumns).from(users).where(eq(users.id, id)).limit(1);
  return user ?? null;
}

/** Prefix match on username, substring match on display name (case-insensitive). */
export async function searchUsers({ db, query, excludeUserId, limit = 20 }: { db: Database; query: string; excludeUserId: string; limit?: number }) {
  const escaped = query.replace(/[\\%_]/g, (char) => `\\${char}`);
  return db
    .select(publicColumns)
    .from(users)
    .where(and(ne(users.id, excludeUserId), or(ilike(users.username, `${escaped}%`), ilike(users.displayName, `%${escaped}%`))))
    .orderBy(asc(users.displayName))
    .limit(limit);
}

export async function updateLastSeen({ db, userId, at }: { db: Database; userId: string; at: Date }) {
  await db.update(users).set({ lastSeenAt: at }).where(eq(users.id, userId));
}

export async function selectLastSeen({ db, userIds }: { db: Database; userIds: string[] }) {
  if (userIds.length === 0) return [];
  return db.select({ id: users.id, lastSeenAt: users.lastSeenAt }).from(users).where(inArray(users.id, userIds));
}

export async function selectDnd({ db, userId }: { db: Database; userId: string }) {
  const [row] = await db.select({ enabled: users.dndEnabled, until: users.dndUntil }).from(users).where(eq(users.id, userId)).limit(1);
  return row ?? null;
}

export async function updateDnd({ db, userId, enabled, until }: { db: Database; userId: string; enabled: boolean; until: Date | null }) {
  await db.update(users).set({ dndEnabled: enabled, dndUntil: until }).where(eq(users.id, userId));
}
