import type { Socket } from "socket.io";
import type { Database } from "../../db";
import type { AckResult, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "../../lib/socket-events";
import { toErrorBody } from "../errors";
import { advancePosition, openDirectConversation, syncConversationList } from "../services/conversations";
import { deleteMessageForMe, messageHistory, messagesSince, sendMessage } from "../services/messages";
import { findPeople, setUserBlocked } from "../services/users";
import type { ChatServer } from "./index";
import { publishConversationChanged, publishHidden, publishMessage, publishReadState } from "./publish";
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
      const { state, memberIds } = await advancePosition({ db, userId, input, kind });
      publishReadState(io, { state, memberIds });
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

  socket.on("session:whoami", (ack) => {
    if (typeof ack === "function") ack({ ok: true, data: { user: socket.data.user } });
  });
}

