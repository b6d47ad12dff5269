import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored lower-case; unique. */
    username: text("username").notNull(),
    displayName: text("display_name").notNull(),
    avatarUrl: text("avatar_url"),
    passwordHash: text("password_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (table) => [uniqueIndex("users_username_key").on(table.username)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
/** A user as other people may see them. */
export type PublicUser = Pick<User, "id" | "username" | "displayName" | "avatarUrl">;
