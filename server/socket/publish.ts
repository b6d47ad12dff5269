import type { Database } from "../../db";
import { conversationRoom, userRoom, type MessageDto, type ReadState } from "../../lib/socket-events";
import type { Socket } from "socket.io";
import type { Audience } from "../services/audience";
import { getConversationSummary } from "../services/conversations";
import type { ChatServer } from "./index";

// Push for speed: after a commit, events go to the members' user rooms (every device, every instance).
// Clients that miss a push catch up by pulling by seq, so a lost emit never loses a message.

/** One emit per event whatever the audience size: a list of user rooms, or one conversation room. */
export function toAudience(io: ChatServer, audience: Audience) {
  return io.to("conversationId" in audience ? conversationRoom(audience.conversationId) : audience.userIds.map(userRoom));
}

/** The same audience, minus the emitting socket (its user's other tabs still receive). */
export function toAudienceExcept(socket: Socket, audience: Audience) {
  return socket.to("conversationId" in audience ? conversationRoom(audience.conversationId) : audience.userIds.map(userRoom));
}

/**
 * A new message to every device of every member. The socket that sent it (if any) is left out: its
 * acknowledgement carries the same message, and one frame fewer per send is a third of a direct
 * message's socket writes.
 */
export function publishMessage(io: ChatServer, { message, audience, senderSocketId }: { message: MessageDto; audience: Audience; senderSocketId?: string }) {
  const operator = toAudience(io, audience);
  (senderSocketId ? operator.except(senderSocketId) : operator).emit("message:new", message);
}

export function publishUpdatedMessage(io: ChatServer, { message, audience }: { message: MessageDto; audience: Audience }) {
  toAudience(io, audience).emit("message:updated", message);
}

export function publishReadState(io: ChatServer, { state, audience }: { state: ReadState; audience: Audience }) {
  toAudience(io, audience).emit("conversation:read-state", state);
}

/** Membership follows the database: a member's sockets (on every instance) join or leave the group's room. */
export function joinConversationRoom(io: ChatServer, { userIds, conversationId }: { userIds: string[]; conversationId: string }) {
  io.in(userIds.map(userRoom)).socketsJoin(conversationRoom(conversationId));
}

export function leaveConversationRoom(io: ChatServer, { userIds, conversationId }: { userIds: string[]; conversationId: string }) {
  io.in(userIds.map(userRoom)).socketsLeave(conversationRoom(conversationId));
}

/** A group change's system messages, to the group's room and to anyone else concerned (a removed member). */
export function publishGroupChange(io: ChatServer, { conversationId, messages, alsoUserIds = [] }: { conversationId: string; messages: MessageDto[]; alsoUserIds?: string[] }) {
  for (const message of messages) io.to([conversationRoom(conversationId), ...alsoUserIds.map(userRoom)]).emit("message:new", message);
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
