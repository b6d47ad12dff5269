import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Database } from "../../db";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "../../lib/socket-events";
import { conversationRoom, userRoom } from "../../lib/socket-events";
import { selectActiveGroupIds } from "../../db/queries/conversations";
import { readSessionFromCookieHeader } from "../auth/session";
import { findUserById } from "../../db/queries/users";
import { LocalPresenceStore, type PresenceStore } from "../services/presence";
import { startPresenceSweeper } from "./presence";
import { getEnv, type Env } from "../env";
import type { PushNotifier } from "../push/registry";
import { registerHandlers, type ChatPolicy } from "./handlers";
import { isAllowedOrigin } from "./origin";
import { createEventRateLimiter, type RateLimiter } from "./rate-limit";
import type { Adapter } from "socket.io-adapter";

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface SocketGatewayOptions {
  httpServer: HttpServer;
  db: Database;
  authSecret: string;
  secureCookie: boolean;
  allowedOrigins: readonly string[];
  adapter?: (nsp: unknown) => Adapter;
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

  io.use(async (socket, next) => {
    try {
      const session = await readSessionFromCookieHeader({
        cookieHeader: socket.handshake.headers.cookie,
        secret: authSecret,
        secureCookie,
      });
      const user = session ? await findUserById({ db, id: session.userId }) : null;
      if (!user) return next(Object.assign(new Error("unauthorized:session"), { data: { code: "unauthorized:session" } }));
      socket.data.user = user;
      socket.data.rooms = [userRoom(user.id), ...(await selectActiveGroupIds({ db, userId: user.id })).map(conversationRoom)];
      next();
    } catch (error) {
      console.error("Socket handshake failed", error);
      next(Object.assign(new Error("unavailable:handshake"), { data: { code: "unavailable:handshake" } }));
    }
  });

  io.on("connection", (socket) => {
    // Joined synchronously, in the tick the connection opens: no push can slip between the client's
    // connect (when it pulls what it missed) and the socket being in its rooms.
    void socket.join(socket.data.rooms);
    socket.data.typingIn = new Set();
    registerHandlers({ io, socket, db, limiter, presence, policy, push });
    socket.emit("session:ready", { user: socket.data.user });
  });

  const stopSweeper = startPresenceSweeper({ io, db, store: presence });
  httpServer.once("close", () => {
    stopSweeper();
    presence.close();
  });

  return io;
}
