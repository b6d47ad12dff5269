import { userRoom, type AckResult, type ClientToServerEvents } from "../../lib/socket-events";
import { AppError } from "../errors";
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
import { subscribeToPush, unsubscribeFromPush } from "../services/push-subscriptions";
import { getDnd, setDnd, updateConversationSettings } from "../services/settings";
import { typingNotice } from "../services/typing";
import { findPeople, setUserBlocked } from "../services/users";
import type { EventCall } from "./context";
import { setVisibility, subscribeToPresence } from "./presence";
import {
  joinConversationRoom,
  leaveConversationRoom,
  publishConversationChanged,
  publishGroupChange,
  publishHidden,
  publishMessage,
  publishReadState,
  publishUpdatedMessage,
  toAudienceExcept,
} from "./publish";

export type { ChatPolicy } from "./context";

export type ChatEvent = keyof ClientToServerEvents;
type AckOf<E extends ChatEvent> = Extract<Parameters<ClientToServerEvents[E]>[number], (result: never) => void>;
type AckData<E extends ChatEvent> = AckOf<E> extends (result: AckResult<infer T>) => void ? T : never;

/**
 * What the gateway does with one client event: validate the input (zod, in the service), check
 * membership, act, push to whoever is concerned, and resolve with the acknowledgement's data. A throw
 * becomes `{ ok: false, error }` (see `dispatch.ts`).
 */
export type EventHandler<E extends ChatEvent = ChatEvent> = (call: EventCall, input: unknown) => Promise<AckData<E>>;

const advance =
  (kind: "read" | "delivered"): EventHandler<"conversation:read" | "conversation:delivered"> =>
  async ({ io, db, userId }, input) => {
    const { state, audience } = await advancePosition({ db, userId, input, kind });
    publishReadState(io, { state, audience });
    return state;
  };

const change =
  (apply: typeof recallMessage | typeof editMessage): EventHandler<"message:recall" | "message:edit"> =>
  async ({ io, db, userId, policy }, input) => {
    const windows = { recallSeconds: policy.recallWindowSeconds, editSeconds: policy.editWindowSeconds };
    const { message, audience } = await apply({ db, userId, input, windows });
    publishUpdatedMessage(io, { message, audience });
    return { message };
  };

const changed = ({ io, db }: EventCall, userIds: string[], conversationId: string) => publishConversationChanged(io, { db, userIds, conversationId });

function requirePush({ push }: EventCall) {
  if (!push) throw new AppError("unavailable:push", "Push notifications are not enabled on this server");
  return push;
}

/**
 * Every client event the gateway answers, one entry each (the type makes a missing one a compile error).
 * The table is static: the same functions serve every socket of every gateway.
 */
export const eventHandlers: { [E in ChatEvent]: EventHandler<E> } = {
  "session:whoami": async ({ socket }) => ({ user: socket.data.user }),

  "message:send": async ({ io, db, push, typing, socket, userId }, input) => {
    const sent = await sendMessage({ db, senderId: userId, input });
    if (!sent.duplicate) {
      publishMessage(io, { ...sent, senderSocketId: socket.id });
      push?.enqueue(sent);
    }
    // Sending ends typing; recipients clear the indicator when the message arrives.
    typing.stopped(socket, sent.message.conversationId);
    return { message: sent.message };
  },

  typing: async ({ db, typing, socket, userId }, input) => {
    const { state, audience } = await typingNotice({ db, userId, input });
    if (state.typing) typing.started(socket, state.conversationId);
    else typing.stopped(socket, state.conversationId);
    if (audience) toAudienceExcept(socket, audience).emit("typing", state);
    return { broadcast: audience !== null };
  },

  "presence:visibility": setVisibility,
  "presence:subscribe": subscribeToPresence,

  "conversation:settings": async ({ io, db, userId }, input) => {
    const conversation = await updateConversationSettings({ db, userId, input });
    io.to(userRoom(userId)).emit("conversation:changed", conversation);
    return { conversation };
  },

  "settings:get": async ({ db, userId }) => ({ dnd: await getDnd({ db, userId }) }),

  "settings:dnd": async ({ io, db, userId }, input) => {
    const dnd = await setDnd({ db, userId, input });
    io.to(userRoom(userId)).emit("settings:changed", { dnd });
    return { dnd };
  },

  "messages:since": ({ db, userId }, input) => messagesSince({ db, userId, input }),
  "messages:history": ({ db, userId }, input) => messageHistory({ db, userId, input }),
  "conversations:sync": ({ db, userId }, input) => syncConversationList({ db, userId, input }),

  "conversations:open-direct": async (call, input) => {
    const { conversation, created, memberIds } = await openDirectConversation({ db: call.db, userId: call.userId, input });
    if (created) await changed(call, memberIds, conversation.id);
    return { conversation };
  },

  "conversation:read": advance("read"),
  "conversation:delivered": advance("delivered"),

  "message:recall": change(recallMessage),
  "message:edit": change(editMessage),
  "messages:modified": ({ db, userId }, input) => messagesModifiedSince({ db, userId, input }),

  "message:delete-for-me": async ({ io, db, userId }, input) => {
    const hidden = await deleteMessageForMe({ db, userId, input });
    publishHidden(io, { userId, ...hidden });
    return hidden;
  },

  "users:search": ({ db, userId }, input) => findPeople({ db, userId, input }),

  "users:block": async (call, input) => {
    const { result, conversationId } = await setUserBlocked({ db: call.db, userId: call.userId, input });
    if (conversationId) await changed(call, [call.userId], conversationId);
    return result;
  },

  "groups:create": async ({ io, db, userId, policy }, input) => {
    const { conversation, memberIds, change } = await createGroup({ db, userId, input, maxMembers: policy.maxGroupMembers });
    joinConversationRoom(io, { userIds: memberIds, conversationId: conversation.id });
    publishGroupChange(io, change);
    return { conversation };
  },

  "groups:add-members": async (call, input) => {
    const { io, db, userId, policy } = call;
    const { added, change } = await addGroupMembers({ db, userId, input, maxMembers: policy.maxGroupMembers });
    joinConversationRoom(io, { userIds: added, conversationId: change.conversationId });
    publishGroupChange(io, change);
    if (added.length) await changed(call, added, change.conversationId);
    return { added };
  },

  "groups:remove-member": async (call, input) => {
    const { io, db, userId } = call;
    const { removedUserId, change } = await removeGroupMember({ db, userId, input });
    // The removed member sees the message that removed them, and nothing after it.
    leaveConversationRoom(io, { userIds: [removedUserId], conversationId: change.conversationId });
    publishGroupChange(io, { ...change, alsoUserIds: [removedUserId] });
    await changed(call, [removedUserId], change.conversationId);
    return { removedUserId };
  },

  "groups:leave": async (call, input) => {
    const { io, db, userId } = call;
    const { successorId, change } = await leaveGroup({ db, userId, input });
    leaveConversationRoom(io, { userIds: [userId], conversationId: change.conversationId });
    publishGroupChange(io, { ...change, alsoUserIds: [userId] });
    await changed(call, successorId ? [userId, successorId] : [userId], change.conversationId);
    return { conversationId: change.conversationId };
  },

  "groups:set-role": async (call, input) => {
    const { affectedUserIds, change } = await setGroupRole({ db: call.db, userId: call.userId, input });
    publishGroupChange(call.io, change);
    await changed(call, affectedUserIds, change.conversationId);
    return { conversationId: change.conversationId };
  },

  "groups:transfer-ownership": async (call, input) => {
    const { affectedUserIds, change } = await transferGroupOwnership({ db: call.db, userId: call.userId, input });
    publishGroupChange(call.io, change);
    await changed(call, affectedUserIds, change.conversationId);
    return { conversationId: change.conversationId };
  },

  "groups:update": async ({ io, db, userId }, input) => {
    const { change } = await updateGroup({ db, userId, input });
    publishGroupChange(io, change);
    return { conversation: await getConversationSummary({ db, userId, conversationId: change.conversationId }) };
  },

  "groups:members": ({ db, userId }, input) => listGroupMembers({ db, userId, input }),
  "message:readers": ({ db, userId }, input) => messageReaders({ db, userId, input }),

  "push:public-key": async (call) => ({ publicKey: requirePush(call).publicKey }),
  "push:subscribe": (call, input) => subscribeToPush({ db: call.db, userId: call.userId, input, allowHttpEndpoints: requirePush(call).allowHttpEndpoints }),
  "push:unsubscribe": ({ db, userId }, input) => unsubscribeFromPush({ db, userId, input }),
};
