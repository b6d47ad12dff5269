import type { Database } from "../../db";
import { selectContactsAmong } from "../../db/queries/conversations";
import { selectLastSeen, updateLastSeen } from "../../db/queries/users";
import { presenceRoom, type Presence, type PresenceStatus } from "../../lib/socket-events";
import { parseInput } from "../validation";
import type { PresenceStore } from "../services/presence";
import type { ChatSocket, EventCall, GatewayContext } from "./context";
import type { ChatServer } from "./index";
import { z } from "zod";

const visibilitySchema = z.object({ visible: z.boolean() });
const subscribeSchema = z.object({ userIds: z.array(z.uuid()).max(500, "Follow at most 500 people at once") });

/** Presence is announced to the `presence:<id>` room, which only people sharing a conversation may join. */
function announce(io: ChatServer, userId: string, status: PresenceStatus | null, lastSeenAt: Date | null = null) {
  if (status) io.to(presenceRoom(userId)).emit("presence", { userId, status, lastSeenAt: lastSeenAt?.toISOString() ?? null });
}

async function announceOffline(io: ChatServer, db: Database, userId: string) {
  const at = new Date();
  // Stored first, so anyone who hears "offline" and asks finds the same last-seen time.
  await updateLastSeen({ db, userId, at }).catch(logPresenceError);
  announce(io, userId, "offline", at);
}

/** Presence is best effort: when its store (Redis) is unavailable, chat goes on and the error is logged. */
const logPresenceError = (error: unknown) => console.error("[presence]", error instanceof Error ? error.message : error);

/** A new connection counts towards its user's presence (visible unless the client says it starts hidden). */
export function presenceConnected({ io, presence }: GatewayContext, socket: ChatSocket) {
  const userId = socket.data.user.id;
  const initiallyVisible = (socket.handshake.auth as { visible?: unknown } | undefined)?.visible !== false;
  presence
    .set(userId, socket.id, initiallyVisible)
    .then((status) => announce(io, userId, status))
    .catch(logPresenceError);
}

export function presenceDisconnected({ io, db, presence }: GatewayContext, socket: ChatSocket) {
  const userId = socket.data.user.id;
  presence
    .remove(userId, socket.id)
    .then((status) => (status === "offline" ? announceOffline(io, db, userId) : announce(io, userId, status)))
    .catch(logPresenceError);
}

/** `presence:visibility`: this tab became visible or hidden. */
export async function setVisibility({ io, presence, socket, userId }: EventCall, input: unknown): Promise<{ status: PresenceStatus }> {
  const { visible } = parseInput(visibilitySchema, input);
  announce(io, userId, await presence.set(userId, socket.id, visible));
  return { status: await presence.status(userId) };
}

/** `presence:subscribe`: follow the people among `userIds` who share a conversation with the caller. */
export async function subscribeToPresence({ db, presence, socket, userId }: EventCall, input: unknown): Promise<{ presences: Presence[] }> {
  const { userIds } = parseInput(subscribeSchema, input);
  const contacts = await selectContactsAmong({ db, userId, userIds: [...new Set(userIds)].filter((id) => id !== userId) });
  await socket.join(contacts.map(presenceRoom));
  const lastSeen = new Map((await selectLastSeen({ db, userIds: contacts })).map((row) => [row.id, row.lastSeenAt]));
  const statuses = await Promise.all(contacts.map((id) => presence.status(id)));
  return {
    presences: contacts.map((id, index) => {
      const status = statuses[index]!;
      return { userId: id, status, lastSeenAt: status === "offline" ? (lastSeen.get(id)?.toISOString() ?? null) : null };
    }),
  };
}

/** Turns the users of a crashed instance offline once their connections expire. */
export function startPresenceSweeper({ io, db, store, intervalMs = 5_000 }: { io: ChatServer; db: Database; store: PresenceStore; intervalMs?: number }) {
  const timer = setInterval(() => {
    store
      .sweepExpired()
      .then((userIds) => Promise.all(userIds.map((userId) => announceOffline(io, db, userId))))
      .catch(logPresenceError);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
