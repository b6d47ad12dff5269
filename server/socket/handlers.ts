import type { Socket } from "socket.io";
import type { Database } from "../../db";
import { userRoom, type AckResult, type ClientToServerEvents, type InterServerEvents, type ServerToClientEvents, type SocketData } from "../../lib/socket-events";
import { AppError, toErrorBody } from "../errors";
import type { PushNotifier } from "../push/registry";
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
import { editMessage, messagesModifiedSince, recallMessage } from "../services/message-changes";
import { deleteMessageForMe, messageHistory, messagesSince, sendMessage } from "../services/messages";
import type { PresenceStore } from "../services/presence";
import { getDnd, setDnd, updateConversationSettings } from "../services/settings";
import { typingNotice } from "../services/typing";
import { subscribeToPush, unsubscribeFromPush } from "../services/push-subscriptions";
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
  publishUpdatedMessage,
  toAudience,
  toAudienceExcept,
} from "./publish";
import { trackPresence } from "./presence";
import type { RateLimiter } from "./rate-limit";

/** Product limits that deployments configure (env) and tests shorten. */
export interface ChatPolicy {
  maxGroupMembers: number;
  recallWindowSeconds: number;
  editWindowSeconds: number;
}

type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type ChatEvent = keyof ClientToServerEvents;
type AckOf<E extends ChatEvent> = Extract<Parameters<ClientToServerEvents[E]>[number], (result: never) => void>;
type AckData<E extends ChatEvent> = AckOf<E> extends (result: AckResult<infer T>) => void ? T : never;

/**
 * Registers the gateway's event handlers. Each one validates its payload in the service (zod), checks
 * membership, and answers through the acknowledgement; a thrown error becomes `{ ok: false, error }`
 * and never reaches the process. Frames without an acknowledgement callback are ignored.
 */
export function registerHandlers({
  io,
  socket,
  db,
  limiter,
  presence,
  policy,
  push,
}: {
  io: ChatServer;
  socket: ChatSocket;
  db: Database;
  limiter: RateLimiter;
  presence: PresenceStore;
  policy: ChatPolicy;
  push?: PushNotifier;
}) {
  const userId = socket.data.user.id;

  function on<E extends ChatEvent>(event: E, handler: (input: unknown) => Promise<AckData<E>>) {
    socket.on(event as never, (async (...args: unknown[]) => {
      // The acknowledgement is the last argument; events without input have only that.
      const ack = args.at(-1);
      const input = args.length > 1 ? args[0] : undefined;
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
    if (!sent.duplicate) {
      publishMessage(io, sent);
      push?.enqueue(sent);
    }
    // Sending ends typing; recipients clear the indicator when the message arrives.
    socket.data.typingIn.delete(sent.message.conversationId);
    return { message: sent.message };
  });

  on("typing", async (input) => {
    const { state, audience } = await typingNotice({ db, userId, input });
    if (state.typing) socket.data.typingIn.add(state.conversationId);
    else socket.data.typingIn.delete(state.conversationId);
    if (audience) toAudienceExcept(socket, audience).emit("typing", state);
    return { broadcast: audience !== null };
  });

  socket.on("disconnect", () => {
    for (const conversationId of socket.data.typingIn) {
      void typingNotice({ db, userId, input: { conversationId, typing: false } })
        .then(({ state, audience }) => audience && toAudience(io, audience).emit("typing", state))
        .catch(() => undefined);
    }
  });

  const presenceHandlers = trackPresence({ io, socket, db, store: presence });
  on("presence:visibility", presenceHandlers.visibility);
  on("presence:subscribe", presenceHandlers.subscribe);

  on("conversation:settings", async (input) => {
    const conversation = await updateConversationSettings({ db, userId, input });
    io.to(userRoom(userId)).emit("conversation:changed", conversation);
    return { conversation };
  });

  on("settings:get", async () => ({ dnd: await getDnd({ db, userId }) }));

  on("settings:dnd", async (input) => {
    const dnd = await setDnd({ db, userId, input });
    io.to(userRoom(userId)).emit("settings:changed", { dnd });
    return { dnd };
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

  const windows = { recallSeconds: policy.recallWindowSeconds, editSeconds: policy.editWindowSeconds };
  for (const [event, change] of [
    ["message:recall", recallMessage],
    ["message:edit", editMessage],
  ] as const) {
    on(event, async (input) => {
      const { message, audience } = await change({ db, userId, input, windows });
      publishUpdatedMessage(io, { message, audience });
      return { message };
    });
  }
  on("messages:modified", (input) => messagesModifiedSince({ db, userId, input }));

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

  const maxMembers = policy.maxGroupMembers;
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

  const requirePush = () => {
    if (!push) throw new AppError("unavailable:push", "Push notifications are not enabled on this server");
    return push;
  };
  on("push:public-key", async () => ({ publicKey: requirePush().publicKey }));
  on("push:subscribe", (input) => subscribeToPush({ db, userId, input, allowHttpEndpoints: requirePush().allowHttpEndpoints }));
  on("push:unsubscribe", (input) => unsubscribeFromPush({ db, userId, input }));

  on("session:whoami", async () => ({ user: socket.data.user }));
}

