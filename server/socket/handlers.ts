import type { Socket } from "socket.io";
import type { Database } from "../../db";
import type { AckResult, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "../../lib/socket-events";
import { toErrorBody } from "../errors";
import { getEnv } from "../env";
import { advancePosition, getConversationSummary, openDirectConversation, syncConversationList } from "../services/conversations";
import {
  addGroupMembers,
  createGroup,
  leaveGroup,
  listGroupMembers,
  messageReaders,
  removeGroupMember,
  setGroupRole,
  transferGroupOwnership,
  updateGroup,
} from "../services/groups";
import { deleteMessageForMe, messageHistory, messagesSince, sendMessage } from "../services/messages";
import { findPeople, setUserBlocked } from "../services/users";
import type { ChatServer } from "./index";
import {
  joinConversationRoom,
  leaveConversationRoom,
  publishConversationChanged,
  publishGroupChange,
  publishHidden,
  publishMessage,
  publishReadState,
} from "./publish";
import type { RateLimiter } from "./rate-limit";

type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type EventsWithInput = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [unknown, (result: AckResult<infer _>) => void] ? E : never;
}[keyof ClientToServerEvents];
type AckData<E extends EventsWithInput> = Parameters<ClientToServerEvents[E]>[1] extends (result: AckResult<infer T>) => void ? T : never;

/**
 * Registers the gateway's event handlers. Each one validates its payload in the service (zod), checks
 * membership, and answers through the acknowledgement; a thrown error becomes `{ ok: false, error }`
 * and never reaches the process. Frames without an acknowledgement callback are ignored.
 */
export function registerHandlers({ io, socket, db, limiter }: { io: ChatServer; socket: ChatSocket; db: Database; limiter: RateLimiter }) {
  const userId = socket.data.user.id;

  function on<E extends EventsWithInput>(event: E, handler: (input: unknown) => Promise<AckData<E>>) {
    socket.on(event as never, (async (input: unknown, ack: unknown) => {
      if (typeof ack !== "function") return;
      let result: AckResult<AckData<E>>;
      try {
        await limiter.consume(userId, event);
        result = { ok: true, data: await handler(input) };
      } catch (error) {
        const { body } = toErrorBody(error);
        result = { ok: false, error: body.error };
      }
      ack(result);
    }) as never);
  }

  on("message:send", async (input) => {
    const sent = await sendMessage({ db, senderId: userId, input });
    if (!sent.duplicate) publishMessage(io, sent);
    return { message: sent.message };
  });

  on("messages:since", (input) => messagesSince({ db, userId, input }));
  on("messages:history", (input) => messageHistory({ db, userId, input }));
  on("conversations:sync", (input) => syncConversationList({ db, userId, input }));

  on("conversations:open-direct", async (input) => {
    const { conversation, created, memberIds } = await openDirectConversation({ db, userId, input });
    if (created) await publishConversationChanged(io, { db, userIds: memberIds, conversationId: conversation.id });
    return { conversation };
  });

  for (const kind of ["read", "delivered"] as const) {
    on(`conversation:${kind}`, async (input) => {
      const { state, audience } = await advancePosition({ db, userId, input, kind });
      publishReadState(io, { state, audience });
      return state;
    });
  }

  on("message:delete-for-me", async (input) => {
    const hidden = await deleteMessageForMe({ db, userId, input });
    publishHidden(io, { userId, ...hidden });
    return hidden;
  });

  on("users:search", (input) => findPeople({ db, userId, input }));

  on("users:block", async (input) => {
    const { result, conversationId } = await setUserBlocked({ db, userId, input });
    if (conversationId) await publishConversationChanged(io, { db, userIds: [userId], conversationId });
    return result;
  });

  const maxMembers = getEnv().GROUP_MAX_MEMBERS;
  const changed = (userIds: string[], conversationId: string) => publishConversationChanged(io, { db, userIds, conversationId });

  on("groups:create", async (input) => {
    const { conversation, memberIds, change } = await createGroup({ db, userId, input, maxMembers });
    joinConversationRoom(io, { userIds: memberIds, conversationId: conversation.id });
    publishGroupChange(io, change);
    return { conversation };
  });

  on("groups:add-members", async (input) => {
    const { added, change } = await addGroupMembers({ db, userId, input, maxMembers });
    joinConversationRoom(io, { userIds: added, conversationId: change.conversationId });
    publishGroupChange(io, change);
    if (added.length) await changed(added, change.conversationId);
    return { added };
  });

  on("groups:remove-member", async (input) => {
    const { removedUserId, change } = await removeGroupMember({ db, userId, input });
    // The removed member sees the message that removed them, and nothing after it.
    leaveConversationRoom(io, { userIds: [removedUserId], conversationId: change.conversationId });
    publishGroupChange(io, { ...change, alsoUserIds: [removedUserId] });
    await changed([removedUserId], change.conversationId);
    return { removedUserId };
  });

  on("groups:leave", async (input) => {
    const { successorId, change } = await leaveGroup({ db, userId, input });
    leaveConversationRoom(io, { userIds: [userId], conversationId: change.conversationId });
    publishGroupChange(io, { ...change, alsoUserIds: [userId] });
    await changed(successorId ? [userId, successorId] : [userId], change.conversationId);
    return { conversationId: change.conversationId };
  });

  on("groups:set-role", async (input) => {
    const { affectedUserIds, change } = await setGroupRole({ db, userId, input });
    publishGroupChange(io, change);
    await changed(affectedUserIds, change.conversationId);
    return { conversationId: change.conversationId };
  });

  on("groups:transfer-ownership", async (input) => {
    const { affectedUserIds, change } = await transferGroupOwnership({ db, userId, input });
    publishGroupChange(io, change);
    await changed(affectedUserIds, change.conversationId);
    return { conversationId: change.conversationId };
  });

  on("groups:update", async (input) => {
    const { change } = await updateGroup({ db, userId, input });
    publishGroupChange(io, change);
    return { conversation: await getConversationSummary({ db, userId, conversationId: change.conversationId }) };
  });

  on("groups:members", (input) => listGroupMembers({ db, userId, input }));
  on("message:readers", (input) => messageReaders({ db, userId, input }));

  socket.on("session:whoami", (ack) => {
    if (typeof ack === "function") ack({ ok: true, data: { user: socket.data.user } });
  });
}

