import type { Socket } from "socket.io";
import type { Database } from "../../db";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "../../lib/socket-events";
import type { PushNotifier } from "../push/registry";
import type { PresenceStore } from "../services/presence";
import type { ChatServer } from "./index";
import type { RateLimiter } from "./rate-limit";
import type { TypingSockets } from "./typing";

export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Product limits that deployments configure (env) and tests shorten. */
export interface ChatPolicy {
  maxGroupMembers: number;
  recallWindowSeconds: number;
  editWindowSeconds: number;
}

/**
 * Everything the gateway's handlers share, built once per gateway. Sockets carry no handler state of
 * their own: the same functions serve every connection and take the socket as an argument.
 */
export interface GatewayContext {
  io: ChatServer;
  db: Database;
  limiter: RateLimiter;
  presence: PresenceStore;
  policy: ChatPolicy;
  push?: PushNotifier;
  typing: TypingSockets;
}

/** One client event being handled: the gateway's context, the socket it came from and its user. */
export interface EventCall extends GatewayContext {
  socket: ChatSocket;
  userId: string;
}
