import type { Socket } from "socket.io";
import type { Database } from "../../db";
import { selectContactsAmong } from "../../db/queries/conversations";
import { selectLastSeen, updateLastSeen } from "../../db/queries/users";
import { presenceRoom, type ClientToServerEvents, type InterServerEvents, type Presence, type PresenceStatus, type ServerToClientEvents, type SocketData } from "../../lib/socket-events";
import { parseInput } from "../validation";
import type { PresenceTracker } from "../services/presence";
import type { ChatServer } from "./index";
import { z } from "zod";

type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const visibilitySchema = z.object({ visible: z.boolean() });
const subscribeSchema = z.object({ userIds: z.array(z.uuid()).max(500, "Follow at most 500 people at once") });

/** Presence is announced to the `presence:<id>` room, which only people sharing a conversation may join. */
export function trackPresence({ io, socket, db, tracker }: { io: ChatServer; socket: ChatSocket; db: Database; tracker: PresenceTracker }) {
  const userId = socket.data.user.id;
  const announce = (status: PresenceStatus | null, lastSeenAt: Date | null = null) => {
    if (status) io.to(presenceRoom(userId)).emit("presence", { userId, status, lastSeenAt: lastSeenAt?.toISOString() ?? null });
  };

  const initiallyVisible = (socket.handshake.auth as { visible?: unknown } | undefined)?.visible !== false;
  announce(tracker.set(userId, socket.id, initiallyVisible));

  socket.on("disconnect", async () => {
    const status = tracker.remove(userId, socket.id);
    if (status !== "offline") return announce(status);
    const at = new Date();
    announce(status, at);
    await updateLastSeen({ db, userId, at }).catch((error: unknown) => console.error("Could not record last seen", error));
  });

  return {
    async visibility(input: unknown) {
      const { visible } = parseInput(visibilitySchema, input);
      announce(tracker.set(userId, socket.id, visible));
      return { status: tracker.status(userId) };
    },
    async subscribe(input: unknown): Promise<{ presences: Presence[] }> {
      const { userIds } = parseInput(subscribeSchema, input);
      const contacts = await selectContactsAmong({ db, userId, userIds: [...new Set(userIds)].filter((id) => id !== userId) });
      await socket.join(contacts.map(presenceRoom));
      const lastSeen = new Map((await selectLastSeen({ db, userIds: contacts })).map((row) => [row.id, row.lastSeenAt]));
      return {
        presences: contacts.map((id) => {
          const status = tracker.status(id);
          return { userId: id, status, lastSeenAt: status === "offline" ? (lastSeen.get(id)?.toISOString() ?? null) : null };
        }),
      };
    },
  };
}
