import { and, asc, eq, ilike, ne, or } from "drizzle-orm";
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
