import { typingNotice } from "../services/typing";
import type { ChatSocket, GatewayContext } from "./context";
import { toAudience } from "./publish";

/**
 * The conversations each socket said it is typing in (cleared on stop, send or disconnect). Only a socket
 * that is typing has an entry, so an idle connection costs nothing here.
 */
export class TypingSockets {
  private readonly bySocket = new WeakMap<ChatSocket, Set<string>>();

  started(socket: ChatSocket, conversationId: string) {
    const conversations = this.bySocket.get(socket);
    if (conversations) conversations.add(conversationId);
    else this.bySocket.set(socket, new Set([conversationId]));
  }

  stopped(socket: ChatSocket, conversationId: string) {
    const conversations = this.bySocket.get(socket);
    if (conversations?.delete(conversationId) && conversations.size === 0) this.bySocket.delete(socket);
  }

  /** Forgets the socket; returns where it was still typing. */
  take(socket: ChatSocket): Iterable<string> {
    const conversations = this.bySocket.get(socket) ?? [];
    this.bySocket.delete(socket);
    return conversations;
  }
}

/** A disconnected typist stops typing for everyone still watching. */
export function stopTypingOnDisconnect({ io, db, typing }: GatewayContext, socket: ChatSocket) {
  const userId = socket.data.user.id;
  for (const conversationId of typing.take(socket)) {
    void typingNotice({ db, userId, input: { conversationId, typing: false } })
      .then(({ state, audience }) => audience && toAudience(io, audience).emit("typing", state))
      .catch(() => undefined);
  }
}
