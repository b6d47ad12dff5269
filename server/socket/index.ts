import type { Server as HttpServer } from "node:http";
import { Server, type Namespace } from "socket.io";
import type { Database } from "../../db";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "../../lib/socket-events";
import { LocalPresenceStore, type PresenceStore } from "../services/presence";
import { startPresenceSweeper } from "./presence";
import { getEnv, type Env } from "../env";
import type { PushNotifier } from "../push/registry";
import type { ChatPolicy } from "./context";
import { createConnectionWiring } from "./dispatch";
import { authenticateHandshake } from "./handshake";
import { isAllowedOrigin } from "./origin";
import { createEventRateLimiter, type RateLimiter } from "./rate-limit";
import { TypingSockets } from "./typing";
import type { Adapter } from "socket.io-adapter";

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketGatewayOptions {
  httpServer: HttpServer;
  db: Database;
  authSecret: string;
  secureCookie: boolean;
  allowedOrigins: readonly string[];
  adapter?: (nsp: Namespace) => Adapter;
  limiter?: RateLimiter;
  policy?: ChatPolicy;
  presence?: PresenceStore;
  /** Web Push for users with no connected device; without it, push:* events answer `unavailable:push`. */
  push?: PushNotifier;
}

export const MAX_FRAME_BYTES = 64 * 1024;

export function policyFromEnv(env: Env): ChatPolicy {
  return { maxGroupMembers: env.GROUP_MAX_MEMBERS, recallWindowSeconds: env.RECALL_WINDOW_SECONDS, editWindowSeconds: env.EDIT_WINDOW_SECONDS };
}

/** The access layer's real-time half: handshake auth, per-user rooms, protocol validation. */
export function createSocketGateway({
  httpServer,
  db,
  authSecret,
  secureCookie,
  allowedOrigins,
  adapter,
  limiter = createEventRateLimiter(),
  policy = policyFromEnv(getEnv()),
  presence = new LocalPresenceStore(),
  push,
}: SocketGatewayOptions): ChatServer {
  const io: ChatServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    // Upgrades for other paths (Next.js HMR under /_next/) are routed by the HTTP server, not destroyed here.
    destroyUpgrade: false,
    allowRequest: (req, callback) => {
      if (isAllowedOrigin(req, allowedOrigins)) callback(null, true);
      else callback("forbidden:origin", false);
    },
    ...(adapter ? { adapter: adapter as never } : {}),
  });

  io.use(authenticateHandshake({ db, authSecret, secureCookie }));

  const wire = createConnectionWiring({ io, db, limiter, presence, policy, push, typing: new TypingSockets() });
  io.on("connection", (socket) => {
    wire(socket);
    socket.emit("session:ready", { user: socket.data.user });
  });

  const stopSweeper = startPresenceSweeper({ io, db, store: presence });
  httpServer.once("close", () => {
    stopSweeper();
    presence.close();
  });

  return io;
}
