import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { io as connect, type Socket } from "socket.io-client";
import type { Database } from "../../db";
import type { ClientToServerEvents, ServerToClientEvents } from "../../lib/socket-events";
import { createEventRateLimiter } from "../../server/socket/rate-limit";
import { parseEnv } from "../../server/env";
import type { ChatPolicy } from "../../server/socket/handlers";
import { policyFromEnv, createSocketGateway, type ChatServer, type SocketGatewayOptions } from "../../server/socket";

export const TEST_AUTH_SECRET = "integration-test-secret-0123456789abcdef";
export const SESSION_COOKIE = "next-auth.session-token";

export type TestClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestGateway {
  io: ChatServer;
  url: string;
  close(): Promise<void>;
}

/** The real Socket.IO gateway on its own HTTP server (no Next.js), on a random port. */
export async function startTestGateway({
  db,
  adapter,
  limiter = createEventRateLimiter({ sendsPerSecond: 10_000, eventsPerSecond: 10_000 }),
  policy,
  push,
}: {
  db: Database;
  adapter?: SocketGatewayOptions["adapter"];
  limiter?: SocketGatewayOptions["limiter"];
  policy?: Partial<ChatPolicy>;
  push?: SocketGatewayOptions["push"];
}): Promise<TestGateway> {
  const httpServer = createServer();
  const io = createSocketGateway({
    httpServer,
    db,
    authSecret: TEST_AUTH_SECRET,
    secureCookie: false,
    allowedOrigins: [],
    adapter,
    limiter,
    policy: { ...policyFromEnv(parseEnv({})), ...policy },
    push,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { io, url: `http://127.0.0.1:${port}`, close: () => io.close() };
}

/** A session cookie exactly as next-auth issues it after sign-in. */
export async function sessionCookieFor(userId: string, secret = TEST_AUTH_SECRET): Promise<string> {
  const token = await encode({ token: { sub: userId, name: "test" }, secret });
  return `${SESSION_COOKIE}=${token}`;
}

export function connectClient(url: string, headers: Record<string, string> = {}, transports: string[] = ["websocket"]): TestClient {
  return connect(url, { transports, extraHeaders: headers, reconnection: false, forceNew: true });
}

/** Resolves when the client connects, rejects with the server's refusal. */
export function whenConnected(client: TestClient): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("connect_error", (error) => reject(error));
  });
}

export function whenRefused(client: TestClient): Promise<Error> {
  return new Promise((resolve, reject) => {
    client.once("connect", () => reject(new Error("expected the handshake to be refused")));
    client.once("connect_error", (error) => resolve(error));
  });
}
