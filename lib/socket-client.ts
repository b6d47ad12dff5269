import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "./socket-events";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Same-origin socket: the session cookie authenticates the handshake. WebSocket first, polling as fallback.
 * Every (re)connection tells the server whether this tab is visible (all tabs hidden means Away).
 */
export function createChatSocket(): ChatSocket {
  return io({
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    withCredentials: true,
    reconnectionDelayMax: 5_000,
    auth: (send) => send({ visible: document.visibilityState === "visible" }),
  });
}
