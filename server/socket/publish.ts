import type { Database } from "../../db";
import { userRoom, type MessageDto, type ReadState } from "../../lib/socket-events";
import { getConversationSummary } from "../services/conversations";
import type { ChatServer } from "./index";

// Push for speed: after a commit, events go to the members' user rooms (every device, every instance).
// Clients that miss a push catch up by pulling by seq, so a lost emit never loses a message.

const rooms = (userIds: readonly string[]) => userIds.map(userRoom);

export function publishMessage(io: ChatServer, { message, memberIds }: { message: MessageDto; memberIds: string[] }) {
  io.to(rooms(memberIds)).emit("message:new", message);
}

export function publishReadState(io: ChatServer, { state, memberIds }: { state: ReadState; memberIds: string[] }) {
  io.to(rooms(memberIds)).emit("conversation:read-state", state);
}

export function publishHidden(io: ChatServer, { userId, conversationId, seq }: { userId: string; conversationId: string; seq: number }) {
  io.to(userRoom(userId)).emit("message:hidden", { conversationId, seq });
}

/** Each user's list entry differs (unread, peer), so each gets their own summary. */
export async function publishConversationChanged(io: ChatServer, { db, userIds, conversationId }: { db: Database; userIds: string[]; conversationId: string }) {
  await Promise.all(
    userIds.map(async (userId) => {
      const summary = await getConversationSummary({ db, userId, conversationId });
      io.to(userRoom(userId)).emit("conversation:changed", summary);
    }),
  );
}

// The HTTP API runs inside Next.js bundles, which load their own copy of this module; the gateway is
// shared through globalThis like the database handle.
const globalForRealtime = globalThis as typeof globalThis & { __chatRealtime?: ChatServer };

export function registerRealtime(io: ChatServer) {
  globalForRealtime.__chatRealtime = io;
}

export function getRealtime(): ChatServer {
  const io = globalForRealtime.__chatRealtime;
  if (!io) throw new Error("The Socket.IO gateway is not running in this process");
  return io;
}
